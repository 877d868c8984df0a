"""The accounts domain's URL map: every URL of the `accounts` and `admin` blueprints, and the
hooks that load the signed-in person on each request."""

from flask import Blueprint

from elearn.extensions import login_manager

from . import admin_views, profile_views, views
from .view_helpers import forget_cached_user, load_user

accounts = Blueprint("accounts", __name__)
admin = Blueprint("admin", __name__, url_prefix="/admin")

login_manager.user_loader(load_user)
accounts.before_app_request(forget_cached_user)

# Log-in, sign-up, passwords (views.py)
accounts.add_url_rule("/login", "login", view_func=views.login, methods=["GET", "POST"])
accounts.add_url_rule("/logout", "logout", view_func=views.logout, methods=["POST"])
accounts.add_url_rule("/signup", "signup", view_func=views.signup, methods=["GET", "POST"])
accounts.add_url_rule("/confirm/<token>", "confirm_email", view_func=views.confirm_email,
                      methods=["GET"])
accounts.add_url_rule("/confirm/resend", "resend_confirmation",
                      view_func=views.resend_confirmation, methods=["GET", "POST"])
accounts.add_url_rule("/password/forgot", "forgot_password", view_func=views.forgot_password,
                      methods=["GET", "POST"])
accounts.add_url_rule("/password/reset/<token>", "reset_password",
                      view_func=views.reset_password, methods=["GET", "POST"])
accounts.add_url_rule("/password/change", "change_password", view_func=views.change_password,
                      methods=["GET", "POST"])

# The person's own pages (profile_views.py)
accounts.add_url_rule("/profile", "profile", view_func=profile_views.profile, methods=["GET"])
accounts.add_url_rule("/profile/edit", "edit_profile", view_func=profile_views.edit_profile,
                      methods=["GET", "POST"])
accounts.add_url_rule("/profile/email", "change_email", view_func=profile_views.change_email,
                      methods=["GET", "POST"])
accounts.add_url_rule("/profile/email/confirm/<token>", "confirm_email_change",
                      view_func=profile_views.confirm_email_change, methods=["GET"])
accounts.add_url_rule("/profile/data", "my_data", view_func=profile_views.my_data,
                      methods=["GET"])
accounts.add_url_rule("/profile/erase", "erase", view_func=profile_views.erase,
                      methods=["GET", "POST"])

# Admin pages (admin_views.py)
admin.add_url_rule("/users", "users", view_func=admin_views.users, methods=["GET"])
admin.add_url_rule("/users/<int:user_id>/roles", "set_roles", view_func=admin_views.set_roles,
                   methods=["POST"])
admin.add_url_rule("/users/<int:user_id>/confirm-email", "confirm_email",
                   view_func=admin_views.confirm_email, methods=["POST"])
admin.add_url_rule("/users/<int:user_id>/resend-confirmation", "resend_confirmation",
                   view_func=admin_views.resend_confirmation, methods=["POST"])
admin.add_url_rule("/member-states", "member_states", view_func=admin_views.member_states,
                   methods=["GET", "POST"])
admin.add_url_rule("/member-states/<code>/remove", "remove_member_state",
                   view_func=admin_views.remove_member_state, methods=["POST"])

blueprints = (accounts, admin)
