"""The marketer web app: log-in, contacts, companies, search, selections, board, settings."""

from flask import Blueprint

bp = Blueprint("webapp", __name__)

# Importing the modules registers their views, hooks and template filters on bp.
from server.webapp import (  # noqa: E402,F401
    auth,
    cards,
    helpers,
    pages,
    reports,
    search_views,
    security,
    selections,
    settings,
    utm_builder,
)
