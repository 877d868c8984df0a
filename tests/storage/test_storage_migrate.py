"""`flask elearn storage-migrate`: the directory's files into the bucket, counted, safe to run
again, a dry run that writes nothing; afterwards the pages serve them from the bucket."""

import io

import pytest
from sqlalchemy import select

from elearn.courses.assessment_models import Submission as Handin
from elearn.extensions import db
from tests.conftest import s3_settings

from .conftest import PDF

COURSE = ["00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"]
HACKATHON = ["0123456789abcdef0123456789abcdef.pdf"]


@pytest.fixture
def backend_name():
    return "s3"  # the command copies into a bucket: one run, not the directory variant


@pytest.fixture
def local_files(app, tmp_path):
    """Files as a deployment on the directory backend left them (instance-style folders)."""
    root = tmp_path / "instance"
    _only_this_deployment(app, root)
    for area, names in (("course_files", COURSE), ("hackathon_uploads", HACKATHON)):
        (root / area).mkdir(parents=True)
        for name in names:
            (root / area / name).write_bytes(PDF + name.encode())
    (root / "elearn.db").write_bytes(b"not a stored file")  # never copied
    (root / "course_files" / ".part-x").write_bytes(b"half-written")  # nor this
    return root


def _only_this_deployment(app, root) -> None:
    """Every area in this deployment's folder: areas with a folder setting of their own (the
    test configuration keeps exports apart) would bring other tests' files along."""
    from elearn.storage.base import AREAS

    app.config["STORAGE_LOCAL_DIR"] = str(root)
    for area in AREAS.values():
        if area.dir_setting:
            app.config[area.dir_setting] = str(root / area.name)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["elearn", "storage-migrate", *args])


def test_migration_copies_counts_and_skips_what_is_there(app, local_files, bucket_keys):
    dry = run(app, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would copy 3 file(s)" in dry.output and "0 already in the bucket" in dry.output
    assert bucket_keys() == []

    first = run(app)
    assert first.exit_code == 0, first.output
    assert "copied 3 file(s)" in first.output and "0 failed" in first.output
    expected = sorted([f"course_files/{n}" for n in COURSE]
                      + [f"hackathon_uploads/{n}" for n in HACKATHON])
    assert bucket_keys() == expected

    again = run(app)
    assert "copied 0 file(s)" in again.output and "3 already in the bucket" in again.output

    # Changed locally since (same size, other bytes): the checksum tells, and it is copied.
    changed = local_files / "course_files" / COURSE[0]
    changed.write_bytes(changed.read_bytes()[:-1] + b"!")
    third = run(app)
    assert "copied 1 file(s)" in third.output and "2 already in the bucket" in third.output
    from elearn import storage

    assert storage.read(f"course_files/{COURSE[0]}") == changed.read_bytes()
    assert changed.exists()  # nothing local is deleted


def test_migrated_files_are_served_from_the_bucket(app, client, login, case_study, participant,
                                                   tmp_path, s3_server):
    """A file handed in on the directory backend, migrated, then downloaded on the bucket."""
    bucket_settings = {k: app.config[k] for k in s3_settings(s3_server)}
    app.config.update(STORAGE_BACKEND="local")
    _only_this_deployment(app, tmp_path / "instance")
    owner = participant()
    login(owner)
    response = client.post(f"/courses/assessments/{case_study.id}/submit",
                           data={"text": "", "upload": (io.BytesIO(PDF), "case.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    row = db.session.scalar(select(Handin))
    assert (tmp_path / "instance" / "course_files" / row.stored_name).exists()

    app.config.update(bucket_settings)
    url = f"/courses/submissions/{row.id}/file"
    assert client.get(url).status_code == 404  # not in the bucket yet
    assert "copied 1 file(s)" in run(app).output
    assert client.get(url).data == PDF


def test_migration_needs_the_bucket_settings(app):
    app.config["STORAGE_BACKEND"] = "local"
    result = run(app)
    assert result.exit_code != 0 and "STORAGE_BACKEND=s3" in result.output
    app.config.update(STORAGE_BACKEND="s3", STORAGE_S3_BUCKET=None)
    result = run(app)
    assert result.exit_code != 0 and "STORAGE_S3_BUCKET" in result.output
    app.config.update(STORAGE_S3_BUCKET="no-such-bucket")
    result = run(app)
    assert result.exit_code != 0 and "cannot be reached" in result.output
