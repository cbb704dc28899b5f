"""Health and the app's error pages."""


import sqlalchemy as sa
from flask import jsonify, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from server.extensions import db
from server.webapp import bp
from server.webapp.helpers import wants_json


@bp.route("/health")
def health():
    """Liveness and database check for load balancers; no log-in."""
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


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
