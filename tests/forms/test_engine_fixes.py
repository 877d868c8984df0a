"""Engine fixes found while building surveys (issue 16): a required question with a hint or an
error still renders (the macro's `{% set _ = ... %}` hid gettext `_`), and the condition's
sentence and the required message read "Answer ..." (not "FormAnswer ...")."""

from flask import render_template_string

from elearn.extensions import db
from elearn.forms import answering, building
from elearn.forms.models import FormPurpose

DEFINITION = {"title": {"en": "T"}, "sections": [{"title": {"en": "S"}, "questions": [
    {"key": "online", "type": "yes_no", "required": True, "text": {"en": "Online?"},
     "help": {"en": "Say how you took part."}},
    {"key": "platform", "type": "rating", "required": True, "text": {"en": "Platform"},
     "condition": {"key": "online", "values": ["yes"]}},
]}]}
PAGE = '{% from "forms/_questions.html" import questions %}{{ questions(asked) }}'


def test_required_questions_with_hints_and_errors_render(app):
    form = building.from_definition(DEFINITION, FormPurpose.SURVEY)
    db.session.commit()
    with app.test_request_context(method="POST", data={"q-online": "yes"}):
        from flask import request

        asked = answering.ask(form.current_version, "en", request.form)
        assert not asked.validate()
        html = render_template_string(PAGE, asked=asked)
    assert "(required)" in html and "Say how you took part." in html
    assert "Answer this question." in html and "FormAnswer" not in html
    assert "Answer only if you answered “Yes” to “Online?”." in html
