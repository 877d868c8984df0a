"""The forms domain's URL map: building forms (sections, questions, options, conditions)."""

from flask import Blueprint

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

forms = Blueprint("forms", __name__, url_prefix="/forms")

blueprints = [forms]
