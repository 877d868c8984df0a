"""The interface every certificate kind offers (see kinds.py for the kinds)."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.extensions import db

from .models import CertificateKind, SubjectType


@dataclass
class Verdict:
    person: User
    qualifies: bool
    reason: str
    details: dict


class Kind:
    key: CertificateKind
    subject_type: SubjectType

    def qualifies(self, person, subject, template=None) -> tuple[bool, str]:
        for verdict in self.evaluate(subject, template, only=[person.id]):
            return verdict.qualifies, verdict.reason
        return False, self.not_considered_reason()

    def snapshot(self, person, subject, template=None) -> dict:
        for verdict in self.evaluate(subject, template, only=[person.id]):
            return verdict.details
        return {}

    def evaluate(self, subject, template=None, only=None) -> list[Verdict]:
        raise NotImplementedError

    def not_considered_reason(self) -> str:
        return _("Not registered for this activity.")


def users_by_id(ids) -> dict[int, User]:
    if not ids:
        return {}
    rows = db.session.scalars(select(User).where(User.id.in_(list(ids))))
    return {u.id: u for u in rows}


def only_ids(query, column, only):
    return query.where(column.in_(only)) if only is not None else query
