"""Answering an invitation from the email's links, without logging in: the signed token in
the URL names the registration (services/replies.py).

Both links first show a page with one button, and act only on its POST: mail scanners and
link previews open every link of a message, and must not answer for the person."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _

from elearn.extensions import db

from .models import InviteReply, Registration
from .services import EventError, replies, waiting_list


def _refusal(title: str, message: str, status: int, reg: Registration | None = None):
    back = url_for("events.detail", event_id=reg.event_id) if reg is not None else None
    return render_template("error.html", title=title, message=message, code=status,
                           back=back), status


def _registration(token: str):
    """(registration, None), or (None, the 4xx page saying why the link does not work)."""
    try:
        reg = replies.registration_for_reply(token)
    except replies.ReplyTokenError as exc:
        if exc.expired:
            return None, _refusal(_("This link has expired"), _(
                "Answer from the event page instead: log in and open the event."), 410)
        return None, _refusal(_("This link does not work"), _(
            "The link is damaged or incomplete. Copy the whole address from the email, or "
            "answer from the event page."), 400)
    except EventError as exc:
        return None, _refusal(_("This link does not work"), exc.message, exc.status)
    return reg, None


def _answerable(token: str):
    """(registration, None) when the link works and the registration can still be answered,
    else (None, the 4xx page saying why)."""
    reg, failure = _registration(token)
    if failure:
        return None, failure
    problem = replies.reply_problem(reg)
    if problem is not None:
        return None, _refusal(_("Nothing to answer"), problem, 409, reg)
    return reg, None


def _done(reg: Registration, answer: InviteReply):
    return render_template("events/reply_done.html", registration=reg, event=reg.event,
                           answer=answer)


def reply_attend(token: str):
    reg, failure = _answerable(token)
    if failure:
        return failure
    if reg.reply == InviteReply.ATTENDING:
        return _done(reg, InviteReply.ATTENDING)  # already said: a second click changes nothing
    if request.method != "POST" or request.form.get("confirmed") != "1":
        return render_template("events/reply_attend.html", registration=reg, event=reg.event,
                               action=url_for("events.reply_attend", token=token))
    try:
        replies.attend(reg)
    except EventError as exc:
        db.session.rollback()
        return _refusal(_("Nothing to answer"), exc.message, exc.status, reg)
    db.session.commit()
    return _done(reg, InviteReply.ATTENDING)


def reply_decline(token: str):
    reg, failure = _answerable(token)
    if failure:
        return failure
    if request.method != "POST" or request.form.get("confirmed") != "1":
        return _confirm_decline(reg, token)
    try:
        replies.decline(reg)
    except EventError as exc:
        db.session.rollback()
        return _refusal(_("Nothing to answer"), exc.message, exc.status, reg)
    db.session.commit()
    return _done(reg, InviteReply.DECLINED)


def _confirm_decline(reg: Registration, token: str):
    event = reg.event
    consequences = []
    if replies.frees_a_seat(reg):
        waiting = sum(1 for r in waiting_list(event) if r.mode == reg.mode)
        if waiting:
            consequences.append(_("Your seat will be released and given to the next person "
                                  "on the waiting list."))
        else:
            consequences.append(_("Your seat will be released for someone else."))
    consequences.append(_("Your registration will be cancelled and the sessions removed from "
                          "your calendar."))
    title = current_app.jinja_env.filters["localised"](event, "title")
    return render_template(
        "core/confirm.html",
        title=_("Cancel your registration for %(title)s?", title=title),
        consequences=consequences,
        action=url_for("events.reply_decline", token=token),
        confirm_label=_("I cannot attend: cancel my registration"),
        cancel_url=url_for("events.detail", event_id=event.id))

