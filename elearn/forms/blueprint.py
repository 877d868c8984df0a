"""The forms domain's URL map: building forms (sections, questions, options, conditions)."""

from flask import Blueprint, abort, render_template_string
from flask_login import login_required

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
    return render_template_string(
        '{% extends "base.html" %}{% block title %}{{ t }}{% endblock %}'
        '{% block content %}<h1>{{ t }}</h1>{% endblock %}', t=in_language(form.title, "en"))


forms.add_url_rule("/<int:form_id>/edit", "edit", view_func=_edit, methods=BOTH)

blueprints = [forms]
