"""Downloading a file given as an answer; the rights are elearn.forms.answer_files'."""

from flask import abort
from flask_login import current_user, login_required

from . import answer_files


@login_required
def answer_file(answer_id: int):
    answer = answer_files.downloadable(current_user, answer_id)
    if answer is None:
        abort(404)  # the same answer whether it does not exist or is not theirs
    try:
        response = answer_files.send(answer)
    except FileNotFoundError:
        abort(410)  # the record is there, the stored file is not: say so, not a 500
    # Answers can be sensitive (health, accessibility): no shared cache keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response
