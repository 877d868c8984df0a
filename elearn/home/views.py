"""The personal home page, "My elearn": parse nothing, read the overview, render."""

from flask import render_template
from flask_login import current_user, login_required

from elearn.certificates.forms import KIND_LABELS as CERTIFICATE_KIND_LABELS
from elearn.db_types import utcnow
from elearn.events.calendar_build import is_online
from elearn.events.models import EventKind

from . import services


@login_required
def index():
    now = utcnow()
    return render_template(
        "home/index.html", overview=services.overview(current_user.id, now), now=now,
        certificate_kind_labels=CERTIFICATE_KIND_LABELS, online_seat=is_online,
        live_class=EventKind.LIVE_CLASS)
