"""Flask's signed session cookie, made cheaper to sign: every registration (its flash message)
and every form page (the CSRF token kept in the session) signs it again.

- The signer is made once per set of keys, not at each request (Flask builds a new
  URLSafeTimedSerializer for every open and every save).
- The payload is not compressed: zlib sets up its 256 KB of state for each call, ~70 us for a
  payload of 200 bytes on this machine, to save a few dozen bytes of a cookie far below the
  browsers' 4 KB. Cookies signed before this change (compressed, marked with a leading dot)
  still load: itsdangerous reads both.
"""

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer


class _Uncompressed(URLSafeTimedSerializer):
    def dump_payload(self, obj) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


class SessionCookie(SecureCookieSessionInterface):
    def __init__(self):
        self._serializers: dict = {}

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        # Flask's order: the fallbacks, then the current key (itsdangerous signs with the last).
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = _Uncompressed(
                list(keys), salt=self.salt, serializer=self.serializer,
                signer_kwargs={"key_derivation": self.key_derivation,
                               "digest_method": self.digest_method})
        return serializer
