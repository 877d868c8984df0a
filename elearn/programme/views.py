from flask import Blueprint, render_template

bp = Blueprint("programme", __name__, url_prefix="/programme")


@bp.get("/")
def index():
    return render_template("error.html", code=200, message="programme")
