"""The marketer web app: log-in, contacts, companies, search, selections, board, settings."""

from flask import Blueprint

bp = Blueprint("webapp", __name__)

# Importing the modules registers their views and hooks on bp.
from server.webapp import (  # noqa: E402,F401
    auth,
    cards,
    pages,
    search_views,
    security,
    selections,
)
