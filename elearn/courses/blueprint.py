"""The courses domain's URL map: every URL of /courses and the view that answers it. The view
modules are plain functions; nothing else is decided here."""

from flask import Blueprint

from elearn.programme.services import register_activity_section

from . import assessment_views as assessments
from . import authoring_views as authoring
from . import hub_views as hub
from . import learn_views as learn
from . import lesson_views as lessons
from . import question_views as asking
from . import settings_views as settings
from . import staff_views as staff
from . import views as public
from .labels import course_label, status_label
from .view_helpers import activity_editions, edition_time

bp = Blueprint("courses", __name__, url_prefix="/courses")
bp.add_app_template_filter(edition_time, "edition_time")
bp.add_app_template_filter(status_label, "status_label")
bp.add_app_template_filter(course_label, "course_label")
register_activity_section(activity_editions)

# Catalogue, course and edition pages, applying, "my courses".
bp.add_url_rule("/", "catalogue", view_func=public.catalogue, methods=["GET"])
bp.add_url_rule("/<int:course_id>", "course", view_func=public.course, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>", "edition", view_func=public.edition, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/apply", "apply",
                view_func=public.apply, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/withdraw", "withdraw",
                view_func=public.withdraw, methods=["POST"])
bp.add_url_rule("/mine", "my_courses", view_func=public.my_courses, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/status", "set_status",
                view_func=public.set_status, methods=["POST"])

# Authoring: courses, editions, instructors (programme managers); structure (teaching staff).
bp.add_url_rule("/new", "new_course", view_func=authoring.new_course, methods=["GET", "POST"])
bp.add_url_rule("/<int:course_id>/edit", "edit_course",
                view_func=authoring.edit_course, methods=["GET", "POST"])
bp.add_url_rule("/<int:course_id>/editions/new", "new_edition",
                view_func=authoring.new_edition, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/instructors", "edition_instructors",
                view_func=authoring.edition_instructors, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/manage", "manage",
                view_func=authoring.manage, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/modules/new", "new_module",
                view_func=authoring.new_module, methods=["GET", "POST"])
bp.add_url_rule("/modules/<int:module_id>/edit", "edit_module",
                view_func=authoring.edit_module, methods=["GET", "POST"])
bp.add_url_rule("/modules/<int:module_id>/move", "move_module",
                view_func=authoring.move_module, methods=["POST"])
bp.add_url_rule("/modules/<int:module_id>/lessons/<int:lesson_id>/move", "move_lesson",
                view_func=authoring.move_lesson, methods=["POST"])
bp.add_url_rule("/modules/<int:module_id>/remove", "remove_module",
                view_func=authoring.remove_module, methods=["POST"])

# Authoring assessments and quiz questions.
bp.add_url_rule("/editions/<int:edition_id>/quizzes/new", "new_quiz",
                view_func=assessments.new_quiz, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/assignments/new", "new_assignment",
                view_func=assessments.new_assignment, methods=["GET", "POST"])
bp.add_url_rule("/assessments/<int:assessment_id>/edit", "edit_assessment",
                view_func=assessments.edit_assessment, methods=["GET", "POST"])
bp.add_url_rule("/assessments/<int:assessment_id>/remove", "remove_assessment",
                view_func=assessments.remove_assessment, methods=["POST"])
bp.add_url_rule("/assessments/<int:assessment_id>/questions", "questions",
                view_func=assessments.questions, methods=["GET"])
bp.add_url_rule("/assessments/<int:assessment_id>/questions/new", "new_question",
                view_func=assessments.new_question, methods=["GET", "POST"])
bp.add_url_rule("/questions/<int:question_id>/edit", "edit_question",
                view_func=assessments.edit_question, methods=["GET", "POST"])
bp.add_url_rule("/questions/<int:question_id>/remove", "remove_question",
                view_func=assessments.remove_question, methods=["POST"])
bp.add_url_rule("/assessments/<int:assessment_id>/questions/<int:question_id>/move",
                "move_question",
                view_func=assessments.move_question, methods=["POST"])

# Writing lessons.
bp.add_url_rule("/modules/<int:module_id>/lessons/new", "new_lesson",
                view_func=lessons.new_lesson, methods=["GET", "POST"])
bp.add_url_rule("/lessons/<int:lesson_id>/edit", "edit_lesson",
                view_func=lessons.edit_lesson, methods=["GET", "POST"])

# Participants: modules, lessons, files, quizzes, assignments.
bp.add_url_rule("/editions/<int:edition_id>/learn", "learn",
                view_func=learn.learn, methods=["GET"])
bp.add_url_rule("/lessons/<int:lesson_id>", "lesson", view_func=learn.lesson, methods=["GET"])
bp.add_url_rule("/files/<int:file_id>", "lesson_file",
                view_func=learn.lesson_file, methods=["GET"])
bp.add_url_rule("/assessments/<int:assessment_id>", "assessment",
                view_func=learn.assessment, methods=["GET"])
bp.add_url_rule("/assessments/<int:assessment_id>/start", "start_quiz",
                view_func=learn.start_quiz, methods=["POST"])
bp.add_url_rule("/attempts/<int:attempt_id>", "attempt",
                view_func=learn.attempt, methods=["GET", "POST"])
bp.add_url_rule("/assessments/<int:assessment_id>/submit", "submit_assignment",
                view_func=learn.submit_assignment, methods=["POST"])
bp.add_url_rule("/submissions/<int:submission_id>", "submission",
                view_func=learn.submission, methods=["GET"])
bp.add_url_rule("/submissions/<int:submission_id>/file", "submission_file",
                view_func=learn.submission_file, methods=["GET"])

# Staff of an edition: their hub page, applications, gradebook, grading, copy, closing,
# live classes.
bp.add_url_rule("/editions/<int:edition_id>/applications", "applications",
                view_func=staff.applications, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/applications.<fmt>", "applications_export",
                view_func=staff.applications_export, methods=["GET"])
bp.add_url_rule("/enrolments/<int:enrolment_id>/endorsement", "endorsement",
                view_func=staff.endorsement, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/gradebook", "gradebook_page",
                view_func=staff.gradebook_page, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/gradebook.<fmt>", "gradebook_export",
                view_func=staff.gradebook_export, methods=["GET"])
bp.add_url_rule("/assessments/<int:assessment_id>/submissions", "submissions",
                view_func=staff.submissions, methods=["GET"])
bp.add_url_rule("/submissions/<int:submission_id>/grade", "grade",
                view_func=staff.grade, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/copy", "copy",
                view_func=staff.copy, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/staff", "hub", view_func=hub.hub, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/close", "close",
                view_func=staff.close, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/live", "live_classes",
                view_func=staff.live_classes, methods=["GET", "POST"])
bp.add_url_rule("/editions/<int:edition_id>/live/<int:session_id>/attendance", "roll_call",
                view_func=staff.roll_call, methods=["GET", "POST"])

# Application questions: staff add and remove them and read one application; the applicant
# changes their answers.
bp.add_url_rule("/editions/<int:edition_id>/questions", "add_questions",
                view_func=asking.add_questions, methods=["POST"])
bp.add_url_rule("/editions/<int:edition_id>/questions/remove", "remove_questions",
                view_func=asking.remove_questions, methods=["POST"])
bp.add_url_rule("/enrolments/<int:enrolment_id>/application", "application",
                view_func=asking.application, methods=["GET"])
bp.add_url_rule("/editions/<int:edition_id>/answers", "answers",
                view_func=asking.answers, methods=["GET", "POST"])

# Edition settings.
bp.add_url_rule("/editions/<int:edition_id>/settings", "edition_settings",
                view_func=settings.edition_settings, methods=["GET", "POST"])

blueprints = (bp,)
