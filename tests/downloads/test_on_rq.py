"""A prepared download with REDIS_URL set: the export link queues an RQ job on the real local
Redis, the download page says the file is being prepared until a worker (in-process, burst
mode, its app built from the environment as `flask elearn worker` builds it) has run it, then
hands the file over. Once with files in a directory, once in an S3-compatible server (moto):
the worker and the web app find the file through the storage interface either way. Skipped
where no Redis answers on 127.0.0.1:6379."""

import csv
import io

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from elearn.downloads.models import DownloadStatus, PreparedDownload
from elearn.extensions import db
from tests.conftest import s3_settings


@pytest.fixture(params=["local", "s3"])
def shared_files(request, app, monkeypatch, tmp_path):
    """The same storage for the test's app and the worker's (built from the environment)."""
    if request.param == "s3":
        settings = s3_settings(request.getfixturevalue("s3_server"))
    else:
        settings = {"STORAGE_BACKEND": "local", "STORAGE_LOCAL_DIR": str(tmp_path / "files")}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    app.config.pop("EXPORTS_DIR", None)
    app.config.update(settings)
    return request.param


def test_an_export_waits_for_the_worker_then_downloads(app, client, login, make_user,
                                                       make_event, register, rq_worker,
                                                       shared_files, stored_keys):
    organiser = make_user(email="olga@example.org", roles=["organiser"],
                          preferred_language="es")
    event = make_event(organiser)
    register(event, make_user(email="zoe@example.org", full_name="Zoë Núñez"))
    login(organiser)

    asked = client.get(f"/organise/events/{event.id}/registrations.csv")
    assert asked.status_code == 303
    row = db.session.scalar(select(PreparedDownload))
    assert row.status == DownloadStatus.QUEUED and rq_worker.queue.count == 1
    waiting = client.get(asked.headers["Location"])
    text = waiting.get_data(as_text=True)
    assert waiting.status_code == 200 and '<meta http-equiv="refresh" content="3">' in text
    assert f'href="/downloads/{row.id}"' in text and 'href="/downloads/"' in text
    assert waiting.headers["Cache-Control"] == "no-store"
    calm = client.get(asked.headers["Location"] + "?auto=0").get_data(as_text=True)
    assert "http-equiv" not in calm and f'href="/downloads/{row.id}?auto=0"' in calm
    listing = client.get("/downloads/").get_data(as_text=True)
    assert "registrations.csv" in listing

    rq_worker.work()

    db.session.expire_all()
    row = db.session.get(PreparedDownload, row.id)
    assert row.status == DownloadStatus.READY and row.attempts == 1
    assert [key.rsplit("/", 1)[1] for key in stored_keys("exports")] == [row.stored_name]
    got = client.get(asked.headers["Location"])
    assert got.status_code == 200 and got.mimetype == "text/csv"
    assert got.headers["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(got.get_data(as_text=True).lstrip("\ufeff"))))
    with app.test_request_context(), force_locale("es"):
        from flask_babel import gettext as _

        status = _("Status")
    assert status != "Status" and status in lines[0]  # built in the organiser's language
    assert any("Zoë Núñez" in line for line in lines)
    assert row.size == len(got.data)


def test_a_removed_organiser_cannot_fetch_what_the_worker_prepared(client, login, make_user,
                                                                    make_event, rq_worker,
                                                                    shared_files):
    from elearn.events.models import EventOrganiser

    organiser = make_user(email="olga@example.org", roles=["organiser"])
    event = make_event(organiser)
    login(organiser)
    location = client.get(f"/stats/event/{event.id}/summary.pdf").headers["Location"]
    db.session.execute(EventOrganiser.__table__.delete().where(
        EventOrganiser.user_id == organiser.id))
    db.session.commit()
    rq_worker.work()  # the job does not ask again: the download does
    db.session.expire_all()
    assert db.session.scalar(select(PreparedDownload)).status == DownloadStatus.READY
    assert client.get(location).status_code == 403
