"""Views of the marketer app."""

import sqlalchemy as sa
from flask import jsonify

from server.extensions import db, login_manager
from server.models import User
from server.webapp import bp


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user for a session."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.route("/health")
def health():
    """Liveness and database check for load balancers; no log-in."""
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")
