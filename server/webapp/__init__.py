"""The marketer web app: log-in, contacts, companies, search, selections, board, settings."""

from flask import Blueprint

bp = Blueprint("webapp", __name__)

from server.webapp import routes  # noqa: E402,F401  registers the views on bp
