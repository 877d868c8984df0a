"""Certificate rendering benchmark: 1,000 certificates as issued, against a bare page.

    .venv/bin/python bench/certificates.py [--count 1000] [--issue 0]

- "certificates": what issuing renders per person: the holder-language texts, the A4 landscape
  page with the embedded DejaVu font (subset), logo, two signature images, QR code, code and
  URL, then SHA-256 — through the same functions the issuing service calls (texts.printed_lines,
  pdf.render on the template's cached design).
- "bare page": a reportlab page with the same text in the same embedded font, nothing else:
  the ceiling for this toolkit.
- "--issue N": optionally the full bulk issue of N people (rule, snapshot, render, insert,
  audit, outbox email) through services.bulk on a throw-away SQLite file.
Reports certificates/s on one core and peak Python memory (tracemalloc, in a separate pass so
timing is not slowed by it). Targets: >= 50 certificates/s and within 2x of the bare page.
"""

import argparse
import hashlib
import io
import logging
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

# bench/ holds calendar.py, named like the standard library module: keep the folder off
# sys.path so `import calendar` elsewhere (email, http) finds the real one.
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, ROOT)

from elearn import create_app  # noqa: E402
from elearn.certificates import codes, pdf, texts  # noqa: E402
from elearn.certificates.models import CertificateKind  # noqa: E402

NAMES = ["María José Núñez Çelik", "Zoë Łukasiewicz-Øberg", "Jean-Baptiste Désiré Ndiaye",
         "Ana Gómez", "Dmitri Ивановский", "Siobhán Ó Briain", "João Conceição"]


def _png(size, seed):
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(10, size[1] - 10), (size[0] // 3, 10 + seed), (size[0] // 2, size[1] - 20),
               (size[0] - 10, 15)], fill=(20, 30, 90, 255), width=5)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _design():
    return pdf.build_design(
        [("Clarissa Bórquez Álvarez", "Secretaria Permanente", _png((400, 120), 1)),
         ("Jean-Baptiste Désir", "Coordinador de programa", _png((400, 120), 7))],
        _png((300, 300), 3), (pdf.DEFAULT_FONT, pdf.DEFAULT_BOLD_FONT))


def _lines(n):
    return texts.printed_lines(
        CertificateKind.PARTICIPATION, ["es", "en", "pt", "fr"][n % 4],
        holder_name=NAMES[n % len(NAMES)] + f" {n}",
        title="Taller regional sobre políticas para las PYMEs con enfoque de género",
        organisation="Sistema Económico Latinoamericano y del Caribe (SELA)",
        starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 5), hours=12, details={})


def certificate(design, n):
    code = codes.new_code()
    data = pdf.render(design, _lines(n), code=codes.display(code),
                      url=f"https://elearn.example.org/verify/{code}")
    hashlib.sha256(data).hexdigest()
    return data


def bare(_design_unused, n):
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = pdf.register_fonts()
    lines = _lines(n)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pdf.PAGE, pageCompression=1)
    y = 540
    for key in ("organisation", "heading", "intro", "name", "reason", "title", "dates",
                "hours", "verify"):
        canvas.setFont(bold if key in ("heading", "name", "title") else regular, 14)
        canvas.drawCentredString(pdf.PAGE[0] / 2, y, lines[key])
        y -= 40
    canvas.drawCentredString(pdf.PAGE[0] / 2, 40, codes.display(codes.new_code()))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def measure(label, fn, design, count):
    fn(design, 0)  # warm: fonts parsed, design images encoded
    start, cpu_start = time.perf_counter(), time.process_time()
    size = 0
    for n in range(count):
        size += len(fn(design, n))
    wall = time.perf_counter() - start
    # CPU time of this process: what one core does, whatever else the machine is running.
    elapsed = time.process_time() - cpu_start
    tracemalloc.start()
    for n in range(min(count, 100)):
        fn(design, n)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rate = count / elapsed
    print(f"{label:>14}: {count} in {elapsed:.2f} s CPU ({wall:.2f} s wall) = {rate:.0f}/s, "
          f"{1000 * elapsed / count:.1f} ms each, {size / count / 1024:.0f} KB each, "
          f"peak Python memory {peak / 1024 / 1024:.1f} MB")
    return rate


def issue_bulk(app, count):
    from elearn.accounts.models import User
    from elearn.attendance.models import Attendance
    from elearn.certificates.models import CertificateTemplate, Signatory
    from elearn.certificates.services import bulk
    from elearn.events.models import Event, EventSession, Registration
    from elearn.extensions import db

    db.create_all()
    start = datetime(2026, 3, 2, 13, tzinfo=UTC)
    event = Event(kind="workshop", timezone="America/Caracas", mode="hybrid",
                  title_en="Regional workshop", title_es="Taller regional", status="completed")
    session = EventSession(title_en="Day 1", starts_at=start,
                           ends_at=start + timedelta(hours=3))
    event.sessions.append(session)
    template = CertificateTemplate(kind="participation", name="bench", organisation_name="SELA",
                                   logo_png=_png((300, 300), 3))
    template.signatories = [Signatory(name="Clarissa Bórquez", title="Secretaria",
                                      signature_png=_png((400, 120), 1))]
    db.session.add_all([event, template])
    db.session.flush()
    for n in range(count):
        user = User(email=f"p{n}@bench.test", full_name=NAMES[n % len(NAMES)] + f" {n}",
                    preferred_language="es")
        db.session.add(user)
        db.session.flush()
        db.session.add(Registration(event_id=event.id, user_id=user.id, mode="in_person",
                                    status="confirmed"))
        db.session.add(Attendance(session_id=session.id, user_id=user.id, status="present",
                                  mode="in_person", source="roll_call"))
    db.session.commit()
    job = bulk.IssueJob(kind="participation", subject_type="event", subject_id=event.id)
    db.session.add(job)
    db.session.commit()
    began = time.process_time()
    done = bulk.run(job.id)
    elapsed = time.process_time() - began
    print(f"{'bulk issue':>14}: {done.issued} issued in {elapsed:.2f} s = "
          f"{done.issued / elapsed:.0f}/s CPU (rule, render, insert, audit, outbox email)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--issue", type=int, default=0, help="also bulk-issue N via the DB")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "MAIL_SERVER": None, "REDIS_URL": None})
        with app.app_context():
            design = _design()
            rate = measure("certificates", certificate, design, args.count)
            ceiling = measure("bare page", bare, design, args.count)
            print(f"ratio bare/certificate: {ceiling / rate:.2f}x "
                  f"(target <= 2x); target >= 50/s: {'met' if rate >= 50 else 'NOT met'}")
            if args.issue:
                issue_bulk(app, args.issue)
    import resource

    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
