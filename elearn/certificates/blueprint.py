"""The certificates domain's URL map: every URL -> its view, nothing else.

Endpoint names are those templates and tests use (`certificates.<name>`).
"""

from flask import Blueprint

from . import credential_views, manage_views, template_views, views

bp = Blueprint("certificates", __name__)

# Public verification, the holder's certificates and downloads (views.py).
bp.add_url_rule("/verify", "verify_form", view_func=views.verify_form, methods=["GET"])
bp.add_url_rule("/verify/<code>", "verify", view_func=views.verify, methods=["GET"])
bp.add_url_rule("/verify/<code>", "verify_pdf", view_func=views.verify_pdf, methods=["POST"])
bp.add_url_rule("/verify/<code>.json", "verify_json", view_func=views.verify_json,
                methods=["GET"])
bp.add_url_rule("/certificates/mine", "mine", view_func=views.mine, methods=["GET"])
bp.add_url_rule("/certificates/<code>.pdf", "download_pdf", view_func=views.download_pdf,
                methods=["GET"])
bp.add_url_rule("/certificates/<code>/badge.json", "badge", view_func=views.badge,
                methods=["GET"])
bp.add_url_rule("/certificates/<code>/badge.jwt", "badge_jwt", view_func=views.badge_jwt,
                methods=["GET"])

# What verifiers of a badge fetch: keys, the issuer, achievements (credential_views.py).
bp.add_url_rule("/.well-known/jwks.json", "jwks", view_func=credential_views.jwks,
                methods=["GET"])
bp.add_url_rule("/.well-known/did.json", "did_document",
                view_func=credential_views.did_document, methods=["GET"])
# did:web of an app served under a path (BASE_URL https://host/elearn -> did:web:host:elearn)
bp.add_url_rule("/did.json", "did_document_at_path", view_func=credential_views.did_document,
                methods=["GET"])
bp.add_url_rule("/certificates/keys/<thumbprint>", "credential_key",
                view_func=credential_views.credential_key, methods=["GET"])
bp.add_url_rule("/certificates/status/revocation", "revocation_list",
                view_func=credential_views.revocation_list, methods=["GET"])
bp.add_url_rule("/certificates/issuer", "issuer", view_func=credential_views.issuer,
                methods=["GET"])
_ACHIEVEMENT = "/certificates/achievements/<kind>/<subject_type>/<int:subject_id>"
bp.add_url_rule(_ACHIEVEMENT, "achievement", view_func=credential_views.achievement,
                methods=["GET"])
bp.add_url_rule(_ACHIEVEMENT + ".json", "achievement_json",
                view_func=credential_views.achievement_json, methods=["GET"])
bp.add_url_rule(_ACHIEVEMENT + "/<variant>", "achievement_variant",
                view_func=credential_views.achievement, methods=["GET"])
bp.add_url_rule("/certificates/achievements/<kind>.png", "achievement_image",
                view_func=credential_views.achievement_image, methods=["GET"])

# Staff of an activity: verdicts, issuing, bulk jobs, revoke and reissue (manage_views.py).
bp.add_url_rule("/certificates/manage", "choose_subject",
                view_func=manage_views.choose_subject, methods=["GET"])
bp.add_url_rule("/certificates/manage/<subject_type>/<int:subject_id>", "manage",
                view_func=manage_views.manage, methods=["GET"])
bp.add_url_rule("/certificates/manage/<subject_type>/<int:subject_id>/issue", "issue_one",
                view_func=manage_views.issue_one, methods=["POST"])
bp.add_url_rule("/certificates/manage/<subject_type>/<int:subject_id>/bulk", "issue_bulk",
                view_func=manage_views.issue_bulk, methods=["POST"])
bp.add_url_rule("/certificates/manage/<subject_type>/<int:subject_id>/certificates.zip",
                "download_zip", view_func=manage_views.download_zip, methods=["GET"])
bp.add_url_rule("/certificates/jobs/<int:job_id>", "job", view_func=manage_views.job,
                methods=["GET"])
bp.add_url_rule("/certificates/jobs/<int:job_id>/resume", "resume_job",
                view_func=manage_views.resume_job, methods=["POST"])
bp.add_url_rule("/certificates/<code>/manage", "manage_certificate",
                view_func=manage_views.manage_certificate, methods=["GET"])
bp.add_url_rule("/certificates/<code>/revoke", "revoke_certificate",
                view_func=manage_views.revoke_certificate, methods=["POST"])
bp.add_url_rule("/certificates/<code>/reissue", "reissue_certificate",
                view_func=manage_views.reissue_certificate, methods=["POST"])

# Templates, signatories and previews (template_views.py).
bp.add_url_rule("/certificates/templates", "templates", view_func=template_views.templates,
                methods=["GET"])
bp.add_url_rule("/certificates/templates/new", "new_template",
                view_func=template_views.new_template, methods=["GET", "POST"])
bp.add_url_rule("/certificates/templates/<int:template_id>", "edit_template",
                view_func=template_views.edit_template, methods=["GET", "POST"])
bp.add_url_rule("/certificates/templates/<int:template_id>/signatories", "add_signatory",
                view_func=template_views.add_signatory, methods=["POST"])
bp.add_url_rule("/certificates/templates/<int:template_id>/signatories/<int:signatory_id>"
                "/delete", "remove_signatory", view_func=template_views.remove_signatory,
                methods=["POST"])
bp.add_url_rule("/certificates/templates/<int:template_id>/preview.pdf", "preview_template",
                view_func=template_views.preview_template, methods=["GET"])

blueprints = (bp,)
