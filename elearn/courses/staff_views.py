"""Staff pages of an edition (its instructors, programme managers): applications, gradebook,
grading, copying, closing and live classes. Every page asks require("teach") (or "grade",
"view" on the object); the URLs are in blueprint.py."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.labels import GENDER_LABELS, NOT_ANSWERED, SECTOR_LABELS, choices
from elearn.accounts.permissions import can, require
from elearn.attendance.models import Attendance
from elearn.downloads.views import prepared
from elearn.events.models import EventSession
from elearn.extensions import db
from elearn.multilingual_forms import texts_from

from . import downloads
from .assessment_models import Assessment, Submission
from .confirm_views import (
    close_confirmation,
    decision_confirmation,
    decision_lines,
    needs_confirmation,
)
from .errors import CourseError
from .forms import CopyEditionForm, DecisionForm, GradeForm, LiveClassForm, ReviewFilterForm
from .labels import ENROLMENT_STATUS_LABELS
from .models import Edition, EditionStatus, Enrolment
from .services import assignments, closing, editions, enrolment, gradebook, live, questions
from .services.completion import participants
from .view_helpers import (
    country_name,
    get_or_404,
    refusal_page,
    refused,
    send_download,
    small_ints,
    teach,
)

FILTERS = ("country", "gender", "sector", "status", "answer")
GENDER_FILTER = choices({"": _l("Any"), **GENDER_LABELS, "not_answered": NOT_ANSWERED})


def _filter_form(edition: Edition) -> ReviewFilterForm:
    """The list's filters. The gender filter exists only for programme managers and admins:
    for anyone else it is left out of the form and a ?gender= in the URL is ignored, so the
    list cannot be used to learn an applicant's gender."""
    form = ReviewFilterForm(request.args)
    if can(current_user, "filter_by_gender", edition):
        form.gender.choices = GENDER_FILTER
    else:
        del form.gender
    form.sector.choices = choices({"": _("Any"), **SECTOR_LABELS})
    form.status.choices = choices({"": _("Any"), **ENROLMENT_STATUS_LABELS})
    answers = questions.answer_choices(edition, str(get_locale()),
                                       questions.reads_sensitive(edition, current_user))
    if answers:
        form.answer.choices = [("", _("Any")), *answers]
    else:
        del form.answer
    return form


def _filter_values(form: ReviewFilterForm) -> dict:
    """The list's filters as plain values (the gender one only where the form has it)."""
    values = {name: getattr(form, name).data for name in FILTERS if getattr(form, name, None)}
    return {name: value for name, value in values.items() if value}


def _applications(edition: Edition, form: ReviewFilterForm) -> list[Enrolment]:
    return downloads.applications_of(edition, _filter_values(form), current_user)


@login_required
def applications(edition_id: int):
    """Deciding: rejecting anyone or deciding for several people is confirmed first on a page
    with the counts; the message afterwards says what was done and what was skipped, and why."""
    edition = teach(edition_id)
    filters = _filter_form(edition)
    decision = DecisionForm()
    status = 200
    if request.method == "POST":
        if decision.validate_on_submit():
            ids = small_ints(request.form.getlist("ids"))
            choice, reason = decision.decision.data, decision.reason.data
            try:
                if request.form.get("confirmed") != "1" and needs_confirmation(choice, ids):
                    preview = enrolment.preview(edition, ids, choice, reason)
                    return decision_confirmation(choice, ids, reason, preview,
                                                 request.full_path)
                result = enrolment.decide(edition, ids, choice, actor=current_user,
                                          reason=reason)
            except CourseError as exc:
                status = refused(exc)
            else:
                db.session.commit()
                done = decision_lines(choice, result, future=False)
                flash(" ".join(done) or _("Nothing was changed."),
                      "warning" if result.skipped or (choice == "accept" and result.waitlisted)
                      else "success")
                return redirect(request.full_path)
        else:
            status = 400
    return render_template(
        "courses/applications.html", edition=edition, filters=filters, form=decision,
        rows=_applications(edition, filters), status_names=ENROLMENT_STATUS_LABELS,
        sector_names=SECTOR_LABELS, country_name=country_name,
        export_args={key: request.args[key] for key in FILTERS if request.args.get(key)}), status


def _export(what: str, edition: Edition, fmt: str, filters: dict | None = None):
    """A list of the edition, prepared by a job (elearn.downloads)."""
    if fmt not in downloads.FORMATS:
        abort(404)
    kind = downloads.APPLICATIONS if what == "applications" else downloads.GRADEBOOK
    return prepared(kind, downloads.parameters(edition, fmt, filters),
                    downloads.filename(what, edition, fmt))


@login_required
def applications_export(edition_id: int, fmt: str):
    """The list as filtered on the page, as CSV or XLSX."""
    edition = teach(edition_id)
    return _export("applications", edition, fmt, _filter_values(_filter_form(edition)))


@login_required
def endorsement(enrolment_id: int):
    row = get_or_404(Enrolment, enrolment_id)
    require("view", row)
    if not row.endorsement_stored_name:
        abort(404)
    return send_download(row.endorsement_stored_name, row.endorsement_filename, "application/pdf")


@login_required
def gradebook_page(edition_id: int):
    edition = teach(edition_id)
    page = small_ints([request.args.get("page", "1")]) or [1]
    book = gradebook.build(edition, page[0])
    return render_template("courses/gradebook.html", edition=edition, book=book)


@login_required
def gradebook_export(edition_id: int, fmt: str):
    return _export("gradebook", teach(edition_id), fmt)


@login_required
def submissions(assessment_id: int):
    item = get_or_404(Assessment, assessment_id)
    require("teach", item.edition)
    rows = db.session.scalars(select(Submission).options(selectinload(Submission.user))
                              .where(Submission.assessment_id == item.id)
                              .order_by(Submission.submitted_at)).all()
    return render_template("courses/submissions.html", assessment=item, edition=item.edition,
                           rows=rows)


@login_required
def grade(submission_id: int):
    row = get_or_404(Submission, submission_id)
    require("grade", row)
    form = GradeForm(obj=None if request.method == "POST" else row)
    status = 200
    if form.validate_on_submit():
        try:
            score = assignments.parse_score(form.score.data, row.assessment)
            assignments.grade(row, score, form.comments.data, actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The grade has been saved."), "success")
            return redirect(url_for("courses.submissions", assessment_id=row.assessment_id))
    elif request.method == "POST":
        status = 400
    if request.method == "GET" and row.score is not None:
        form.score.data = f"{row.score:g}"
    return render_template("courses/grade.html", submission=row, assessment=row.assessment,
                           edition=row.assessment.edition, form=form), status


@login_required
def copy(edition_id: int):
    edition = teach(edition_id)
    form = CopyEditionForm()
    form.main_language = edition.language
    status = 200
    if form.validate_on_submit():
        try:
            new = editions.copy_edition(edition, texts_from(form, "name"),
                                        form.offset_days.data, actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The edition has been copied as a draft."), "success")
            return redirect(url_for("courses.edition", edition_id=new.id))
    elif request.method == "POST":
        status = 400
    return render_template("courses/copy.html", edition=edition, form=form), status


@login_required
def close(edition_id: int):
    """GET or an unconfirmed POST: the confirmation page with the counts (and what is not
    over yet); a POST with confirmed=1 records the results."""
    edition = teach(edition_id)
    back = url_for("courses.hub", edition_id=edition.id)
    if edition.status == EditionStatus.COMPLETED:
        return refusal_page(CourseError(_("This edition is already closed; its results are "
                                          "recorded."), 409), back)
    status = 200
    if request.method == "POST" and request.form.get("confirmed") == "1":
        try:
            counts = closing.close(edition, actor=current_user,
                                   early=request.form.get("close_early") == "1",
                                   reason=request.form.get("reason"))
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("Results recorded: %(c)s completed, %(n)s not completed.",
                    c=counts["completed"], n=counts["not_completed"]), "success")
            return redirect(url_for("courses.gradebook_page", edition_id=edition.id))
    return close_confirmation(edition, back), status


def _in_zone(value: datetime, tz: str) -> datetime:
    return value.replace(tzinfo=ZoneInfo(tz))


@login_required
def live_classes(edition_id: int):
    edition = teach(edition_id)
    form = LiveClassForm()
    status = 200
    if form.validate_on_submit():
        try:
            live.schedule(edition, form.title.data,
                          _in_zone(form.starts_at.data, edition.timezone),
                          _in_zone(form.ends_at.data, edition.timezone), form.url.data,
                          actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The live class has been scheduled."), "success")
            return redirect(url_for("courses.live_classes", edition_id=edition.id))
    elif request.method == "POST":
        status = 400
    return render_template("courses/live.html", edition=edition, form=form,
                           sessions=live.sessions(edition)), status


@login_required
def roll_call(edition_id: int, session_id: int):
    edition = teach(edition_id)
    session = get_or_404(EventSession, session_id)
    if session.event_id != edition.live_event_id:
        abort(404)
    if request.method == "POST":
        statuses = {}
        for key, value in request.form.items():
            if key.startswith("user-") and value:
                user_id = small_ints([key[5:]])
                if not user_id:
                    return refusal_page(CourseError(_("Someone in the list is not a "
                                                      "participant."), 400))
                statuses[user_id[0]] = value
        try:
            count = live.take_roll_call(edition, session, statuses, actor=current_user)
        except CourseError as exc:
            return refusal_page(exc)
        db.session.commit()
        flash(_("Attendance recorded for %(n)s participants.", n=count), "success")
        return redirect(url_for("courses.live_classes", edition_id=edition.id))
    marks = {a.user_id: a.status.value for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}
    return render_template("courses/roll_call.html", edition=edition, session=session,
                           people=participants(edition), marks=marks)

