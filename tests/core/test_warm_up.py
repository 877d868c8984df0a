"""The production entry point (wsgi.py) warms a worker before its first request: mappers
configured, the layout and the mails compiled, start-up's objects out of the collector's sight
(elearn/warm_up.py), and still no heavy library loaded. Without it a fresh worker's first
registration cost ~390 ms of CPU instead of ~9 (bench/registration.py)."""

import json
import os
import subprocess
import sys

from tests.core.test_lazy_imports import HEAVY, ROOT

SCRIPT = r"""
import gc, json, sys
import wsgi
from sqlalchemy.orm import class_mapper
from elearn.events.models import Event

compiled = sorted(name for _loader, name in wsgi.app.jinja_env.cache.keys())
print(json.dumps({"configured": class_mapper(Event, configure=False).configured,
                  "frozen": gc.get_freeze_count(), "compiled": compiled,
                  "modules": sorted(sys.modules)}))
"""


def test_the_production_entry_point_warms_the_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_", "AWS_"))}
    env.update(PYTHONPATH=ROOT, DATABASE_URL=f"sqlite:///{tmp_path / 'warm.db'}",
               SECRET_KEY="warm-up", ELEARN_ENV="development")
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["configured"]
    assert found["frozen"] > 10_000
    for template in ("base.html", "email/events/confirmed.txt", "email/events/confirmed.html",
                     "email/events/waitlisted.txt", "email/events/_layout.html"):
        assert template in found["compiled"]
    assert not any(name.startswith(("events/organise/", "stats/")) for name in found["compiled"])
    loaded = {name.split(".")[0] for name in found["modules"]}
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
