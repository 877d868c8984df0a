"""What a verifier of an Open Badge fetches, all public: the signing keys (a JWK set and each
key at its `kid` URL), the issuer's profile, and each achievement (JSON, a page, an image).
URLs are listed in blueprint.py."""

from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _

from . import achievements, credential_keys, status_list
from .achievement_image import badge_png
from .forms import KIND_LABELS
from .models import CertificateKind
from .services.exports import issuer_id, issuer_profile

JSON_TYPES = ("application/json", "application/ld+json")
PUBLIC_CACHE = "public, max-age=300"


def _public_json(payload: dict, status: int = 200):
    response = make_response(jsonify(payload), status)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in browsers too
    return response


def jwks():
    """Every public key that ever signed and is still kept: old credentials keep verifying."""
    return _public_json(credential_keys.public_jwks())


def did_document():
    """did:web of the app: the signing keys again, for verifiers that resolve DIDs."""
    response = _public_json(credential_keys.did_document(issuer_id()))
    response.mimetype = "application/did+json"
    return response


def credential_key(thumbprint: str):
    found = credential_keys.find_public(thumbprint)
    if found is None:
        return _public_json({"error": "unknown",
                             "message": _("No signing key with this identifier.")}, 404)
    return _public_json(found)


def issuer():
    return _public_json({"@context": achievements.OB_CONTEXT, **issuer_profile()})


def revocation_list():
    """The signed revocation list (a VC-JWT); the plain JSON when JSON is asked for."""
    if _wants_json():
        return _public_json(status_list.status_list_credential(issuer_id()))
    try:
        token = status_list.signed_status_list(issuer_id())
    except credential_keys.CredentialKeyMissing:
        return _public_json({"error": "unavailable",
                             "message": _("The revocation list cannot be signed yet.")}, 503)
    response = current_app.response_class(token, mimetype="application/vc+jwt")
    response.headers["Cache-Control"] = PUBLIC_CACHE
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept")
    return response


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", *JSON_TYPES])
    return best in JSON_TYPES and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def _not_found(wants_json: bool):
    message = _("No achievement has this address. Check the link you followed: an "
                "achievement exists once somebody has been certified for it.")
    if wants_json:
        return _public_json({"error": "unknown", "message": message}, 404)
    page = render_template("error.html", code=404, title=_("Unknown achievement"),
                           message=message, back=None, login_link=None)
    return make_response(page, 404)


def achievement(kind: str, subject_type: str, subject_id: int, variant: str | None = None,
                as_json: bool = False):
    parsed = achievements.parse(kind, subject_type, subject_id, variant)
    wants_json = as_json or (parsed is not None and parsed[2]) or _wants_json()
    if parsed is None or not achievements.exists(parsed[0]):
        return _not_found(wants_json)
    key, language, _suffix = parsed
    found = achievements.achievement(key, language, standalone=True)
    if found is None:
        return _not_found(wants_json)
    if wants_json:
        response = _public_json(found)
    else:
        with force_locale(language):  # the page speaks the edition's language throughout
            response = make_response(render_template(
                "certificates/achievement.html", achievement=found, language=language,
                kind_label=str(KIND_LABELS[key.kind]), json_url=key.path(language) + ".json",
                editions=[(edition, key.path(edition)) for edition in achievements.EDITIONS]))
    response.vary.add("Accept")
    return response


def achievement_json(kind: str, subject_type: str, subject_id: int):
    return achievement(kind, subject_type, subject_id, as_json=True)


def achievement_image(kind: str):
    try:
        png = badge_png(CertificateKind(kind))
    except ValueError:
        return _not_found(False)
    response = current_app.response_class(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
