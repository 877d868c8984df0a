"""A web worker that serves the everyday pages never loads the heavy libraries: xlsxwriter,
reportlab, PIL, pyhanko, highspy/numpy and boto3 are imported by the functions that export,
draw, sign, audit or store (about 35 MB of a worker's memory; bench/memory.py measures it);
Alembic (with Mako and Pygments, 11 MB) only by `flask db`, and requests (5 MB) only by the
calls to a meeting server. /readyz, asked every few seconds by a load balancer, too.

Deterministic: a fresh interpreter builds the app (S3 storage configured), renders the public
home page, the events catalogue, an event page and its .ics, then lists what it imported.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEAVY = ("xlsxwriter", "reportlab", "PIL", "pyhanko", "highspy", "numpy", "scipy", "boto3",
         "botocore", "alembic", "mako", "pygments", "flask_migrate", "requests", "urllib3",
         "fontTools", "bidi", "arabic_reshaper", "uharfbuzz")

SCRIPT = r"""
import json, sys
from datetime import UTC, datetime, timedelta

from elearn import create_app
from elearn.extensions import db

app = create_app({
    "TESTING": True, "SECRET_KEY": "lazy-imports", "SQLALCHEMY_DATABASE_URI": sys.argv[1],
    "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
    "MAIL_SERVER": None, "REDIS_URL": None, "BASE_URL": "http://localhost", "SERVER_NAME": None,
    "CREDENTIAL_KEYS_DIR": sys.argv[2], "STORAGE_BACKEND": "s3",
    "STORAGE_S3_BUCKET": "elearn-lazy", "STORAGE_S3_ENDPOINT_URL": "http://127.0.0.1:9",
})
from elearn.events.models import Event, EventKind, EventMode, EventSession, EventStatus

with app.app_context():
    db.create_all()
    start = datetime.now(UTC) + timedelta(days=3)
    event = Event(kind=EventKind.WORKSHOP, mode=EventMode.HYBRID, title_en="Lazy imports",
                  timezone="America/Caracas", status=EventStatus.PUBLISHED, starts_at=start,
                  ends_at=start + timedelta(hours=2))
    event.sessions.append(EventSession(starts_at=start, ends_at=start + timedelta(hours=2)))
    db.session.add(event)
    db.session.commit()
    event_id = event.id
client = app.test_client()
status = {path: client.get(path).status_code
          for path in ("/", "/events/", f"/events/{event_id}", f"/events/{event_id}/calendar.ics",
                       "/readyz")}
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def test_everyday_pages_load_no_heavy_library(tmp_path):
    env = {**os.environ, "PYTHONPATH": ROOT}
    for key in [k for k in env if k.startswith(("STORAGE_", "AWS_"))]:
        del env[key]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'lazy.db'}", str(tmp_path / "keys")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    readiness = found["status"].pop("/readyz")
    assert set(found["status"].values()) == {200}, found["status"]
    assert readiness in (200, 503)  # answered (no migrations stamped here), Alembic unloaded
    loaded = {name.split(".")[0] for name in found["modules"]}
    assert not loaded & set(HEAVY), f"imported at start or by a page: {sorted(loaded & set(HEAVY))}"
