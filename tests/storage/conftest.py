"""Every test here runs twice: files in a local directory, and in a real S3-compatible server
(moto, on loopback) under a prefix of the test's own. The course and hackathon fixtures are
the domains' own, borrowed."""

import boto3
import pytest

from tests.conftest import s3_settings
from tests.courses.conftest import (  # noqa: F401 - fixtures
    case_study,
    edition,
    instructor,
    participant,
)
from tests.hackathons.conftest import (  # noqa: F401 - fixtures
    hackathon,
    make_hackathon,
    make_participant,
    make_team,
    organiser,
    submission_data,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(params=["local", "s3"])
def backend_name(request):
    return request.param


@pytest.fixture
def app_config(app_config, backend_name, request, tmp_path):
    app_config.pop("COURSE_FILES_DIR", None)
    app_config.pop("HACKATHON_UPLOAD_DIR", None)
    if backend_name == "s3":
        app_config.update(s3_settings(request.getfixturevalue("s3_server")))
    else:
        app_config.update(STORAGE_BACKEND="local", STORAGE_LOCAL_DIR=str(tmp_path / "files"))
    return app_config


@pytest.fixture
def bucket_keys(app, s3_server):
    """Every key under the test's prefix, read straight from the server (not through the app)."""
    endpoint, bucket = s3_server
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")

    def keys() -> list[str]:
        prefix = app.config["STORAGE_S3_PREFIX"]
        found = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
        return sorted(item["Key"][len(prefix):] for item in found)

    return keys
