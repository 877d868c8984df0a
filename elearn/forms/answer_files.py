"""Files given as answers (a nomination letter, a visa document): who may have one back.

The person who gave it and the people who read that form's answers (sensitive questions: only
those who read sensitive answers). A survey's answers never come back through here, whoever
asks, admins included: an anonymous survey's file could name its author, and nobody needs a
survey's file by name. So the purpose and the holder are checked before `can`, which lets
admins pass every rule."""

import os

from elearn import uploads
from elearn.accounts.permissions import can
from elearn.extensions import db

from .answering import FILES
from .models import FormAnswer, FormPurpose, QuestionType
from .rules import holder_of

_KIND_OF_EXTENSION = {ext: kind for kind, ext in uploads.EXTENSIONS.items()}
_KIND_OF_EXTENSION[".jpeg"] = uploads.JPEG


def downloadable(user, answer_id: int) -> FormAnswer | None:
    """The file answer `user` may have, or None — the same None for a missing answer, one that
    is not a file, a survey's and one that is not theirs, so an id tells nothing."""
    answer = db.session.get(FormAnswer, answer_id)
    if answer is None or not answer.stored_name or answer.question.type is not QuestionType.FILE:
        return None
    form = answer.response.version.form
    if form.purpose is not FormPurpose.REGISTRATION:
        return None
    if holder_of(form, answer.response_id) is None:
        return None  # nobody's registration holds it: nobody's to read
    return answer if can(user, "download", answer) else None


def content_type(answer: FormAnswer) -> str:
    # The stored name's extension was chosen from the content when it was checked.
    kind = _KIND_OF_EXTENSION.get(os.path.splitext(answer.stored_name or "")[1])
    return uploads.CONTENT_TYPES.get(kind, "application/octet-stream")


def send(answer: FormAnswer):
    """The download, as an attachment (after `downloadable`); FileNotFoundError when gone."""
    return uploads.send(FILES, answer.stored_name, answer.filename or "file",
                        content_type(answer))
