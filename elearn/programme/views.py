"""Public pages of the work programme: the whole tree, one activity, the activities of an SDG
(their URLs are listed in blueprint.py)."""

from flask import abort, redirect, render_template, url_for
from markupsafe import Markup

from . import services

# Larger numbers cannot be a row (and overflow the database's integers): answer 404 at once.
MAX_ID = 2**31 - 1


def index():
    return render_template("programme/index.html", areas=services.programme_tree())


def activity(path_code: str):
    if path_code.isdigit():  # an id: send to the one address people share
        if int(path_code) > MAX_ID:
            abort(404)
        found = services.activity_by_id(int(path_code)) or abort(404)
        return redirect(url_for(".activity", path_code=found.path_code), 301)
    found = services.activity_by_path(path_code) or abort(404)
    sections = [
        (title, Markup(render_template(template, activity=found, **context)))
        for title, template, context in services.sections_for(found)
    ]
    return render_template("programme/activity.html", activity=found, sections=sections)


def sdgs():
    return render_template("programme/sdgs.html", sdgs=services.all_sdgs_with_counts())


def sdg(number: int):
    if number > MAX_ID:
        abort(404)
    goal = services.get_sdg(number) or abort(404)
    return render_template(
        "programme/sdg.html", sdg=goal, activities=services.activities_for_sdg(number)
    )
