"""The browser tracker: built from tracker_js/src/leadtrail.js and served at /t.js."""

from flask import Blueprint

bp = Blueprint("tracker", __name__)

from server.tracker import routes  # noqa: E402, F401  (registers the views on bp)
from server.tracker.routes import BuiltScript, get_built_script  # noqa: E402

__all__ = ["bp", "BuiltScript", "get_built_script"]
