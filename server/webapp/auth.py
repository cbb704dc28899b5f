"""Log-in and log-out with Flask-Login; users come from ``leadtrail create-user``."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from server.extensions import db, limiter, login_manager
from server.models import User
from server.webapp import bp
from server.webapp.forms import LoginForm

# Spend the same hashing time whether or not the e-mail exists, so timing does not reveal it.
_DUMMY_USER = User(email="", password_hash="")
_DUMMY_USER.set_password("not a real password")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user for a session."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def safe_next(target: str | None) -> str:
    """A local path to go to after log-in; anything pointing off-site becomes the home page."""
    home = url_for("webapp.contacts")
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return home
    # Browsers drop tabs and newlines ("/\t/evil.test" is "//evil.test"), and a line break
    # in a Location header is header injection: no whitespace or control character passes.
    if any(char.isspace() or not char.isprintable() for char in target):
        return home
    parts = urlsplit(target)
    return home if parts.scheme or parts.netloc else target


def reset_session() -> None:
    """Start an empty session, so nothing from before a log-in or log-out carries over."""
    session.clear()
    # Flask-WTF caches the request's CSRF token in g; it belonged to the cleared session.
    g.pop("csrf_token", None)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute;50/hour", methods=["POST"])
def login():
    """Show the log-in form and log the user in."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).filter_by(email=form.email.data.strip().lower()))
        if (user or _DUMMY_USER).check_password(form.password.data) and user is not None:
            reset_session()
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        flash("Wrong e-mail or password.", "error")
        return render_template("login.html", form=form), 401
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out; a POST, so the global CSRF check stops other sites from logging a user out."""
    logout_user()
    reset_session()
    flash("You are logged out.", "info")
    return redirect(url_for("webapp.login"))
