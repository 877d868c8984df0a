"""The home domain's URL map: the personal home page. Importing it also adds the events,
editions and hackathons of an activity to the programme's activity page (activity.py)."""

from flask import Blueprint

from . import activity, views

bp = Blueprint("home", __name__)

bp.add_url_rule("/me", "index", view_func=views.index, methods=["GET"])
activity.register()

blueprints = (bp,)
