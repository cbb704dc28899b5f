"""Health, and the small pages later issues grow: reports, the UTM builder, settings."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.extensions import db
from server.models import ApiToken, Site, Submission, Touch, User
from server.tracker import get_built_script
from server.webapp import bp
from server.webapp.helpers import wants_json

REPORT_DIMENSIONS = {"source": "Source", "medium": "Medium", "campaign": "Campaign",
                     "channel": "Channel"}
UTM_PARTS = ("source", "medium", "campaign", "term", "content")


@bp.route("/health")
def health():
    """Liveness and database check for load balancers; no log-in."""
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


@bp.route("/reports")
def reports():
    """Submissions counted by one dimension of their conversion touch."""
    dimension = request.args.get("by", "source")
    if dimension not in REPORT_DIMENSIONS:
        dimension = "source"
    column = getattr(Touch, dimension)
    rows = db.session.execute(
        sa.select(column, sa.func.count(Submission.id).label("submissions"))
        .select_from(Submission)
        .outerjoin(Touch, Submission.conversion_id == Touch.id)
        .group_by(column)
        .order_by(sa.func.count(Submission.id).desc(), column)
    ).all()
    total = sum(row.submissions for row in rows)
    return render_template("reports.html", rows=rows, total=total, dimension=dimension,
                           dimensions=REPORT_DIMENSIONS)


def campaign_url(base: str, values: dict[str, str]) -> str:
    """``base`` with the non-empty utm_* values set (trimmed, lower case), other params kept."""
    parts = urlsplit(base.strip())
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not key.startswith("utm_")]
    query += [(f"utm_{name}", value.strip().lower()) for name, value in values.items()
              if value.strip()]
    return urlunsplit(parts._replace(query=urlencode(query)))


@bp.route("/utm-builder")
def utm_builder():
    """Build a campaign link from a page URL and its utm_* values (a GET form, nothing stored)."""
    values = {name: request.args.get(name, "")[:255] for name in UTM_PARTS}
    base = request.args.get("url", "")[:2000]
    error, link = None, None
    if base:
        if urlsplit(base.strip()).scheme not in ("http", "https"):
            error = "The page URL must start with http:// or https://."
        elif not all(values[name].strip() for name in ("source", "medium", "campaign")):
            error = "Source, medium and campaign are needed."
        else:
            link = campaign_url(base, values)
    return render_template("utm_builder.html", base=base, values=values, link=link, error=error)


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


ERROR_TITLES = {400: "That did not work", 403: "Not allowed", 404: "Not found"}


@bp.errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """A form without a valid CSRF token: say so plainly instead of a bare 400."""
    if wants_json():
        return jsonify(error="csrf", message="The page expired; reload it and try again."), 400
    return render_template("error.html", code=400, title="The form expired",
                           message="Reload the page and try again."), 400


@bp.errorhandler(400)
@bp.errorhandler(403)
@bp.errorhandler(404)
def error_page(error: HTTPException):
    """The app's own error page, inside the layout."""
    return render_template("error.html", code=error.code, title=ERROR_TITLES[error.code],
                           message=error.description), error.code
