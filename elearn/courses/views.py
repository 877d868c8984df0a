"""Course pages for everyone: catalogue, course and edition pages, applying, "my courses".
Participant pages (modules, lessons, quizzes, assignments) are in learn_views.py and staff pages
(applications, gradebook, grading, copy, live classes) in staff_views.py, on the same blueprint.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.permissions import can
from elearn.extensions import db
from elearn.i18n import format_in_zone
from elearn.programme.services import register_activity_section

from .errors import CourseError
from .forms import ApplyForm, EditionStatusForm
from .models import Course, Edition, EditionStatus, Enrolment, EnrolmentStatus
from .services import editions as edition_service
from .services import enrolment as enrolment_service
from .services.eligibility import describe
from .services.progress import progress

bp = Blueprint("courses", __name__, url_prefix="/courses")

VISIBLE = (EditionStatus.OPEN, EditionStatus.RUNNING, EditionStatus.COMPLETED)


MAX_ID = 2**31 - 1  # beyond an INTEGER column: PostgreSQL would fail instead of "not found"


def small_ints(values) -> list[int]:
    """Ids from a form, ignoring anything that is not a plausible id."""
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 11
            and int(v) <= MAX_ID]


def get_or_404(model, object_id):
    if object_id is None or object_id > MAX_ID:
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def visible_edition(edition_id: int) -> Edition:
    edition = get_or_404(Edition, edition_id)
    if edition.status == EditionStatus.DRAFT and not can(current_user, "teach", edition):
        abort(404)
    return edition


def upload_of(field_name: str) -> tuple[str, bytes] | None:
    """(filename, bytes) of an uploaded file, or None when the field was left empty."""
    storage = request.files.get(field_name)
    if storage is None or not storage.filename:
        return None
    return storage.filename, storage.read()


def refused(exc: CourseError):
    """Undo whatever the request started and tell the person why."""
    db.session.rollback()
    flash(exc.message, "error")
    return exc.status


def refusal_page(exc: CourseError):
    db.session.rollback()
    return render_template("error.html", code=exc.status, message=exc.message), exc.status


@bp.get("/")
def catalogue():
    courses = db.session.scalars(
        select(Course).options(selectinload(Course.editions)).order_by(Course.title_en)).all()
    return render_template("courses/catalogue.html", courses=courses, visible=VISIBLE)


@bp.get("/<int:course_id>")
def course(course_id: int):
    course = get_or_404(Course, course_id)
    editions = [e for e in course.editions
                if e.status in VISIBLE or can(current_user, "teach", e)]
    return render_template("courses/course.html", course=course, editions=editions)


@bp.get("/editions/<int:edition_id>")
def edition(edition_id: int):
    edition = visible_edition(edition_id)
    mine = reason = None
    if current_user.is_authenticated:
        mine = enrolment_service.find(edition, current_user)
        if mine is None:
            problem = enrolment_service.application_problem(edition, current_user)
            reason = problem[0] if problem else None
    status_form = None
    if can(current_user, "teach", edition):
        status_form = EditionStatusForm(data={"status": edition.status.value})
    return render_template("courses/edition.html", edition=edition, course=edition.course,
                           conditions=describe(edition), mine=mine, reason=reason,
                           status_form=status_form)


@bp.route("/editions/<int:edition_id>/apply", methods=["GET", "POST"])
@login_required
def apply(edition_id: int):
    edition = visible_edition(edition_id)
    form = ApplyForm()
    problem = enrolment_service.application_problem(edition, current_user)
    if problem:
        flash(problem[0], "error")
        return render_template("courses/apply.html", edition=edition, form=None), problem[1]
    if form.validate_on_submit():
        try:
            enrolment_service.apply(edition, current_user, form.motivation.data,
                                    upload_of("endorsement"))
        except CourseError as exc:
            status = refused(exc)
            return render_template("courses/apply.html", edition=edition, form=form), status
        db.session.commit()
        flash(_("Your application has been received. You will get an email with the "
                "decision."), "success")
        return redirect(url_for("courses.edition", edition_id=edition.id))
    status = 400 if form.errors else 200
    return render_template("courses/apply.html", edition=edition, form=form), status


@bp.post("/editions/<int:edition_id>/withdraw")
@login_required
def withdraw(edition_id: int):
    edition = visible_edition(edition_id)
    enrolment = enrolment_service.find(edition, current_user)
    if enrolment is None:
        abort(404)
    try:
        enrolment_service.withdraw(enrolment, actor=current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    flash(_("You have withdrawn from this edition."), "success")
    return redirect(url_for("courses.my_courses"))


@bp.get("/mine")
@login_required
def my_courses():
    enrolments = db.session.scalars(
        select(Enrolment).options(selectinload(Enrolment.edition).selectinload(Edition.course))
        .where(Enrolment.user_id == current_user.id).order_by(Enrolment.applied_at.desc())
    ).all()
    progresses = {e.id: progress(e) for e in enrolments if e.status.is_participant}
    teaching = db.session.scalars(
        select(Edition).where(Edition.instructors.any(user_id=current_user.id))
        .order_by(Edition.starts_on.desc())).all()
    return render_template("courses/mine.html", enrolments=enrolments, progresses=progresses,
                           teaching=teaching, Status=EnrolmentStatus)


@bp.post("/editions/<int:edition_id>/status")
@login_required
def set_status(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    if not can(current_user, "teach", edition):
        abort(403)
    form = EditionStatusForm()
    if not form.validate_on_submit():
        return refusal_page(CourseError(_("Choose a status."), 400))
    edition_service.set_status(edition, EditionStatus(form.status.data), actor=current_user)
    db.session.commit()
    flash(_("The edition status has been changed."), "success")
    return redirect(url_for("courses.edition", edition_id=edition.id))


@register_activity_section
def activity_editions(activity):
    """The course editions of a work-programme activity, on the activity page."""
    found = db.session.scalars(
        select(Edition).where((Edition.activity_id == activity.id) |
                              Edition.course.has(Course.activity_id == activity.id))
        .where(Edition.status.in_(VISIBLE)).order_by(Edition.starts_on)).all()
    if not found:
        return None
    return _("Course editions"), "courses/_activity_section.html", {"editions": found}


@bp.app_template_filter("edition_time")
def edition_time(value, edition) -> str:
    """A moment shown in the edition's own time zone (due dates, module openings)."""
    if value is None:
        return ""
    return f"{format_in_zone(value, edition.timezone, 'medium')} ({edition.timezone})"


from . import authoring_views, learn_views, staff_views  # noqa: E402,F401  (routes on the same blueprint)
