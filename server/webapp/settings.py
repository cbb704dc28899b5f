"""Settings: sites, forms, the snippet to install, users and tokens."""


import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from server.extensions import db
from server.models import ApiToken, Site, User
from server.tracker import get_built_script
from server.webapp import bp


@bp.route("/settings")
def settings():
    """Sites with their domains and forms, and the snippet to install them."""
    sites = db.session.scalars(
        sa.select(Site).options(so.selectinload(Site.forms)).order_by(Site.name)
    ).all()
    return render_template(
        "settings.html",
        sites=sites,
        script_url=url_for("tracker.tracker_script", _external=True),
        integrity=get_built_script(current_app._get_current_object()).integrity,
        form_action_base=request.host_url.rstrip("/"),
    )


@bp.route("/settings/users")
def settings_users():
    """Users and how many API tokens each has; admins only."""
    if not current_user.is_admin:
        abort(403)
    token_counts = dict(db.session.execute(
        sa.select(ApiToken.user_id, sa.func.count(ApiToken.id)).group_by(ApiToken.user_id)
    ).all())
    users = db.session.scalars(sa.select(User).order_by(User.email)).all()
    return render_template("settings_users.html", users=users, token_counts=token_counts)
