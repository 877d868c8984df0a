"""The forms domain's URL map: building forms (sections, questions, options, conditions)."""

from flask import Blueprint, abort
from flask_login import login_required
from markupsafe import escape

from elearn.accounts.permissions import require
from elearn.extensions import db

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

forms = Blueprint("forms", __name__, url_prefix="/forms")


# TEMPORARY (regquestions branch): a stand-in for the form editor so the "Add/Edit questions"
# links resolve; the editor's own `forms.edit` replaces it at merge.
@login_required
def _edit(form_id: int):
    from .models import Form
    from .texts import in_language
    form = db.session.get(Form, form_id)
    if form is None:
        abort(404)
    require("edit", form)
    return f"<!doctype html><title>{escape(in_language(form.title, 'en'))}</title>" \
           f"<main><h1>{escape(in_language(form.title, 'en'))}</h1></main>"


forms.add_url_rule("/<int:form_id>/edit", "edit", view_func=_edit, methods=BOTH)

blueprints = [forms]
