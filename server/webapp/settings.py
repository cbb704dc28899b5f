"""Settings: sites, forms, the snippet to install, users and tokens.

Everyone logged in may look; only admins may change anything. Every change is a POST with a
CSRF token, validated whole before a single value is written, then committed in one go.
"""

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from server.attribution import (
    DEFAULT_EXCLUDED_DOMAINS,
    MAX_UTM_LENGTH,
    alias_key,
    clean_text,
    is_sentinel,
)
from server.extensions import db
from server.models import ApiToken, Form, Selection, Site, User, UtmLink
from server.tracker import get_built_script
from server.webapp import bp
from server.webapp.forms import (
    ActionForm,
    AliasForm,
    AliasRemoveForm,
    DomainForm,
    PasswordResetForm,
    RenameForm,
    RoleForm,
    SiteForm,
    SiteOptionsForm,
    TokenForm,
    TrackedFormForm,
    UserForm,
)


def admin_required(view: Callable) -> Callable:
    """Refuse the view with 403 to anyone but an admin."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        """Check the role, then run the view."""
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def flash_errors(form: FlaskForm, prefix: str = "") -> None:
    """One flash message per invalid field, named by its label."""
    for name, messages in form.errors.items():
        label = form[name].label.text if name in form else "Form"
        if name == "csrf_token":
            label = "Form"
            messages = ["The form expired; please try again."]
        for message in messages:
            flash(f"{prefix}{label}: {message}", "error")


def refused(site: Site, reason: FlaskForm | str):
    """Say why a change to a site was refused (a form's field errors, or a message)."""
    if isinstance(reason, str):
        flash(f"{site.name} · {reason}", "error")
    else:
        flash_errors(reason, prefix=f"{site.name} · ")
    # No anchor: the messages are at the top of the page, where the redirect lands.
    return back_to()


def back_to(site_id: int | None = None):
    """Redirect to the settings page, at the site's card when there is one."""
    anchor = f"site-{site_id}" if site_id else None
    return redirect(url_for("webapp.settings", _anchor=anchor))


def saved(message: str, site_id: int | None = None):
    """Commit, say so, and go back to the settings page."""
    db.session.commit()
    flash(message, "success")
    return back_to(site_id)


def get_site(site_id: int) -> Site:
    """The site, or 404."""
    return db.get_or_404(Site, site_id)


@bp.route("/settings")
def settings():
    """Sites with their domains, rules and forms, and the snippet to install them."""
    sites = db.session.scalars(
        sa.select(Site).options(so.selectinload(Site.forms)).order_by(Site.name, Site.id)
    ).all()
    return render_template(
        "settings.html",
        sites=sites,
        script_url=url_for("tracker.tracker_script", _external=True),
        integrity=get_built_script(current_app._get_current_object()).integrity,
        form_action_base=request.host_url.rstrip("/"),
        default_excluded=DEFAULT_EXCLUDED_DOMAINS,
    )


@bp.post("/settings/sites")
@admin_required
def create_site():
    """Create a site with its first domain."""
    form = SiteForm()
    if not form.validate():
        flash_errors(form)
        return back_to()
    site = Site(name=form.name.data.strip(), domains=[form.domain.data])
    db.session.add(site)
    db.session.flush()
    return saved(f"Site “{site.name}” created.", site.id)


@bp.post("/settings/sites/<int:site_id>/name")
@admin_required
def rename_site(site_id: int):
    """Rename a site."""
    site, form = get_site(site_id), RenameForm()
    if not form.validate():
        return refused(site, form)
    site.name = form.name.data.strip()
    return saved("Site renamed.", site.id)


def change_domains(site_id: int, attribute: str, add: bool):
    """Add a domain to, or remove one from, a site's domains or excluded domains."""
    site, form = get_site(site_id), DomainForm()
    if not form.validate():
        return refused(site, form)
    current, domain = list(getattr(site, attribute) or []), form.domain.data
    what = "Domain" if attribute == "domains" else "Excluded domain"
    if add:
        if domain in current:
            return refused(site, f"{what}: {domain} is already listed.")
        if attribute == "excluded_domains" and domain in DEFAULT_EXCLUDED_DOMAINS:
            return refused(site, f"{what}: {domain} is already excluded by default.")
        setattr(site, attribute, [*current, domain])
        return saved(f"{what} {domain} added.", site.id)
    if domain not in current:
        return refused(site, f"{what}: {domain} is not listed.")
    if attribute == "domains" and len(current) == 1:
        # With no domain the site would refuse every submission (Origin check).
        return refused(site, f"{what}: a site needs at least one domain; add another first.")
    setattr(site, attribute, [value for value in current if value != domain])
    return saved(f"{what} {domain} removed.", site.id)


@bp.post("/settings/sites/<int:site_id>/domains")
@admin_required
def add_domain(site_id: int):
    """Add a domain the site runs on."""
    return change_domains(site_id, "domains", add=True)


@bp.post("/settings/sites/<int:site_id>/domains/remove")
@admin_required
def remove_domain(site_id: int):
    """Remove one of the site's domains (not the last)."""
    return change_domains(site_id, "domains", add=False)


@bp.post("/settings/sites/<int:site_id>/excluded")
@admin_required
def add_excluded_domain(site_id: int):
    """Add a referrer domain that never counts as a source (a payment page, a login)."""
    return change_domains(site_id, "excluded_domains", add=True)


@bp.post("/settings/sites/<int:site_id>/excluded/remove")
@admin_required
def remove_excluded_domain(site_id: int):
    """Remove one of the site's own excluded referrer domains."""
    return change_domains(site_id, "excluded_domains", add=False)


@bp.post("/settings/sites/<int:site_id>/options")
@admin_required
def site_options(site_id: int):
    """Set the lower-case switch and the lookback days."""
    site, form = get_site(site_id), SiteOptionsForm()
    if not form.validate():
        return refused(site, form)
    site.lowercase_values = form.lowercase_values.data
    site.lookback_days = form.lookback_days.data
    return saved("Site options saved.", site.id)


@bp.post("/settings/sites/<int:site_id>/aliases")
@admin_required
def add_alias(site_id: int):
    """Add a row to the alias table (a raw value already there gets the new canonical value)."""
    site, form = get_site(site_id), AliasForm()
    if not form.validate():
        return refused(site, form)
    raw = clean_text(form.raw.data, MAX_UTM_LENGTH)
    canonical = clean_text(form.canonical.data, MAX_UTM_LENGTH)
    if raw is None or canonical is None:
        return refused(site, "Alias: type both the raw value and the value to use.")
    if is_sentinel(raw):
        # Ingestion keeps these before it looks at the table: such a row would never apply.
        return refused(site, f"Alias: {raw} means “no value” and is never renamed.")
    # Raw values match the way ingestion looks them up, so "LnkdIn" replaces a row for "lnkdin".
    aliases = {key: value for key, value in (site.aliases or {}).items()
               if alias_key(key) != alias_key(raw)}
    aliases[raw] = canonical
    site.aliases = aliases
    return saved(f"Alias {raw} → {canonical} saved.", site.id)


@bp.post("/settings/sites/<int:site_id>/aliases/remove")
@admin_required
def remove_alias(site_id: int):
    """Remove a row of the alias table."""
    site, form = get_site(site_id), AliasRemoveForm()
    if not form.validate() or form.raw.data not in (site.aliases or {}):
        return refused(site, "Alias: that row is no longer there.")
    site.aliases = {key: value for key, value in site.aliases.items() if key != form.raw.data}
    return saved(f"Alias {form.raw.data} removed.", site.id)


@bp.post("/settings/sites/<int:site_id>/forms")
@admin_required
def create_form(site_id: int):
    """Create a form on a site."""
    site, form = get_site(site_id), TrackedFormForm()
    if not form.validate():
        return refused(site, form)
    tracked = Form(site=site, name=form.name.data.strip(),
                   redirect_url=form.redirect_url.data.strip(), track_utm=form.track_utm.data)
    db.session.add(tracked)
    return saved(f"Form “{tracked.name}” created.", site.id)


@bp.post("/settings/forms/<int:form_id>")
@admin_required
def edit_form(form_id: int):
    """Rename a form, change its thank-you page and its UTM switch."""
    tracked, form = db.get_or_404(Form, form_id), TrackedFormForm()
    if not form.validate():
        return refused(tracked.site, form)
    tracked.name = form.name.data.strip()
    tracked.redirect_url = form.redirect_url.data.strip()
    tracked.track_utm = form.track_utm.data
    return saved(f"Form “{tracked.name}” saved.", tracked.site_id)


def token_form() -> TokenForm:
    """The posted new-token form, with the users it may name."""
    form = TokenForm()
    form.user_id.choices = [(user.id, user.email) for user in
                            db.session.scalars(sa.select(User).order_by(User.email))]
    return form


def render_users(new_token: str | None = None, status: int = 200):
    """The users and tokens page; ``new_token`` is shown this once."""
    users = db.session.scalars(sa.select(User).order_by(User.email)).all()
    tokens = db.session.execute(
        sa.select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    return render_template(
        "settings_users.html",
        users=users,
        tokens=tokens,
        new_token=new_token,
        role=RoleForm(formdata=None),
        user_choices=[(user.id, user.email) for user in users],
    ), status


def back_to_users():
    """Redirect to the users and tokens page."""
    return redirect(url_for("webapp.settings_users"))


@bp.route("/settings/users")
@admin_required
def settings_users():
    """Users and API tokens; admins only."""
    return render_users()


@bp.post("/settings/users")
@admin_required
def create_user():
    """Create a user with a role and a password."""
    form = UserForm()
    if not form.validate():
        flash_errors(form)
        return back_to_users()
    taken = f"E-mail: {form.email.data} already has an account."
    if email_taken(form.email.data):
        flash(taken, "error")
        return back_to_users()
    user = User(email=form.email.data, role=form.role.data)
    user.set_password(form.password.data)
    db.session.add(user)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Another admin created the same address between the check and the commit.
        db.session.rollback()
        flash(taken, "error")
        return back_to_users()
    flash(f"User {user.email} created.", "success")
    return back_to_users()


def email_taken(email: str) -> bool:
    """True when a user already logs in with this address."""
    return db.session.scalar(sa.select(User.id).filter_by(email=email)) is not None


def admin_count() -> int:
    """How many admins there are."""
    return db.session.scalar(sa.select(sa.func.count(User.id)).filter_by(role="admin"))


@bp.post("/settings/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    """Change a user's role; the last admin stays an admin."""
    user, form = db.get_or_404(User, user_id), RoleForm()
    if not form.validate():
        flash_errors(form)
        return back_to_users()
    if user.role == "admin" and form.role.data != "admin" and admin_count() <= 1:
        flash(f"Role: {user.email} is the last admin; make someone else admin first.", "error")
        return back_to_users()
    user.role = form.role.data
    db.session.commit()
    flash(f"{user.email} is now {user.role}.", "success")
    if not current_user.is_admin:
        return back_to()  # an admin who made themselves marketer may no longer see the users
    return back_to_users()


@bp.post("/settings/users/<int:user_id>/delete")
@admin_required
def delete_user(user_id: int):
    """Delete a user and their tokens; their selections and links stay, without an owner."""
    user, form = db.get_or_404(User, user_id), ActionForm()
    if not form.validate():
        flash_errors(form)
        return back_to_users()
    # Refusing one's own account also keeps the last admin: whoever deletes is an admin.
    if user.id == current_user.id:
        flash("User: you cannot delete your own account; ask another admin.", "error")
        return back_to_users()
    # One transaction: the references go with the user or not at all.
    db.session.execute(sa.update(Selection).filter_by(owner_id=user.id).values(owner_id=None))
    db.session.execute(
        sa.update(UtmLink).filter_by(created_by_id=user.id).values(created_by_id=None)
    )
    db.session.execute(sa.delete(ApiToken).filter_by(user_id=user.id))
    db.session.delete(user)
    db.session.commit()
    flash(f"User {user.email} deleted.", "success")
    return back_to_users()


@bp.post("/settings/users/<int:user_id>/password")
@admin_required
def reset_password(user_id: int):
    """Set a new password for a user."""
    user, form = db.get_or_404(User, user_id), PasswordResetForm()
    if not form.validate():
        flash_errors(form)
        return back_to_users()
    user.set_password(form.password.data)
    db.session.commit()
    flash(f"Password of {user.email} changed.", "success")
    return back_to_users()


@bp.post("/settings/tokens")
@admin_required
def create_token():
    """Issue an API token and show it once, on this response (never stored in plain)."""
    form = token_form()
    if not form.validate():
        flash_errors(form)
        return back_to_users()
    user = db.session.get(User, form.user_id.data)
    api_token, plain = ApiToken.issue(user, form.name.data.strip())
    db.session.add(api_token)
    db.session.commit()
    # Rendered here rather than flashed: a flash would sit in the session cookie.
    return render_users(new_token=plain, status=201)


@bp.post("/settings/tokens/<int:token_id>/revoke")
@admin_required
def revoke_token(token_id: int):
    """Delete an API token; requests with it fail from now on."""
    api_token, form = db.get_or_404(ApiToken, token_id), ActionForm()
    if not form.validate():
        flash_errors(form)
        return back_to_users()
    db.session.delete(api_token)
    db.session.commit()
    flash(f"Token “{api_token.name}” revoked.", "success")
    return back_to_users()
