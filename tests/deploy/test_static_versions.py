"""Static URLs name the content they serve (`?v=<hash>`), so nginx may let browsers keep static
files for a year (deploy/nginx/elearn-common.conf) and an upgrade is still seen at once."""

import hashlib
import os

from flask import url_for

from elearn.core.static_assets import version_of


def test_static_urls_carry_the_hash_of_the_content(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    with open(os.path.join(app.static_folder, "css/app.css"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:10]
    assert url == f"/static/css/app.css?v={digest}"
    assert f'href="{url}"' in client.get("/").get_data(as_text=True)
    assert client.get(url).status_code == 200


def test_a_changed_file_gets_a_new_url_and_a_missing_one_none(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black }")
    first = version_of(str(tmp_path), "site.css")
    (tmp_path / "site.css").write_text("body { color: navy }")
    assert version_of(str(tmp_path), "site.css") not in (None, first)
    assert version_of(str(tmp_path), "missing.css") is None
