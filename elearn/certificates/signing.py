"""Optional PAdES signature of the issued PDFs with pyHanko.

An organisation that configures CERT_SIGNING_KEY and CERT_SIGNING_CERT (paths to a PEM key and
certificate; CERT_SIGNING_PASSPHRASE if the key is encrypted) gets every certificate signed
once at issue, so a PDF reader shows who issued it and that it was not altered.
"""

import io
import os

from flask import current_app


def _setting(name: str) -> str | None:
    return current_app.config.get(name) or os.environ.get(name) or None


def signing_configured() -> bool:
    return bool(_setting("CERT_SIGNING_KEY") and _setting("CERT_SIGNING_CERT"))


_signers: dict[tuple, object] = {}


def _signer():
    from pyhanko.sign import signers

    key, cert = _setting("CERT_SIGNING_KEY"), _setting("CERT_SIGNING_CERT")
    passphrase = _setting("CERT_SIGNING_PASSPHRASE")
    cache_key = (key, cert, os.path.getmtime(key), os.path.getmtime(cert))
    if cache_key not in _signers:
        signer = signers.SimpleSigner.load(
            key, cert, key_passphrase=passphrase.encode() if passphrase else None)
        if signer is None:
            raise RuntimeError("CERT_SIGNING_KEY/CERT_SIGNING_CERT could not be loaded")
        _signers[cache_key] = signer
    return _signers[cache_key]


def sign(pdf: bytes, reason: str) -> tuple[bytes, bool]:
    """The PDF signed (PAdES baseline B) when signing is configured, else unchanged."""
    if not signing_configured():
        return pdf, False
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="Certificate", reason=reason[:200],
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=_signer())
    return out.getvalue(), True
