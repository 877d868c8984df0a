"""Helpers shared by the hackathon view modules (the blueprint and its URLs are in
blueprint.py)."""

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from elearn.accounts.permissions import can
from elearn.accounts.services.members import country_name
from elearn.events.models import EventStatus
from elearn.extensions import db
from elearn.i18n import format_in_zone

from .models import Hackathon, Team

VISIBLE = (EventStatus.PUBLISHED, EventStatus.COMPLETED)
# Larger ids cannot be a row and overflow the database's integers: 404 before asking.
MAX_ID = 2**31 - 1


def get_or_404(model, row_id: int):
    if not 0 < row_id <= MAX_ID:
        abort(404)
    found = db.session.get(model, row_id)
    if found is None:
        abort(404)
    return found


def get_hackathon(hackathon_id: int) -> Hackathon:
    """404 for unknown hackathons, and for drafts unless the viewer organises them."""
    hackathon = get_or_404(Hackathon, hackathon_id)
    if hackathon.event.status not in VISIBLE and not can(current_user, "manage", hackathon):
        abort(404)
    return hackathon


def get_team(hackathon: Hackathon, team_id: int) -> Team:
    if not 0 < team_id <= MAX_ID:
        abort(404)
    team = db.session.scalar(select(Team).where(Team.id == team_id,
                                                Team.hackathon_id == hackathon.id))
    if team is None:
        abort(404)
    return team


def problem(exc, back: str | None = None, title: str | None = None):
    """A refused action: its message, the right 4xx status, a way back."""
    return render_template("hackathons/problem.html", message=exc.message, back=back,
                           title=title), exc.status


def confirmed() -> bool:
    """The action's form came back from the confirmation page (core/confirm.html)."""
    return request.form.get("confirmed") == "1"


def confirm_page(*, title: str, consequences: list[str], confirm_label: str, cancel_url: str,
                 hidden: dict | None = None, refusals: list[str] | None = None):
    """Say what is about to happen, and to whom, before an action that cannot be undone or
    that reaches many people; the form posts back to the same URL with confirmed=1. With
    refusals the page says why it cannot be done now, with a way back, and a 409."""
    refusals = [line for line in (refusals or []) if line]
    return render_template(
        "core/confirm.html", title=title, consequences=consequences, action=request.path,
        hidden=hidden or {}, confirm_label=confirm_label, cancel_url=cancel_url,
        refusals=refusals), (409 if refusals else 200)


def in_hackathon_zone(value, hackathon: Hackathon) -> str:
    """A datetime shown in the hackathon's time zone, in the viewer's language."""
    if value is None:
        return ""
    return f"{format_in_zone(value, hackathon.timezone)} ({hackathon.timezone})"


def country_label(code: str | None) -> str:
    """A country's name in the viewer's language, never its ISO code."""
    return country_name(code, str(get_locale() or "en"))
