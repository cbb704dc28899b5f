"""The JSON API under ``/api/``: bearer tokens, marshmallow schemas, an OpenAPI document."""

from flask import Flask, request
from flask_smorest import Api

from server.extensions import csrf


class LeadtrailApi(Api):
    """flask-smorest's Api, with its JSON error pages kept to the API's own paths."""

    def handle_http_exception(self, error):
        """JSON errors under /api/; the app's usual pages elsewhere."""
        if request.path.startswith("/api/"):
            return super().handle_http_exception(error)
        return error


api = LeadtrailApi()


def register_api(app: Flask) -> None:
    """Bind the API, its blueprints and its authentication to the app."""
    from server.api.auth import require_api_user
    from server.api.contacts import blp as contacts_blp
    from server.api.reports import blp as reports_blp
    from server.api.search import blp as search_blp

    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer"}
    )
    api.spec.options["security"] = [{"bearerAuth": []}]
    for blueprint in (contacts_blp, search_blp, reports_blp):
        api.register_blueprint(blueprint)
        # Tokens, not cookies, authenticate API writes, so there is no CSRF token to check.
        csrf.exempt(blueprint)
    app.before_request(require_api_user)
