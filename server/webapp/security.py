"""Who may see what, and the headers every app response carries."""

from flask import Response, request
from flask_login import current_user

from server.extensions import login_manager
from server.webapp import bp

# The script and the form endpoint are loaded and posted by customers' sites: they stay public
# and keep their own headers (a CSP or frame rule here would break them on those sites).
EMBEDDED_BLUEPRINTS = ("tracker", "ingest")
PUBLIC_ENDPOINTS = ("static", "webapp.login", "webapp.health")

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

login_manager.login_view = "webapp.login"
login_manager.login_message = "Please log in to continue."
login_manager.login_message_category = "info"
# "strong" would log a user out whenever their IP changes (mobile networks, VPNs).
login_manager.session_protection = "basic"


def is_public(endpoint: str | None, blueprint: str | None) -> bool:
    """True for the routes that answer without a log-in."""
    return blueprint in EMBEDDED_BLUEPRINTS or endpoint in PUBLIC_ENDPOINTS


@bp.before_app_request
def require_login():
    """Deny by default: every page needs a user, so a route added later cannot leak."""
    if request.endpoint is None or request.path.startswith("/api/"):
        return None  # 404/405 answer as usual; the API answers 401 itself (server.api.auth)
    if is_public(request.endpoint, request.blueprint) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


@bp.after_app_request
def add_security_headers(response: Response) -> Response:
    """Set CSP, framing, sniffing and referrer rules on everything but the embedded routes."""
    if request.blueprint not in EMBEDDED_BLUEPRINTS:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
    if current_user.is_authenticated and response.mimetype == "text/html":
        # Pages show personal data: keep them out of shared caches and the back-forward cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
