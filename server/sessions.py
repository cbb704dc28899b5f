"""Cookie sessions for the marketer app only."""

from flask import request
from flask.sessions import SecureCookieSessionInterface

# The script and the form endpoint serve visitors of customer sites: they never use a session,
# so they must not set a cookie or answer `Vary: Cookie` (which would defeat caches for /t.js).
SESSIONLESS_BLUEPRINTS = frozenset({"tracker", "ingest"})


class AppSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions, skipped on the public endpoints."""

    def save_session(self, app, session, response) -> None:
        """Save the session unless the request was for a sessionless endpoint."""
        if request.blueprint in SESSIONLESS_BLUEPRINTS:
            return
        super().save_session(app, session, response)
