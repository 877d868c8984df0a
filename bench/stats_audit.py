"""Timing a statistics page against what it needs (used by bench/stats.py): the raw SQL the
service sends (captured from the service itself, replayed on the driver's cursor), the
disclosure audit alone on the matrices the service built (each table's `suppress` and the
joint `suppress_together` of linked tables, first run with the cache cleared and cached), and
the service end to end, both ways; best of 5, interleaved so that all see the same load.
"""

import time

from sqlalchemy import event


class Capture:
    """The SQL statements the service sends, to replay them raw."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hook)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hook)

    def _hook(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((statement, parameters))


def run_raw(engine, statements):
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            cursor.fetchall()
    finally:
        raw.close()


class Recorder:
    """The matrices the service hands to the audit (alone and jointly), and the LPs the audit
    builds and solves."""

    def __enter__(self):
        from elearn.stats import audit, services

        self.calls, self.joint, self.models, self.lps = [], [], 0, 0
        self._suppress, self._together = services.suppress, services.suppress_together
        self._init, self._joint_init = audit.Reader.__init__, audit.JointReader.__init__
        self._extreme, self._joint_extreme = audit.Reader.extreme, audit.JointReader.extreme

        def suppress(matrix, threshold, additive=True, *, rows_additive=None, keep=()):
            self.calls.append(([list(r) for r in matrix], threshold, additive, rows_additive))
            return self._suppress(matrix, threshold, additive, rows_additive=rows_additive,
                                  keep=keep)

        def together(tables, threshold, links=(), keep=()):
            self.joint.append(([([list(r) for r in m], a, r) for m, a, r in tables],
                               threshold, list(links)))
            return self._together(tables, threshold, links, keep)

        def counted(original, attribute):
            def wrapper(reader, *args, **kwargs):
                setattr(self, attribute, getattr(self, attribute) + 1)
                return original(reader, *args, **kwargs)
            return wrapper

        services.suppress, services.suppress_together = suppress, together
        audit.Reader.__init__ = counted(self._init, "models")
        audit.JointReader.__init__ = counted(self._joint_init, "models")
        audit.Reader.extreme = counted(self._extreme, "lps")
        audit.JointReader.extreme = counted(self._joint_extreme, "lps")
        return self

    def __exit__(self, *exc):
        from elearn.stats import audit, services

        services.suppress, services.suppress_together = self._suppress, self._together
        audit.Reader.__init__, audit.JointReader.__init__ = self._init, self._joint_init
        audit.Reader.extreme, audit.JointReader.extreme = self._extreme, self._joint_extreme


def best_of(fns: dict, n=5, budget=180.0) -> dict:
    """Best time of each, interleaved; fewer rounds (at least one) past `budget` seconds."""
    times = {name: [] for name in fns}
    start = time.perf_counter()
    for _ in range(n):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return {name: min(ts) for name, ts in times.items()}


def _clear_caches():
    from elearn.stats import disclosure

    disclosure._suppress.cache_clear()
    disclosure._suppress_together.cache_clear()


def audited(name: str, fn, sqlite: bool) -> dict:
    """Raw SQL, audit alone (first run and cached) and the service end to end, for one page;
    prints them and returns the best times (seconds)."""
    from elearn.extensions import db
    from elearn.stats import disclosure

    fn()  # warm the database's and the labels' caches
    with Capture(db.engine) as cap:
        fn()
    statements = [s for s in cap.statements if s[0].lstrip().upper().startswith("SELECT")]
    _clear_caches()
    with Recorder() as rec:  # a first run: what the audit builds and solves
        result = fn()
    calls, joint = rec.calls, rec.joint

    def audit(cold):
        if cold:  # the first view of these tables (or the roll-up changed under them)
            _clear_caches()
        for matrix, threshold, additive, rows_additive in calls:
            disclosure.suppress(matrix, threshold, additive, rows_additive=rows_additive)
        for tables, threshold, links in joint:
            disclosure.suppress_together(tables, threshold, links)

    def service_cold():
        _clear_caches()
        return fn()

    t = best_of({"service": fn, "service_cold": service_cold,
                 "raw": lambda: run_raw(db.engine, statements),
                 "audit_cold": lambda: audit(True), "audit": lambda: audit(False)})
    warm = t["service"] / (t["raw"] + t["audit"])
    cold = t["service_cold"] / (t["raw"] + t["audit_cold"])
    ok = "OK" if max(warm, cold) <= 1.5 and (not sqlite or t["service"] < 1) else "SLOW"
    grouped = [s for s in statements if "GROUP BY" in s[0].upper()]
    rows = len(result.rows) if hasattr(result, "rows") else sum(
        len(t.rows) for t in result.tables)
    ms = {k: f"{v * 1000:.0f} ms" for k, v in t.items()}
    linked = sum(len(tables) for tables, *_ in joint)
    print(f"{name} ({rows} rows, {len(calls)} tables audited, {linked} of them jointly):\n"
          f"  raw SQL {ms['raw']} ({len(statements)} statements, {len(grouped)} grouped)\n"
          f"  audit alone: first run {ms['audit_cold']}, cached {ms['audit']}\n"
          f"  service: {ms['service']} (audit cached), {ms['service_cold']} (first run)\n"
          f"  ratio service / (raw SQL + audit): {warm:.2f} cached, {cold:.2f} first run "
          f"[{ok}]")
    primaries = sum(len(disclosure.primary(m, th)) for m, th, *_ in calls)
    hidden = sum(len(disclosure.suppress(m, th, a, rows_additive=ra)) for m, th, a, ra in calls)
    hidden_jointly = sum(len(cells) for tables, th, links in joint
                         for cells in disclosure.suppress_together(tables, th, links))
    cells = sum(len(m) * len(m[0]) for m, *_ in calls)
    largest = max(calls, key=lambda c: len(c[0]) * len(c[0][0]))[0] if calls else [[]]
    print(f"  audit first run: {rec.models} LP models built, {rec.lps} LPs solved; "
          f"{hidden} of {cells} figures hidden alone ({primaries} primary), "
          f"{hidden_jointly} in the linked tables audited together; largest matrix "
          f"{len(largest)} x {len(largest[0])}")
    return {**t, "ratio_cached": warm, "ratio_first_run": cold}


def explain(engine, statement, parameters, sqlite: bool) -> str:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
        rows = cursor.fetchall()
    finally:
        raw.close()
    return "\n".join("    " + (" | ".join(str(c) for c in r[-1:]) if sqlite else r[0])
                     for r in rows)
