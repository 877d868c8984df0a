"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage...) through boto3. Objects are
private: the app reads them for the person it has allowed, and streams them on (or, when
asked, redirects to a presigned URL valid for a minute).

Credentials come from wherever boto3 finds them: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
~/.aws, an instance role."""

import unicodedata
from typing import IO, BinaryIO
from urllib.parse import quote

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from flask import Response, redirect, send_file
from werkzeug.datastructures import Headers

from .base import Stat

_MISSING = {"404", "NoSuchKey", "NotFound"}
CHUNK = 64 * 1024


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING


def content_disposition(download_name: str) -> str:
    """`attachment; filename=...` as Werkzeug's send_file writes it (ASCII plus RFC 5987)."""
    try:
        download_name.encode("ascii")
        names = {"filename": download_name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", download_name).encode("ascii", "ignore")
        names = {"filename": simple.decode("ascii"),
                 "filename*": "UTF-8''" + quote(download_name, safe="!#$&+-.^_`|~")}
    headers = Headers()
    headers.set("Content-Disposition", "attachment", **names)
    return headers["Content-Disposition"]


class S3Backend:
    name = "s3"

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None, presigned: bool = False,
                 presigned_seconds: int = 60):
        self.bucket = bucket
        self.prefix = prefix
        self.presigned = presigned
        self.presigned_seconds = presigned_seconds
        # Path-style addressing for a self-hosted endpoint (no wildcard DNS per bucket needed).
        config = Config(signature_version="s3v4", connect_timeout=5, read_timeout=30,
                        retries={"max_attempts": 3, "mode": "standard"},
                        s3={"addressing_style": "path" if endpoint_url else "auto"})
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url, region_name=region, config=config)

    def _key(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **extra)

    def _get(self, key: str) -> dict:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from None
            raise

    def open(self, key: str) -> IO[bytes]:
        return self._get(key)["Body"]

    def read(self, key: str) -> bytes:
        body = self._get(key)["Body"]
        try:
            return body.read()
        finally:
            body.close()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def stat(self, key: str) -> Stat | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        return Stat(size=head["ContentLength"], etag=head.get("ETag", "").strip('"') or None)

    def copy(self, source: str, target: str) -> None:
        try:
            self.client.copy_object(Bucket=self.bucket, Key=self._key(target),
                                    CopySource={"Bucket": self.bucket, "Key": self._key(source)})
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(source) from None
            raise

    def keys(self, area_name: str):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(area_name + "/"))
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]

    def send(self, key: str, *, download_name: str, mimetype: str) -> Response:
        if self.presigned:
            return self._redirect(key, download_name, mimetype)
        found = self._get(key)
        # Streamed chunk by chunk: the app never holds the whole file, and the bucket stays
        # private (nginx buffers the response for slow clients).
        response = send_file(found["Body"], mimetype=mimetype, as_attachment=True,
                             download_name=download_name, max_age=0, conditional=False)
        response.content_length = found["ContentLength"]
        if found.get("ETag"):
            response.set_etag(found["ETag"].strip('"'))
        return response

    def _redirect(self, key: str, download_name: str, mimetype: str) -> Response:
        if self.stat(key) is None:
            raise FileNotFoundError(key)  # a 404 from the app, not an XML error from the bucket
        url = self.client.generate_presigned_url(
            "get_object", ExpiresIn=self.presigned_seconds,
            Params={"Bucket": self.bucket, "Key": self._key(key),
                    "ResponseContentType": mimetype,
                    "ResponseContentDisposition": content_disposition(download_name),
                    "ResponseCacheControl": "private, no-store"})
        response = redirect(url, 302)
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def ping(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)
