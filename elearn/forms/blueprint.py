"""The forms domain's URL map: building forms (sections, questions, options, conditions).

Questions and options are named by key, sections by their number in the form: editing a form
that has answers copies its rows into a new version, so row ids would not survive an edit."""

from flask import Blueprint

from . import answer_views
from . import builder_views as views
from . import question_views as questions

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

forms = Blueprint("forms", __name__, url_prefix="/forms")

_FORM = "/<int:form_id>"
_SECTION = _FORM + "/sections/<int:section>"
_QUESTION = _FORM + "/questions/<key>"
_OPTION = _QUESTION + "/options/<option>"

# The forms one may edit, the editor of one, its preview (builder_views.py).
forms.add_url_rule("/", "mine", view_func=views.mine, methods=GET)
forms.add_url_rule(_FORM, "edit", view_func=views.edit, methods=GET)
forms.add_url_rule(_FORM + "/title", "save_title", view_func=views.save_title, methods=POST)
forms.add_url_rule(_FORM + "/preview", "preview", view_func=views.preview, methods=BOTH)
forms.add_url_rule(_FORM + "/sections", "add_section", view_func=views.add_section,
                   methods=POST)
forms.add_url_rule(_SECTION, "edit_section", view_func=views.edit_section, methods=BOTH)
forms.add_url_rule(_SECTION + "/move", "move_section", view_func=views.move_section,
                   methods=POST)
forms.add_url_rule(_SECTION + "/remove", "remove_section", view_func=views.remove_section,
                   methods=POST)

# Questions and options (question_views.py).
forms.add_url_rule(_FORM + "/new-question", "new_question", view_func=questions.new_question,
                   methods=BOTH)
forms.add_url_rule(_QUESTION, "edit_question", view_func=questions.edit_question,
                   methods=BOTH)
forms.add_url_rule(_QUESTION + "/move", "move_question", view_func=questions.move_question,
                   methods=POST)
forms.add_url_rule(_QUESTION + "/remove", "remove_question",
                   view_func=questions.remove_question, methods=BOTH)
forms.add_url_rule(_QUESTION + "/options", "add_option", view_func=questions.add_option,
                   methods=POST)
forms.add_url_rule(_OPTION, "edit_option", view_func=questions.edit_option, methods=BOTH)
forms.add_url_rule(_OPTION + "/move", "move_option", view_func=questions.move_option,
                   methods=POST)
forms.add_url_rule(_OPTION + "/remove", "remove_option", view_func=questions.remove_option,
                   methods=POST)

# A file given as an answer, for the person who gave it and those who read the answers.
forms.add_url_rule("/answers/<int:answer_id>/file", "answer_file",
                   view_func=answer_views.answer_file, methods=GET)

blueprints = [forms]
