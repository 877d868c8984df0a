"""Prepared downloads inline (no REDIS_URL, as in development): an export link asks for the
file, the job runs before the redirect, and the download page hands the file over after the
domain's rule says yes again. Failures, expiry and stalled jobs end in a state the page can
show, never a 500 and never "running" for ever."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn import storage
from elearn.db_types import utcnow
from elearn.downloads import Built, DownloadError, register
from elearn.downloads import services as downloads
from elearn.downloads.models import DownloadStatus, PreparedDownload
from elearn.events.models import EventOrganiser
from elearn.extensions import db


# A kind of file of the tests' own: its parameters say what the builder does.
def build_echo(owner, params):
    if params.get("fail") == "refused":
        raise DownloadError("The test says no.")
    if params.get("fail"):
        raise RuntimeError("secret internals")
    return Built(f"hello {owner.email}".encode(), "echo.txt", "text/plain")


def may_echo(user, params):
    return not params.get("forbidden")


register("tests.echo", build=build_echo, may_download=may_echo)


def _ask(user, **params):
    return downloads.request_download(user, "tests.echo", params, filename="echo.txt")


@pytest.fixture
def organiser(make_user):
    return make_user(email="olga@example.org", roles=["organiser"], full_name="Olga Organiser")


@pytest.fixture
def event(make_event, organiser, register, make_user):
    event = make_event(organiser)
    register(event, make_user(email="ana@example.org", full_name="Ana Pérez"))
    return event


def test_an_export_link_leads_to_its_file_and_to_my_downloads(client, login, organiser, event):
    login(organiser)
    asked = client.get(f"/organise/events/{event.id}/registrations.csv")
    assert asked.status_code == 303
    row = db.session.scalar(select(PreparedDownload))
    assert asked.headers["Location"].endswith(f"/downloads/{row.id}")
    assert (row.status, row.owner_id, row.kind) == ("ready", organiser.id, "events.registrations")
    assert row.expires_at > utcnow() + timedelta(hours=23)
    got = client.get(f"/downloads/{row.id}")
    assert got.status_code == 200 and got.mimetype == "text/csv"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert f"event-{event.id}-registrations.csv" in got.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True).lstrip("\ufeff"))))
    assert any("Ana Pérez" in line for line in rows)
    assert row.size == len(got.data)
    listing = client.get("/downloads/").get_data(as_text=True)
    assert f"/downloads/{row.id}" in listing and "Ready" in listing
    assert "/downloads/" in client.get("/me").get_data(as_text=True)  # reachable by clicking


def test_the_right_is_asked_again_at_download_time(client, login, organiser, event):
    login(organiser)
    client.get(f"/organise/events/{event.id}/registrations.xlsx")
    row = db.session.scalar(select(PreparedDownload))
    assert client.get(f"/downloads/{row.id}").status_code == 200
    db.session.execute(EventOrganiser.__table__.delete().where(
        EventOrganiser.user_id == organiser.id))
    db.session.commit()
    assert client.get(f"/downloads/{row.id}").status_code == 403
    assert client.post(f"/downloads/{row.id}/again").status_code == 403


def test_only_the_owner_sees_a_download(client, login, make_user, organiser, event):
    row = _ask(organiser)
    login(make_user(email="someone@example.org", roles=["admin"]))
    assert client.get(f"/downloads/{row.id}").status_code == 404
    assert client.post(f"/downloads/{row.id}/again").status_code == 404
    for huge in ("99999999999999999999", str(2**31), str(2**63), "0", "-1", "1e3"):
        assert client.get(f"/downloads/{huge}").status_code == 404, huge
    assert "echo.txt" not in client.get("/downloads/").get_data(as_text=True)
    client.post("/logout")
    assert client.get(f"/downloads/{row.id}").status_code in (302, 401)


def test_a_failing_builder_fails_the_download_with_a_message(client, login, organiser):
    login(organiser)
    crashed = _ask(organiser, fail="crash")
    assert crashed.status == DownloadStatus.FAILED and crashed.stored_name is None
    assert "unexpected error" in crashed.error and "secret" not in crashed.error
    page = client.get(f"/downloads/{crashed.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "could not be prepared" in text
    assert f"download {crashed.id}" in text and "Prepare it again" in text
    refused = _ask(organiser, fail="refused")
    assert refused.error == "The test says no."
    again = client.post(f"/downloads/{refused.id}/again")
    assert again.status_code == 303
    fresh = db.session.scalars(select(PreparedDownload).order_by(PreparedDownload.id)).all()[-1]
    assert fresh.id != refused.id and fresh.parameters == {"fail": "refused"}
    assert client.get(f"/downloads/{crashed.id}/again").status_code == 405


def test_a_kind_nobody_registers_any_more_fails_cleanly(client, login, organiser):
    row = PreparedDownload(owner_id=organiser.id, kind="gone.kind", parameters={},
                           filename="x.csv", expires_at=utcnow() + timedelta(hours=1))
    db.session.add(row)
    db.session.commit()
    assert downloads.prepare(row.id).status == DownloadStatus.FAILED
    login(organiser)
    assert client.get(f"/downloads/{row.id}").status_code == 403  # no rule says yes


def test_a_job_run_again_does_nothing_twice(organiser, stored_keys):
    row = _ask(organiser)
    assert row.status == DownloadStatus.READY and row.attempts == 1
    assert downloads.prepare(row.id).attempts == 1  # done: left alone
    assert len(stored_keys("exports")) >= 1
    # A worker died mid-run: RQ runs the job again, which takes the row over and finishes.
    dead = PreparedDownload(owner_id=organiser.id, kind="tests.echo", parameters={},
                            filename="echo.txt", status=DownloadStatus.RUNNING, attempts=1,
                            started_at=utcnow(), expires_at=utcnow() + timedelta(hours=1))
    db.session.add(dead)
    db.session.commit()
    finished = downloads.prepare(dead.id)
    assert (finished.status, finished.attempts) == (DownloadStatus.READY, 2)
    # ...but not for ever.
    dead.status, dead.attempts = DownloadStatus.RUNNING, downloads.MAX_ATTEMPTS
    db.session.commit()
    assert downloads.prepare(dead.id).status == DownloadStatus.FAILED


def test_stalled_downloads_are_reported_failed_once(app, organiser):
    old = utcnow() - timedelta(hours=2)
    running = PreparedDownload(owner_id=organiser.id, kind="tests.echo", parameters={},
                               filename="a.txt", status=DownloadStatus.RUNNING, attempts=1,
                               started_at=old, created_at=old, expires_at=utcnow())
    queued = PreparedDownload(owner_id=organiser.id, kind="tests.echo", parameters={},
                              filename="b.txt", created_at=old, expires_at=utcnow())
    fresh = PreparedDownload(owner_id=organiser.id, kind="tests.echo", parameters={},
                             filename="c.txt", status=DownloadStatus.RUNNING,
                             started_at=utcnow(), expires_at=utcnow())
    db.session.add_all([running, queued, fresh])
    db.session.commit()
    assert downloads.fail_stalled() == 2
    assert downloads.fail_stalled() == 0  # a second scheduler finds nothing left
    db.session.expire_all()
    assert (running.status, queued.status, fresh.status) == ("failed", "failed", "running")
    assert "No worker finished" in running.error


def test_expired_files_are_deleted_and_rows_marked(app, client, login, organiser):
    row = _ask(organiser)
    kept = _ask(organiser)
    key = downloads.FILES.key(row.stored_name)
    assert storage.exists(key)
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert downloads.remove_expired() == 1
    assert downloads.remove_expired() == 0  # idempotent
    db.session.expire_all()
    assert (row.status, row.stored_name) == (DownloadStatus.EXPIRED, None)
    assert not storage.exists(key)
    assert kept.status == DownloadStatus.READY and storage.exists(
        downloads.FILES.key(kept.stored_name))
    login(organiser)
    page = client.get(f"/downloads/{row.id}")
    assert page.status_code == 200 and "no longer kept" in page.get_data(as_text=True)
    # Long expired: the row goes too.
    row_id, row.expires_at = row.id, utcnow() - downloads.FORGET_AFTER - timedelta(days=1)
    db.session.commit()
    downloads.remove_expired()
    db.session.expire_all()
    assert db.session.get(PreparedDownload, row_id) is None
    assert db.session.get(PreparedDownload, kept.id) is not None


def test_the_keeping_time_is_configurable(app, organiser):
    app.config["DOWNLOADS_KEEP_HOURS"] = 2
    row = _ask(organiser)
    assert utcnow() + timedelta(hours=1) < row.expires_at < utcnow() + timedelta(hours=3)


def test_a_file_gone_from_storage_is_410_not_500(client, login, organiser):
    row = _ask(organiser)
    storage.delete(downloads.FILES.key(row.stored_name))
    login(organiser)
    page = client.get(f"/downloads/{row.id}")
    assert page.status_code == 410 and "Prepare it again" in page.get_data(as_text=True)


def test_the_back_link_is_only_ever_a_page_of_this_site(client, login, organiser, event):
    login(organiser)
    client.get(f"/organise/events/{event.id}/registrations.csv",
               headers={"Referer": f"http://localhost/organise/events/{event.id}?status=x"})
    client.get(f"/organise/events/{event.id}/registrations.csv",
               headers={"Referer": "https://evil.example/phish"})
    first, second = db.session.scalars(select(PreparedDownload).order_by(PreparedDownload.id))
    assert first.back_path == f"/organise/events/{event.id}?status=x"
    assert second.back_path is None


def test_the_scheduler_runs_both_tidying_tasks():
    from elearn.jobs import resolve
    from elearn.jobs.schedule import TASKS

    paths = {task.path for task in TASKS}
    assert {"elearn.downloads.services.fail_stalled",
            "elearn.downloads.services.remove_expired"} <= paths
    for path in paths:
        assert callable(resolve(path))
