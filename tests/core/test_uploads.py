"""elearn.uploads: files judged by content and safe names (storing: test_storage.py)."""

import io
import zipfile

import pytest

from elearn import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ooxml(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return out.getvalue()


def test_sniffing_by_content():
    assert uploads.sniff(PDF) == "pdf"
    assert uploads.sniff(b"\x89PNG\r\n\x1a\n....") == "png"
    assert uploads.sniff(b"\xff\xd8\xff\xe0....") == "jpeg"
    assert uploads.sniff(ooxml("word/")) == "docx"
    assert uploads.sniff(ooxml("xl/")) == "xlsx"
    assert uploads.sniff(ooxml("ppt/")) == "pptx"
    assert uploads.sniff(b"MZ\x90\x00 executable") is None
    assert uploads.sniff(b"<html><script>alert(1)</script></html>") is None
    assert uploads.sniff(b"PK\x03\x04broken zip") is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    assert uploads.sniff(plain_zip.getvalue()) is None


@pytest.mark.parametrize("data,allowed,limit,reason", [
    (b"", {"pdf"}, 100, uploads.Refusal.EMPTY),
    (PDF + b"x" * 200, {"pdf"}, 100, uploads.Refusal.TOO_LARGE),
    (b"MZ\x90\x00 program", {"pdf"}, 100, uploads.Refusal.WRONG_KIND),
    (ooxml("word/"), {"pdf", "pptx"}, 10_000, uploads.Refusal.WRONG_KIND),
])
def test_check_refuses_with_a_reason(data, allowed, limit, reason):
    with pytest.raises(uploads.UploadRefused) as exc:
        uploads.check(data, allowed, limit)
    assert exc.value.reason == reason
    if reason == uploads.Refusal.TOO_LARGE:
        assert exc.value.limit == 100


def test_check_returns_the_kind():
    assert uploads.check(PDF, {"pdf"}, len(PDF)) == "pdf"
    assert uploads.check(ooxml("ppt/"), {"pdf", "pptx"}, 10_000) == "pptx"


def test_read_limited_reads_one_byte_past_the_limit():
    assert len(uploads.read_limited(io.BytesIO(b"x" * 50), 10)) == 11


@pytest.mark.parametrize("name,kind,safe", [
    ("../../etc/passwd", "pdf", "etc_passwd.pdf"),
    ("scan.docx", "pdf", "scan.pdf"),
    ("photo.jpeg", "jpeg", "photo.jpeg"),
    ("photo.png", "jpeg", "photo.jpg"),
    ("Report.PDF", "pdf", "Report.PDF"),
    (None, "pptx", "file.pptx"),
    ("..", "png", "file.png"),
])
def test_safe_filename_follows_the_content(name, kind, safe):
    assert uploads.safe_filename(name, kind) == safe
