"""Helpers shared by the hackathon view modules (the blueprint and its URLs are in
blueprint.py)."""

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from elearn.accounts.permissions import can
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


def in_hackathon_zone(value, hackathon: Hackathon) -> str:
    """A datetime shown in the hackathon's time zone, in the viewer's language."""
    if value is None:
        return ""
    return f"{format_in_zone(value, hackathon.timezone)} ({hackathon.timezone})"
