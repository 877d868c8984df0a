"""Lesson material: sanitised Markdown, allow-listed video links, files judged by content."""

import os

import pytest

from elearn.courses.content import (
    ContentError,
    check_upload,
    clean_video_url,
    render_markdown,
    store_upload,
    stored_exists,
)

from .conftest import PDF


def test_markdown_keeps_formatting_and_drops_script():
    html = render_markdown(
        "# Title\n\n**bold** [ok](https://sela.org)\n\n<script>alert(1)</script>\n\n"
        '<img src="x" onerror="alert(2)">\n\n[bad](javascript:alert(3))\n\n'
        '<a href="javascript:alert(4)">x</a> <iframe src="https://evil"></iframe>'
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert 'href="https://sela.org"' in html
    lowered = html.lower()
    for bad in ("<script", "onerror", "javascript:", "<iframe"):
        assert bad not in lowered


@pytest.mark.parametrize("url", ["https://www.youtube.com/watch?v=abc", "https://vimeo.com/1",
                                 "https://youtu.be/abc"])
def test_video_links_from_allowed_hosts(url):
    assert clean_video_url(url) == url


@pytest.mark.parametrize("url", ["http://www.youtube.com/watch?v=abc", "javascript:alert(1)",
                                 "https://evil.example/video", "https://youtube.com.evil.io/x"])
def test_other_video_links_refused(app, url):
    with pytest.raises(ContentError):
        clean_video_url(url)


def test_blank_video_is_none():
    assert clean_video_url("  ") is None


def test_pdf_named_file_that_is_an_exe_is_refused(app):
    with pytest.raises(ContentError, match="not accepted"):
        check_upload("report.pdf", b"MZ\x90\x00\x03 this is a program")
    with pytest.raises(ContentError, match="not accepted"):
        check_upload("report.pdf", b"<!doctype html><script>x</script>")


def test_too_big_and_empty_refused(app):
    app.config["COURSE_FILE_MAX_BYTES"] = 100
    with pytest.raises(ContentError, match="too large"):
        check_upload("a.pdf", PDF + b"x" * 200)
    with pytest.raises(ContentError, match="empty"):
        check_upload("a.pdf", b"")


def test_dangerous_name_is_sanitised_and_stored_inside_the_folder(app):
    stored = store_upload("../../etc/passwd", PDF)
    assert stored.filename == "etc_passwd.pdf"
    assert "/" not in stored.filename and ".." not in stored.filename
    assert stored_exists(stored.stored_name)
    if app.config["STORAGE_BACKEND"] == "local":
        folder = app.config["COURSE_FILES_DIR"]
        assert not folder.startswith(app.instance_path)
        assert os.path.exists(os.path.join(folder, stored.stored_name))
    assert len(stored.stored_name) == 32


def test_extension_follows_the_content(app):
    name, content_type = check_upload("scan.docx", PDF)
    assert name == "scan.pdf" and content_type == "application/pdf"
