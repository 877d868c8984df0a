"""The keys that sign Open Badges credentials (VC-JWT, Ed25519), kept as PEM files outside the
database in CREDENTIAL_KEYS_DIR.

One file per key, named `<UTC time of creation>-<RFC 7638 thumbprint>.pem`, mode 0600. The
newest key signs; every key in the directory stays published (`public_jwks`), so rotating
(`flask elearn credential-keys rotate`) keeps the credentials signed with an older key
verifiable. Retiring a key means deleting its file: what it signed then stops verifying.

A key's `kid` is a URL that answers the public JWK (Open Badges 3.0, 8.2.3: "a URI that can be
dereferenced to an object of type JWK"); the same JWK, with the same `kid`, is in the JWK set
at /.well-known/jwks.json.
"""

import logging
import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from joserfc import jwt
from joserfc.jwk import OKPKey

from elearn.base_url import base_url
from elearn.config import CREDENTIAL_KEY_SUFFIX, credential_key_problems

log = logging.getLogger(__name__)

ALGORITHM = "EdDSA"  # what Open Badges 3.0 verifiers and JOSE libraries know for Ed25519
SUFFIX = CREDENTIAL_KEY_SUFFIX


class CredentialKeyMissing(RuntimeError):
    """No signing key where production expects one; the message says what to run."""


@dataclass(frozen=True)
class CredentialKey:
    thumbprint: str
    created: str  # the file name's timestamp, for ordering and display
    path: str
    private: OKPKey

    @property
    def kid(self) -> str:
        return key_url(self.thumbprint)

    @property
    def multibase(self) -> str:
        """The public key as a Multikey: base58btc of the ed25519-pub multicodec + raw key."""
        raw = self.private.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return "z" + base58btc(b"\xed\x01" + raw)

    def public_jwk(self) -> dict:
        jwk = self.private.as_dict(private=False)
        jwk.pop("d", None)  # never publish the private part, whatever the library does
        return {**jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}


_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        text = _ALPHABET[rest] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def key_url(thumbprint: str) -> str:
    return f"{base_url()}/certificates/keys/{thumbprint}"


def keys_dir(config=None) -> str:
    config = config if config is not None else current_app.config
    configured = config.get("CREDENTIAL_KEYS_DIR")
    if configured:
        return configured
    return os.path.join(current_app.instance_path, "credential_keys")


def _is_production(config) -> bool:
    return config.get("ENV_NAME") == "production"


_cache: dict[tuple, CredentialKey] = {}


def _read(path: str) -> CredentialKey:
    stat = os.stat(path)
    cache_key = (path, stat.st_mtime_ns, stat.st_size)
    if cache_key not in _cache:
        with open(path, "rb") as handle:
            private = OKPKey.import_key(handle.read())
        if private.as_dict(private=False).get("crv") != "Ed25519":
            raise ValueError(f"{path} is not an Ed25519 key")
        name = os.path.basename(path)[: -len(SUFFIX)]
        created = name.split("-", 1)[0]
        _cache[cache_key] = CredentialKey(private.thumbprint(), created, path, private)
    return _cache[cache_key]


def all_keys(directory: str | None = None) -> list[CredentialKey]:
    """Every key in the directory, oldest first; unreadable files are logged and skipped."""
    directory = directory or keys_dir()
    if not os.path.isdir(directory):
        return []
    found = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(SUFFIX):
            continue
        try:
            found.append(_read(os.path.join(directory, name)))
        except (OSError, ValueError) as exc:
            log.error("Credential key %s is unreadable and not used: %s", name, exc)
    return found


def generate(directory: str | None = None) -> CredentialKey:
    """A new Ed25519 key written to the directory (0700) as a PEM file (0600), never
    overwriting one; from now on it signs."""
    directory = directory or keys_dir()
    os.makedirs(directory, mode=0o700, exist_ok=True)
    key = OKPKey.generate_key("Ed25519")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = os.path.join(directory, f"{stamp}-{key.thumbprint()}{SUFFIX}")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.as_pem(private=True))
    os.chmod(path, 0o600)  # whatever the umask said
    return _read(path)


def signing_key() -> CredentialKey:
    """The newest key. In development a missing key is generated (with a warning); in
    production a missing key is an error the page reports, never a silent unsigned badge."""
    keys = all_keys()
    if keys:
        return keys[-1]
    directory = keys_dir()
    if _is_production(current_app.config):
        raise CredentialKeyMissing(missing_key_problem(current_app.config))
    log.warning("No credential signing key in %s: generating one for development. Run "
                "`flask elearn credential-keys generate` to create it on purpose.", directory)
    return generate(directory)


def missing_key_problem(config) -> str | None:
    """What is wrong with the signing keys in production, if anything (development generates
    one on first use). The start-up check says the same."""
    if not _is_production(config):
        return None
    return next(iter(credential_key_problems(config)), None)


def _listing(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []


def public_jwks() -> dict:
    return {"keys": [key.public_jwk() for key in all_keys()]}


def did_web() -> str:
    """The did:web identifier of the app's address (port as %3A, a path as more segments)."""
    parts = urlsplit(base_url())
    segments = [quote(parts.netloc, safe="")] + [p for p in parts.path.split("/") if p]
    return "did:web:" + ":".join(segments)


def did_document(also_known_as: str) -> dict:
    """The same keys as the JWK set, as the verification methods of the app's did:web."""
    did = did_web()
    methods = [{"id": f"{did}#{key.thumbprint}", "type": "Multikey", "controller": did,
                "publicKeyMultibase": key.multibase}
               for key in all_keys()]
    ids = [method["id"] for method in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "alsoKnownAs": [also_known_as],
        "verificationMethod": methods,
        "assertionMethod": ids,
    }


def find_public(thumbprint: str) -> dict | None:
    for key in all_keys():
        if key.thumbprint == thumbprint:
            return key.public_jwk()
    return None


def sign(claims: dict, key: CredentialKey | None = None) -> str:
    """A compact JWS of the claims with the newest key. The JOSE header is what Open Badges 3.0
    (8.2.3) allows and nothing more: alg, kid, typ "JWT"."""
    key = key or signing_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}
    with warnings.catch_warnings():
        # joserfc prefers RFC 9864's "Ed25519" name; Open Badges verifiers know "EdDSA".
        warnings.simplefilter("ignore")
        return jwt.encode(header, claims, key.private, algorithms=[ALGORITHM])
