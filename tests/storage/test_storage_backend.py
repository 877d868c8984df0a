"""elearn.storage: the same verbs on a directory and on a real S3 server; keys never leave
their area; settings checked with the variable to set named."""

import io
import os

import pytest

from elearn import storage, uploads
from elearn.config import from_environment
from elearn.storage import InvalidKey, check_settings

from .conftest import PDF

AREA = storage.area("course_files", dir_setting="COURSE_FILES_DIR")


def test_put_read_open_stat_copy_delete(app, backend_name):
    key = "course_files/0123456789abcdef.pdf"
    assert not storage.exists(key) and storage.stat(key) is None
    storage.put(key, PDF, "application/pdf")
    assert storage.exists(key) and storage.read(key) == PDF
    assert storage.stat(key).size == len(PDF)
    with storage.open(key) as handle:
        assert handle.read() == PDF
    storage.copy(key, "course_files/fedcba9876543210.pdf")
    storage.put("course_files/streamed", io.BytesIO(b"x" * 200_000))  # a file object
    assert storage.stat("course_files/streamed").size == 200_000
    assert sorted(storage.backend().keys("course_files")) == [
        "course_files/0123456789abcdef.pdf", "course_files/fedcba9876543210.pdf",
        "course_files/streamed"]
    storage.delete(key)
    storage.delete(key)  # already gone: fine
    assert not storage.exists(key)
    assert storage.read("course_files/fedcba9876543210.pdf") == PDF  # the copy stands alone
    with pytest.raises(FileNotFoundError):
        storage.read(key)
    with pytest.raises(FileNotFoundError):
        storage.open(key)
    with pytest.raises(FileNotFoundError):
        storage.copy(key, "course_files/other")
    assert storage.backend().name == backend_name
    storage.ping()


HOSTILE = ["../etc/passwd", "/etc/passwd", "course_files/../../etc/passwd", "course_files/..",
           "course_files/./x", "course_files//x", "course_files/", "course_files\\..\\x",
           "course_files/x\x00y", "C:/windows/x", "course_files/.hidden", "plain", "", None,
           "course_files/" + "a" * 600, "course_files/%2e%2e/x"]


@pytest.mark.parametrize("key", HOSTILE)
def test_hostile_keys_are_refused_before_any_backend(app, key, tmp_path):
    for verb in (storage.read, storage.open, storage.delete, storage.exists, storage.stat):
        with pytest.raises(InvalidKey):
            verb(key)
    with pytest.raises(InvalidKey):
        storage.put(key, b"x")
    with pytest.raises(InvalidKey):
        storage.copy("course_files/abc", key)
    with pytest.raises(InvalidKey):
        storage.send(key, download_name="x.pdf", mimetype="application/pdf")
    assert not os.path.exists(tmp_path / "etc")


@pytest.mark.parametrize("name", ["", None, "../etc/passwd", "/etc/passwd", "ABC.pdf",
                                  "0123abcd/../x", "0123abcd.pdf/.."])
def test_uploads_refuse_stored_names_that_are_not_ours(app, name):
    with pytest.raises(FileNotFoundError):
        uploads.send(AREA, name, "x.pdf", "application/pdf")
    assert not uploads.exists(AREA, name)
    uploads.remove(AREA, name)  # nothing to remove, nothing raised


def test_uploads_store_copy_remove(app):
    name = uploads.store(AREA, PDF, ".pdf", "application/pdf")
    assert len(name) == 36 and name.endswith(".pdf")
    copied = uploads.copy(AREA, name)
    assert copied != name and copied.endswith(".pdf")
    uploads.remove(AREA, name)
    assert not uploads.exists(AREA, name) and uploads.exists(AREA, copied)
    assert storage.read(f"course_files/{copied}") == PDF


def test_local_layout_is_the_instance_folders(app, tmp_path, backend_name):
    """Files stored before the storage interface (instance/course_files/<name>) are found."""
    if backend_name != "local":
        pytest.skip("the directory layout")
    folder = tmp_path / "files" / "course_files"
    folder.mkdir(parents=True)
    (folder / "00112233445566778899aabbccddeeff").write_bytes(PDF)
    assert storage.read("course_files/00112233445566778899aabbccddeeff") == PDF
    app.config["COURSE_FILES_DIR"] = str(tmp_path / "elsewhere")
    name = uploads.store(AREA, PDF)
    assert (tmp_path / "elsewhere" / name).read_bytes() == PDF
    assert not [n for n in os.listdir(tmp_path / "elsewhere") if n.startswith(".part")]


def test_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STORAGE_BACKEND", "S3")
    monkeypatch.setenv("STORAGE_S3_BUCKET", "elearn-files")
    monkeypatch.setenv("STORAGE_S3_PREFIX", "prod")
    monkeypatch.setenv("STORAGE_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("STORAGE_S3_PRESIGNED", "1")
    config = from_environment(str(tmp_path))
    assert config["STORAGE_BACKEND"] == "s3" and config["STORAGE_S3_BUCKET"] == "elearn-files"
    assert config["STORAGE_S3_PRESIGNED"] is True and config["STORAGE_S3_PRESIGNED_SECONDS"] == 60
    assert check_settings(config) == []
    monkeypatch.delenv("STORAGE_BACKEND")
    config = from_environment(str(tmp_path))
    assert config["STORAGE_BACKEND"] == "local" and config["STORAGE_LOCAL_DIR"] == str(tmp_path)


@pytest.mark.parametrize("settings,named", [
    ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
    ({"STORAGE_BACKEND": "s3"}, "STORAGE_S3_BUCKET"),
    ({"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "Bad_Bucket!"}, "STORAGE_S3_BUCKET"),
    ({"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "ok-bucket",
      "STORAGE_S3_PREFIX": "../x"}, "STORAGE_S3_PREFIX"),
    ({"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "ok-bucket",
      "STORAGE_S3_ENDPOINT_URL": "minio:9000"}, "STORAGE_S3_ENDPOINT_URL"),
    ({"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "ok-bucket",
      "STORAGE_S3_PRESIGNED_SECONDS": 0}, "STORAGE_S3_PRESIGNED_SECONDS"),
])
def test_bad_settings_are_named(settings, named):
    problems = check_settings(settings)
    assert len(problems) == 1 and named in problems[0]


def test_the_app_refuses_to_use_bad_settings(app):
    app.config["STORAGE_BACKEND"] = "s3"
    app.config["STORAGE_S3_BUCKET"] = None
    with pytest.raises(storage.StorageConfigError, match="STORAGE_S3_BUCKET"):
        storage.exists("course_files/abc")


def test_presigned_downloads_name_the_file_as_send_file_does():
    from elearn.storage.s3 import content_disposition

    assert content_disposition("deck.pdf") == "attachment; filename=deck.pdf"
    assert content_disposition("our deck.pdf") == 'attachment; filename="our deck.pdf"'
    assert content_disposition("informe país.pdf") == (
        "attachment; filename=\"informe pais.pdf\"; filename*=UTF-8''informe%20pa%C3%ADs.pdf")


def test_send_streams_a_large_file_in_pieces(app, backend_name):
    data = os.urandom(3 * 1024 * 1024 + 7)
    storage.put("hackathon_uploads/0123456789abcdef.pdf", data, "application/pdf")
    with app.test_request_context():
        response = storage.send("hackathon_uploads/0123456789abcdef.pdf",
                                download_name="deck.pdf", mimetype="application/pdf")
        assert response.content_length == len(data)
        assert response.headers["Content-Disposition"] == "attachment; filename=deck.pdf"
        assert response.direct_passthrough  # a file wrapper, read as it is sent
        pieces = list(response.response)
        response.close()
    assert len(pieces) > 1 and b"".join(pieces) == data
    with app.test_request_context(), pytest.raises(FileNotFoundError):
        storage.send("hackathon_uploads/ffff.pdf", download_name="x.pdf",
                     mimetype="application/pdf")
