"""The access matrix as data: for every endpoint of the app, who may reach it (the TARGET rules
of issue 11 point 2; test_access_matrix.py runs it).

A cell is an expected *class* of outcome, not an exact status:
  ok      2xx, or a redirect that is not to the log-in page
  login   a redirect to /login, or 401
  denied  403, or 404 where the route hides that the object exists
  allowed (POST with an empty form) anything but login/401/403/5xx: the right check let the
          person through; a 4xx validation error is fine. "ok" on a POST-only route means this.
  refused anything but a 2xx or 5xx (a participant's action answered by a redirect to the
          registration page counts), and nothing written
  any     anything but a 5xx (self-service pages whose answer depends on the person's state)

Roles (each is one person of the world built in the test):
  anonymous, owner (registered for event A, enrolled in edition A, captain of the hackathon team,
  holder of the certificates), other (a participant with nothing of their own), organiser_a /
  organiser_b (Role.ORGANISER, organising event A and the hackathon / event B only),
  instructor_a / instructor_b (Role.INSTRUCTOR, named on edition A / edition B only), judge
  (Role.JUDGE, assigned nothing), programme_manager (the Secretariat), admin.
organiser_a and instructor_a are the staff of the objects: they prove the scoped rights still
let the right person in, while organiser_b and instructor_b prove they keep everyone else out.

Path arguments are filled from the world by name (DEFAULT_ARGS); a case may name others. A new
route with no entry here fails the test: decide who may reach it and add it. An entry for a
route the app does not have (yet: another branch brings it) is skipped.
"""

ROLES = ("anonymous", "owner", "other", "organiser_a", "organiser_b", "instructor_a",
         "instructor_b", "judge", "programme_manager", "admin")


def cells(anonymous="login", default="denied", **roles) -> dict:
    found = {role: default for role in ROLES}
    found["anonymous"] = anonymous
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown
    found.update(roles)
    return found


def case(expect: dict, **args) -> tuple[dict, dict]:
    """One request of an endpoint: path arguments (world names or literals) and the cells;
    method="POST" posts an empty form to a GET/POST route (otherwise it is read)."""
    return args, expect


# --- groups -------------------------------------------------------------------------------------
PUBLIC = cells(anonymous="ok", default="ok")
PUBLIC_ANY = cells(anonymous="any", default="any")
LOGGED_IN = cells(default="ok")
LOGGED_IN_ANY = cells(default="any")
ADMIN_ONLY = cells(admin="ok")
# Programme-wide: the Secretariat and admins (programme statistics, new courses and editions).
PROGRAMME = cells(programme_manager="ok", admin="ok")
# Event organisers may create events; every organiser, the Secretariat and admins.
EVENT_CREATORS = cells(organiser_a="ok", organiser_b="ok", programme_manager="ok", admin="ok")
# Staff of event A (and of the hackathon, whose event organiser_a organises).
EVENT_STAFF = cells(organiser_a="ok", programme_manager="ok", admin="ok")
HACKATHON_STAFF = EVENT_STAFF
# Staff of edition A.
EDITION_STAFF = cells(instructor_a="ok", programme_manager="ok", admin="ok")
# Whoever issues certificates of some subject: organisers and instructors see the templates page.
CERTIFICATE_STAFF = cells(organiser_a="ok", organiser_b="ok", instructor_a="ok",
                          instructor_b="ok", programme_manager="ok", admin="ok")
# The owner's things: the owner and the staff of the subject.
EVENT_OWNER = cells(owner="ok", organiser_a="ok", programme_manager="ok", admin="ok")
EDITION_OWNER = cells(owner="ok", instructor_a="ok", programme_manager="ok", admin="ok")
HACKATHON_TEAM = cells(owner="ok", organiser_a="ok", programme_manager="ok", admin="ok")
# What belongs to one person: the owner only (admins pass every rule).
OWNER_ONLY = cells(default="refused", owner="ok", admin="any")
# Hidden unless you may see it: anonymous people get the same 404 as everyone refused.
HIDDEN_EVENT_STAFF = dict(EVENT_STAFF, anonymous="denied")
HIDDEN_HACKATHON_TEAM = dict(HACKATHON_TEAM, anonymous="denied")

DEFAULT_ARGS = {
    "event_id": "event_a", "session_id": "session_a", "registration_id": "registration_a",
    "edition_id": "edition_a", "course_id": "course_a", "module_id": "module_a",
    "lesson_id": "lesson_a", "assessment_id": "quiz_a", "question_id": "question_a",
    "attempt_id": "attempt_a", "submission_id": "course_submission_a",
    "file_id": "lesson_file_a", "enrolment_id": "enrolment_a", "hackathon_id": "hackathon",
    "team_id": "team", "challenge_id": "challenge_spare", "criterion_id": "criterion_a",
    "template_id": "template_event", "signatory_id": "signatory_event", "job_id": "job_a",
    "code": "certificate_event", "subject_type": "event", "subject_id": "event_a",
    "number": 5, "path_code": "activity_path", "fmt": "csv", "token": "bad-token",
    "user_id": "other",
}
# Arguments that are words, never names of objects of the world.
LITERAL_ARGS = {"scope", "subject_type", "fmt", "table", "owner_type"}
# Arguments whose default differs in one blueprint.
BLUEPRINT_ARGS = {"hackathons": {"submission_id": "hackathon_submission", "user_id": "mate"}}

MATRIX = {
    # --- core, programme ----------------------------------------------------------------------
    "core.home": PUBLIC,
    "core.health": PUBLIC,
    "core.healthz": PUBLIC,
    "core.readyz": PUBLIC,  # the test database is at the migrations' head, no REDIS_URL
    "core.set_language": PUBLIC_ANY,
    "programme.index": PUBLIC,
    "programme.activity": PUBLIC,
    "programme.sdgs": PUBLIC,
    "programme.sdg": PUBLIC,
    # --- home: the person's own page, built from what they have ------------------------------
    "home.index": LOGGED_IN,
    # --- accounts -----------------------------------------------------------------------------
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC_ANY,
    "accounts.signup": PUBLIC,
    "accounts.confirm_email": PUBLIC_ANY,
    "accounts.resend_confirmation": PUBLIC,
    "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC_ANY,
    "accounts.confirm_email_change": PUBLIC_ANY,
    "accounts.change_password": LOGGED_IN,
    "accounts.profile": LOGGED_IN,
    "accounts.edit_profile": LOGGED_IN,
    "accounts.change_email": LOGGED_IN,
    "accounts.my_data": LOGGED_IN,
    "accounts.erase": LOGGED_IN,
    "admin.users": ADMIN_ONLY,
    "admin.set_roles": ADMIN_ONLY,
    "admin.confirm_email": ADMIN_ONLY,
    "admin.resend_confirmation": ADMIN_ONLY,
    "admin.member_states": ADMIN_ONLY,
    # A code that is not listed: the admin gets 404, everyone else must be stopped before.
    "admin.remove_member_state": case(dict(ADMIN_ONLY, admin="any"), code="ZZ"),
    # --- events -------------------------------------------------------------------------------
    "events.catalogue": PUBLIC,
    "events.detail": [case(PUBLIC), case(HIDDEN_EVENT_STAFF, event_id="draft_event")],
    "events.mine": LOGGED_IN,
    "events.register": LOGGED_IN,
    "events.cancel": cells(owner="ok"),  # one's own registration; others have none (404)
    "events.switch_mode": cells(owner="ok"),  # likewise: one's own registration only
    # Answering an invitation: the signed token is the credential, no log-in; a wrong token is
    # refused (4xx) for everyone. The real-token cases are in tests/events/test_invite_replies.
    "events.reply_attend": case(cells(anonymous="refused", default="refused"), token="bad-token"),
    "events.reply_decline": case(cells(anonymous="refused", default="refused"),
                                 token="bad-token"),
    "organise.my_events": EVENT_CREATORS,
    "organise.new_event": EVENT_CREATORS,
    "organise.edit_event": EVENT_STAFF,
    "organise.publish": EVENT_STAFF,
    "organise.cancel": EVENT_STAFF,
    "organise.complete": EVENT_STAFF,
    "organise.sessions": EVENT_STAFF,
    "organise.edit_session": EVENT_STAFF,
    "organise.remove_session": EVENT_STAFF,
    "organise.dashboard": EVENT_STAFF,
    "organise.approve": EVENT_STAFF,
    "organise.bulk_decide": EVENT_STAFF,
    "organise.reject": EVENT_STAFF,
    "organise.move": EVENT_STAFF,
    "organise.registration": EVENT_STAFF,
    "organise.cancel_registration": EVENT_STAFF,
    "organise.set_role": EVENT_STAFF,
    "organise.add_speaker": EVENT_STAFF,
    "organise.add_organiser": EVENT_STAFF,
    "organise.export_csv": EVENT_STAFF,
    "organise.export_xlsx": EVENT_STAFF,
    "organise.email": EVENT_STAFF,
    "calendar.event_ics": [case(PUBLIC), case(HIDDEN_EVENT_STAFF, event_id="draft_event")],
    "calendar.feed": case(PUBLIC, token="feed_token"),
    "calendar.feed_settings": LOGGED_IN,
    "calendar.join": dict(EVENT_OWNER, anonymous="login"),
    "calendar.video_settings": EVENT_STAFF,
    # --- attendance ---------------------------------------------------------------------------
    "attendance.ticket": EVENT_OWNER,
    "attendance.ticket_pdf": EVENT_OWNER,
    "attendance.scan": case(EVENT_STAFF, token="ticket_token"),
    "attendance.check_in": EVENT_STAFF,
    "attendance.confirm_check_in": EVENT_STAFF,
    "attendance.roll_call": EVENT_STAFF,
    "attendance.set_status": EVENT_STAFF,
    "attendance.mark_absent": EVENT_STAFF,
    # Recording after the session's window closed, with a reason (issue 13.9).
    "attendance.record_late": EVENT_STAFF,
    "attendance.session_code": EVENT_STAFF,
    "attendance.import_report": EVENT_STAFF,
    "attendance.event_sessions": EVENT_STAFF,
    # Anyone logged in may open the form of a published event; registration decides the rest.
    "attendance.self_check_in": [
        case(cells(default="any", owner="ok")),
        # A draft's page (and its title) is for its staff only.
        case(cells(organiser_a="any", programme_manager="any", admin="any"),
             session_id="draft_session"),
    ],
    # --- courses: public and participants -----------------------------------------------------
    "courses.catalogue": PUBLIC,
    "courses.course": PUBLIC,
    "courses.edition": PUBLIC,
    "courses.apply": LOGGED_IN_ANY,
    "courses.withdraw": cells(owner="ok"),  # one's own enrolment; others have none (404)
    "courses.my_courses": LOGGED_IN,
    "courses.learn": EDITION_OWNER,
    "courses.lesson": EDITION_OWNER,
    "courses.lesson_file": EDITION_OWNER,
    "courses.assessment": EDITION_OWNER,
    "courses.start_quiz": dict(EDITION_OWNER, instructor_a="any", programme_manager="any",
                               admin="any"),
    "courses.submit_assignment": case(dict(EDITION_OWNER, instructor_a="any",
                                           programme_manager="any", admin="any"),
                                      assessment_id="assignment_a"),
    "courses.attempt": EDITION_OWNER,
    "courses.submission": EDITION_OWNER,
    "courses.submission_file": EDITION_OWNER,
    "courses.endorsement": EDITION_OWNER,
    # --- courses: the Secretariat creates courses and editions and names their instructors ----
    "courses.new_course": PROGRAMME,
    "courses.edit_course": PROGRAMME,
    "courses.new_edition": PROGRAMME,
    "courses.edition_instructors": PROGRAMME,
    # --- courses: the staff of edition A ------------------------------------------------------
    "courses.manage": EDITION_STAFF,
    "courses.edition_settings": EDITION_STAFF,
    "courses.set_status": EDITION_STAFF,
    "courses.applications": EDITION_STAFF,
    "courses.applications_export": EDITION_STAFF,
    "courses.gradebook_page": EDITION_STAFF,
    "courses.gradebook_export": EDITION_STAFF,
    "courses.submissions": case(EDITION_STAFF, assessment_id="assignment_a"),
    "courses.grade": EDITION_STAFF,
    "courses.copy": EDITION_STAFF,
    "courses.close": EDITION_STAFF,
    "courses.hub": EDITION_STAFF,
    "courses.live_classes": EDITION_STAFF,
    "courses.roll_call": case(EDITION_STAFF, session_id="live_session_a"),
    "courses.new_module": EDITION_STAFF,
    "courses.edit_module": EDITION_STAFF,
    "courses.move_module": EDITION_STAFF,
    "courses.remove_module": EDITION_STAFF,
    "courses.new_lesson": EDITION_STAFF,
    "courses.edit_lesson": EDITION_STAFF,
    "courses.move_lesson": EDITION_STAFF,
    "courses.new_quiz": EDITION_STAFF,
    "courses.new_assignment": EDITION_STAFF,
    "courses.edit_assessment": EDITION_STAFF,
    "courses.remove_assessment": EDITION_STAFF,
    "courses.questions": EDITION_STAFF,
    "courses.new_question": EDITION_STAFF,
    "courses.edit_question": EDITION_STAFF,
    "courses.remove_question": EDITION_STAFF,
    "courses.move_question": EDITION_STAFF,
    # --- hackathons: public and participants --------------------------------------------------
    "hackathons.index": PUBLIC,
    "hackathons.detail": PUBLIC,
    "hackathons.results": PUBLIC_ANY,
    "hackathons.gallery": HIDDEN_EVENT_STAFF,  # results not published yet
    "hackathons.submission": HIDDEN_HACKATHON_TEAM,
    "hackathons.submission_file": HIDDEN_HACKATHON_TEAM,
    # Scores before publication: the organisers only (the team once results are out).
    "hackathons.submission_scores": HACKATHON_STAFF,
    "hackathons.register": LOGGED_IN_ANY,
    "hackathons.withdraw": LOGGED_IN_ANY,
    "hackathons.my_team": LOGGED_IN_ANY,
    "hackathons.create_team": LOGGED_IN_ANY,
    "hackathons.join_team": LOGGED_IN_ANY,
    "hackathons.invitation": case(LOGGED_IN_ANY, token="invitation_token"),
    "hackathons.looking": cells(owner="ok", organiser_a="ok", programme_manager="ok",
                                admin="ok"),
    "hackathons.toggle_looking": cells(owner="ok"),
    "hackathons.submission_form": cells(owner="ok"),
    # The captain's decisions belong to the captain: not even the Secretariat takes them.
    "hackathons.leave": OWNER_ONLY,
    "hackathons.remove_member": OWNER_ONLY,
    "hackathons.hand_over": OWNER_ONLY,
    "hackathons.lock": OWNER_ONLY,
    "hackathons.rotate_code": OWNER_ONLY,
    "hackathons.invite": case(OWNER_ONLY, user_id="free"),
    # --- hackathons: judges (the judge is assigned nothing) -----------------------------------
    "hackathons.judge_queue": cells(judge="ok", admin="ok"),
    "hackathons.score": cells(),
    "hackathons.declare_conflict": cells(),
    # --- hackathons: organisers ---------------------------------------------------------------
    "hackathons.setup": case(HACKATHON_STAFF, event_id="hackathon_event"),
    "hackathons.dashboard": HACKATHON_STAFF,
    "hackathons.settings": HACKATHON_STAFF,
    "hackathons.add_challenge": HACKATHON_STAFF,
    "hackathons.delete_challenge": HACKATHON_STAFF,
    "hackathons.add_criterion": HACKATHON_STAFF,
    "hackathons.edit_criterion": HACKATHON_STAFF,
    "hackathons.delete_criterion": HACKATHON_STAFF,
    "hackathons.grant_extension": HACKATHON_STAFF,
    "hackathons.assign_judges": HACKATHON_STAFF,
    "hackathons.publish": HACKATHON_STAFF,
    # --- certificates -------------------------------------------------------------------------
    "certificates.verify_form": PUBLIC,
    "certificates.verify": PUBLIC,
    "certificates.verify_json": PUBLIC,
    "certificates.verify_pdf": PUBLIC_ANY,
    "certificates.mine": LOGGED_IN,
    "certificates.download_pdf": [case(EVENT_OWNER),
                                  case(EDITION_OWNER, code="certificate_edition")],
    "certificates.badge": EVENT_OWNER,
    "certificates.badge_jwt": [case(EVENT_OWNER),
                               case(EDITION_OWNER, code="certificate_edition")],
    # What a verifier of a badge fetches: public keys, the issuer, achievements (issue 14.6-7).
    "certificates.jwks": PUBLIC,
    "certificates.did_document": PUBLIC,
    "certificates.did_document_at_path": PUBLIC,
    "certificates.credential_key": case(cells(anonymous="denied", default="denied"),
                                        thumbprint="no-such-key"),
    "certificates.issuer": PUBLIC,
    "certificates.revocation_list": PUBLIC,
    "certificates.achievement": [
        case(PUBLIC, kind="participation"),
        case(PUBLIC, kind="diploma", subject_type="edition", subject_id="edition_a"),
        case(cells(anonymous="denied", default="denied"), kind="speaker"),  # nobody certified
    ],
    "certificates.achievement_json": case(PUBLIC, kind="participation"),
    "certificates.achievement_variant": case(PUBLIC, kind="participation", variant="es"),
    "certificates.achievement_image": case(PUBLIC, kind="participation"),
    "certificates.manage_certificate": [case(EVENT_STAFF),
                                        case(EDITION_STAFF, code="certificate_edition")],
    "certificates.revoke_certificate": EVENT_STAFF,
    "certificates.reissue_certificate": EVENT_STAFF,
    # The jump form only redirects to the subject's page, which does the check.
    "certificates.choose_subject": [
        case(LOGGED_IN, subject_type="event", subject_id="event_a"),
        case(LOGGED_IN),  # the list of one's own activities (empty for most people)
    ],
    "certificates.manage": [
        case(EVENT_STAFF),
        case(EDITION_STAFF, subject_type="edition", subject_id="edition_a"),
        case(HACKATHON_STAFF, subject_type="hackathon", subject_id="hackathon"),
    ],
    "certificates.issue_one": [
        case(EVENT_STAFF),
        case(EDITION_STAFF, subject_type="edition", subject_id="edition_a"),
    ],
    "certificates.issue_bulk": EVENT_STAFF,
    "certificates.download_zip": [
        case(EVENT_STAFF),
        case(EDITION_STAFF, subject_type="edition", subject_id="edition_a"),
    ],
    "certificates.job": EVENT_STAFF,
    "certificates.resume_job": EVENT_STAFF,  # resuming a bulk issue that died (issue 11.10)
    "certificates.templates": CERTIFICATE_STAFF,
    "certificates.new_template": CERTIFICATE_STAFF,
    # A template follows its subject. The defaults used by every subject are changed by admins
    # alone; whoever certifies something may read them (a read-only page and the preview).
    "certificates.edit_template": [
        case(EVENT_STAFF),
        case(EVENT_STAFF, method="POST"),
        case(EDITION_STAFF, template_id="template_edition"),
        case(CERTIFICATE_STAFF, template_id="template_default"),
        case(ADMIN_ONLY, template_id="template_default", method="POST"),
    ],
    "certificates.preview_template": [
        case(EVENT_STAFF),
        case(CERTIFICATE_STAFF, template_id="template_default"),
    ],
    "certificates.add_signatory": [
        case(EVENT_STAFF),
        case(ADMIN_ONLY, template_id="template_default"),
    ],
    "certificates.remove_signatory": [
        case(EVENT_STAFF),
        case(ADMIN_ONLY, template_id="template_default", signatory_id="signatory_default"),
    ],
    # --- statistics ---------------------------------------------------------------------------
    "stats.dashboard": [
        case(PROGRAMME),  # /stats/: the whole work programme
        case(PROGRAMME, scope="all", obj_id=0),
        case(PROGRAMME, scope="programme", obj_id="programme"),
        case(EVENT_STAFF, scope="event", obj_id="event_a"),
        case(EDITION_STAFF, scope="edition", obj_id="edition_a"),
    ],
    "stats.event_dashboard": [
        case(EVENT_STAFF),
        case(EVENT_STAFF, event_id="draft_event"),  # statistics of a draft
    ],
    "stats.event_pdf": EVENT_STAFF,
    "stats.export_csv": [
        case(EVENT_STAFF, scope="event", obj_id="event_a", table="registered-by-country"),
        case(EDITION_STAFF, scope="edition", obj_id="edition_a", table="registered-by-country"),
        case(PROGRAMME, scope="programme", obj_id="programme", table="registered-by-activity"),
    ],
    "stats.export_xlsx": [
        case(EVENT_STAFF, scope="event", obj_id="event_a"),
        case(PROGRAMME, scope="all", obj_id=0),
    ],
    "stats.toggle_public": EVENT_STAFF,
    "stats.public_index": PUBLIC,
    "stats.public_event": PUBLIC,
    # Publishing: the programme overview for programme managers, an edition's tables for its
    # instructors too (an event's is stats.toggle_public).
    "stats.publish": [
        case(PROGRAMME, scope="all", obj_id=0),
        case(EDITION_STAFF, scope="edition", obj_id="edition_a"),
    ],
    # An edition nobody published: the same 404 for everyone.
    "stats.public_edition": cells(anonymous="denied", default="denied"),
    # --- regquestions (issue 16 point 2): registration and application questions ---------------
    "organise.add_questions": EVENT_STAFF,
    "organise.remove_questions": EVENT_STAFF,
    # One's own registration's answers; others have no registration of event A (404).
    "events.answers": cells(owner="ok"),
    "courses.add_questions": EDITION_STAFF,
    "courses.remove_questions": EDITION_STAFF,
    "courses.application": EDITION_STAFF,
    "courses.answers": cells(owner="any"),
    # --- surveys (issue 16, task surveys) ------------------------------------------------------
    # The survey page of what one runs: its organisers / instructors.
    "surveys.event_settings": EVENT_STAFF,
    "surveys.edition_settings": EDITION_STAFF,
    "surveys.hackathon_settings": HACKATHON_STAFF,
    "surveys.event_send": EVENT_STAFF,
    "surveys.edition_send": EDITION_STAFF,
    "surveys.hackathon_send": HACKATHON_STAFF,
    # The personal link: an unknown token is the same 404 for everyone.
    "surveys.answer": cells(anonymous="denied", default="denied"),
    # From one's own pages: logged in; the answer depends on having attended (a 403/409 page).
    "surveys.answer_event": LOGGED_IN_ANY,
    "surveys.answer_edition": LOGGED_IN_ANY,
    "surveys.answer_hackathon": LOGGED_IN_ANY,
    # --- issue 16, the form builder (task builder): a form follows its owner, event A here;
    # the list of one's forms is for anyone logged in (it lists only what they may edit).
    "forms.mine": LOGGED_IN,
    "forms.edit": case(EVENT_STAFF, form_id="form_a"),
    "forms.save_title": case(EVENT_STAFF, form_id="form_a"),
    "forms.preview": [case(EVENT_STAFF, form_id="form_a"),
                      case(EVENT_STAFF, form_id="form_a", method="POST")],
    "forms.add_section": case(EVENT_STAFF, form_id="form_a"),
    "forms.edit_section": [case(EVENT_STAFF, form_id="form_a", section=1),
                           case(EVENT_STAFF, form_id="form_a", section=1, method="POST")],
    "forms.move_section": case(EVENT_STAFF, form_id="form_a", section=2),
    "forms.remove_section": case(EVENT_STAFF, form_id="form_a", section=2),
    "forms.new_question": [case(EVENT_STAFF, form_id="form_a"),
                           case(EVENT_STAFF, form_id="form_a", method="POST")],
    "forms.edit_question": [case(EVENT_STAFF, form_id="form_a", key="visa"),
                            case(EVENT_STAFF, form_id="form_a", key="visa", method="POST")],
    "forms.move_question": case(EVENT_STAFF, form_id="form_a", key="visa"),
    "forms.remove_question": [case(EVENT_STAFF, form_id="form_a", key="language"),
                              case(EVENT_STAFF, form_id="form_a", key="language",
                                   method="POST")],
    "forms.add_option": case(EVENT_STAFF, form_id="form_a", key="language"),
    "forms.edit_option": [
        case(EVENT_STAFF, form_id="form_a", key="language", option="pt"),
        case(EVENT_STAFF, form_id="form_a", key="language", option="pt", method="POST")],
    "forms.move_option": case(EVENT_STAFF, form_id="form_a", key="language", option="fr"),
    "forms.remove_option": case(EVENT_STAFF, form_id="form_a", key="language", option="fr"),
    # --- survey results (issue 16, helper "results") -------------------------------------------
    # Whoever may edit the survey's form: the organisers of event A, programme managers, admins.
    "surveys.results": case(EVENT_STAFF, survey_id="results_survey"),
    "surveys.results_answers": case(EVENT_STAFF, survey_id="results_survey", key="improve"),
    "surveys.results_csv": case(EVENT_STAFF, survey_id="results_survey"),
    "surveys.results_xlsx": case(EVENT_STAFF, survey_id="results_survey"),
    "surveys.results_pdf": case(EVENT_STAFF, survey_id="results_survey"),
    "surveys.satisfaction": PROGRAMME,
    # --- outputs and activity progress (issue 17, task "outputs") -----------------------------
    "outputs.manage": [
        case(EVENT_STAFF, owner_type="event", owner_id="event_a"),
        case(EDITION_STAFF, owner_type="edition", owner_id="edition_a"),
        case(PROGRAMME, owner_type="activity", owner_id="activity"),
        case(EVENT_STAFF, owner_type="event", owner_id="event_a", method="POST"),
    ],
    "outputs.delete": [
        case(EVENT_STAFF, output_id="output_public"),
        case(EDITION_STAFF, output_id="output_edition"),
    ],
    # Hidden (404) from whoever may not see it; anonymous people are asked to log in first.
    "outputs.download": [
        case(PUBLIC, output_id="output_public"),
        case(EVENT_OWNER, output_id="output_participants"),
        case(EVENT_STAFF, output_id="output_organisers"),
        case(EDITION_OWNER, output_id="output_edition"),
    ],
    "outputs.progress": PROGRAMME,
    "outputs.activity_status": [
        case(PROGRAMME, activity_id="activity"),
        case(PROGRAMME, activity_id="activity", method="POST"),
    ],
    # --- downloads (issue 15: exports prepared by a job) --------------------------------------
    # Everyone's own list; a download only for its owner (organiser_a, who asked for event A's
    # registrations), 404 for anyone else, and only while they still manage the event.
    "downloads.mine": LOGGED_IN,
    "downloads.show": case(cells(organiser_a="ok"), download_id="download_a"),
    "downloads.again": case(cells(organiser_a="ok"), download_id="download_a"),
    # --- issue 17 (report): the annual report to member states, the Secretariat only -------
    "reports.index": PROGRAMME,
    "reports.generate": case(PROGRAMME, period="2025", lang="en"),
    "reports.show": [case(PROGRAMME, period="2025"), case(PROGRAMME, period="2022-2026")],
    "reports.pdf": case(PROGRAMME, period="2025", lang="es"),
    "reports.docx": case(PROGRAMME, period="2025"),
    "reports.annex": [case(PROGRAMME, period="2025", fmt="csv"),
                      case(PROGRAMME, period="2025", fmt="xlsx")],
    # --- task "answerfiles": files given as registration/application answers --------------------
    # The person who gave it and the staff who read the answers; a sensitive one only the
    # event's own organisers (not programme managers); a survey's file nobody, admins included.
    "forms.answer_file": [
        case(EVENT_OWNER, answer_id="answer_letter_a"),
        case(cells(owner="ok", organiser_a="ok", admin="ok"), answer_id="answer_medical_a"),
        case(EDITION_OWNER, answer_id="answer_letter_edition"),
        case(cells(), answer_id="answer_survey_file"),
    ],
}

# Not routes of ours to classify.
IGNORED_ENDPOINTS = {"static"}
