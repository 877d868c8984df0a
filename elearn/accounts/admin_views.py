"""Admin pages: people and their roles, the member-states list. URLs are in blueprint.py."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from elearn.extensions import db

from . import services
from .forms import SUBREGION_CHOICES, MemberStateForm, PlainForm
from .labels import ROLE_LABELS
from .models import User
from .permissions import role_required
from .view_helpers import country_select


@role_required("admin")
def users():
    query = request.args.get("q", "")[:200]
    page = min(request.args.get("page", 1, type=int) or 1, 10_000)  # OFFSET fits an integer
    pagination = services.search_users(query, page)
    return render_template("admin/users.html", pagination=pagination, query=query,
                           roles=services.ASSIGNABLE_ROLES, role_labels=ROLE_LABELS)


@role_required("admin")
def set_roles(user_id: int):
    user = _user_or_404(user_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    try:
        roles = services.parse_roles(request.form.getlist("roles"))
    except services.UnknownRole:
        abort(400)
    if user.id == current_user.id and "admin" not in roles:
        flash(_("You cannot remove your own admin role; ask another admin."), "error")
        return redirect(url_for("admin.users", q=request.form.get("q", "")))
    if services.set_roles(user, roles, actor=current_user):
        db.session.commit()
        flash(_("Roles of %(name)s are saved.", name=user.display_name), "success")
    return _back_to_users()


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.erased_at is not None:
        abort(404)
    return user


def _back_to_users():
    return redirect(url_for("admin.users", q=request.form.get("q", ""),
                            page=request.form.get("page", 1, type=int)))


@role_required("admin")
def confirm_email(user_id: int):
    """The admin vouches for the address (the person never received the link)."""
    user = _user_or_404(user_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    if services.confirm_by_admin(user, actor=current_user):
        db.session.commit()
        flash(_("The email address of %(name)s is confirmed.", name=user.display_name),
              "success")
    else:
        flash(_("The email address of %(name)s was already confirmed.",
                name=user.display_name), "info")
    return _back_to_users()


@role_required("admin")
def resend_confirmation(user_id: int):
    user = _user_or_404(user_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    path = services.resend_by_admin(user, actor=current_user)
    if path is None:
        flash(_("The email address of %(name)s was already confirmed.",
                name=user.display_name), "info")
    else:
        db.session.commit()
        if services.mail_shown_on_screen():  # development: no email will carry it
            return render_template("accounts/confirm_on_screen.html", email=user.email,
                                   link=path)
        flash(_("A new confirmation link was sent to %(email)s.", email=user.email), "success")
    return _back_to_users()


@role_required("admin")
def member_states():
    form = MemberStateForm()
    language = str(get_locale())
    form.country.choices = country_select(language, _("Choose a country"))
    if form.validate_on_submit():
        try:
            state = services.add_member_state(form.country.data, form.subregion.data,
                                              actor=current_user)
        except ValueError:
            db.session.rollback()
            form.country.errors.append(_("Choose a country from the list."))
        else:
            db.session.commit()
            flash(_("%(country)s is saved as a member state.",
                    country=services.country_name(state.country_code, language)), "success")
            return redirect(url_for("admin.member_states"))
    states = services.list_member_states()
    names = {s.country_code: services.country_name(s.country_code, language) for s in states}
    states.sort(key=lambda s: names[s.country_code])
    return render_template("admin/member_states.html", form=form, states=states, names=names,
                           subregions={c.value: c.label for c in SUBREGION_CHOICES},
                           remove_form=PlainForm()), 400 if form.errors else 200


@role_required("admin")
def remove_member_state(code: str):
    if not PlainForm().validate_on_submit():
        abort(400)
    if not services.remove_member_state(code, actor=current_user):
        abort(404)
    db.session.commit()
    flash(_("%(country)s is no longer listed as a member state.",
            country=services.country_name(code, str(get_locale()))), "success")
    return redirect(url_for("admin.member_states"))
