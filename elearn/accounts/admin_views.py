from flask import Blueprint, render_template

from .permissions import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@role_required("admin")
def users():
    return render_template("error.html", code=200, message="users")
