"""The ZIP of an activity's certificates, prepared by a job (elearn.downloads): one PDF per
valid current certificate, optionally of one kind. Whoever may certify the activity may have
it; that is asked again when the file is fetched."""

from flask_babel import gettext as _

from elearn.downloads import Built, DownloadError, register

from .models import CertificateKind, SubjectType
from .rules import may_issue_for
from .services.exports import zip_of
from .subjects import load_subject

KIND = "certificates.zip"


def parameters(subject_type: SubjectType, subject_id: int, kind: str | None) -> dict:
    found = {"subject_type": subject_type.value, "subject_id": subject_id}
    if kind in set(CertificateKind):
        found["kind"] = kind
    return found


def filename(subject_type: SubjectType, subject_id: int) -> str:
    return f"certificates-{subject_type.value}-{subject_id}.zip"


def _subject(params: dict):
    try:
        subject_type = SubjectType(params.get("subject_type"))
    except ValueError:
        return None, None
    subject_id = params.get("subject_id")
    if not isinstance(subject_id, int):
        return subject_type, None
    return subject_type, load_subject(subject_type, subject_id)


def may_download(user, params: dict) -> bool:
    _type, subject = _subject(params)
    return may_issue_for(user, subject)


def build(owner, params: dict) -> Built:
    subject_type, subject = _subject(params)
    if subject is None:
        raise DownloadError(_("This activity no longer exists."))
    kind = params.get("kind")
    handle, _count = zip_of(subject_type, subject.id,
                            CertificateKind(kind) if kind in set(CertificateKind) else None)
    return Built(handle, filename(subject_type, subject.id), "application/zip")


register(KIND, build=build, may_download=may_download)
