"""Who is calling the API: a bearer token, or a logged-in user for reads."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import g, request
from flask_login import current_user
from flask_smorest import abort

from server.extensions import db
from server.models import ApiToken, User

# Writing last_used_at on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def require_api_user() -> None:
    """Refuse any /api/ request without a valid token (or a session, for safe methods)."""
    if not request.path.startswith("/api/"):
        return
    user = user_from_bearer_token(request.headers.get("Authorization", ""))
    if user is None and request.method in ("GET", "HEAD") and current_user.is_authenticated:
        # The marketer app's own pages read the API with the session cookie.
        user = current_user._get_current_object()
    if user is None:
        abort(401, message="A valid API token is required (Authorization: Bearer TOKEN).")
    g.api_user = user


def user_from_bearer_token(header: str) -> User | None:
    """The user a ``Bearer`` token belongs to, or None."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    api_token = db.session.scalar(
        sa.select(ApiToken).filter_by(token_hash=ApiToken.hash(token.strip()))
    )
    if api_token is None:
        return None
    now = datetime.now(UTC)
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
        api_token.last_used_at = now
        db.session.commit()
    return api_token.user
