"""Form ingestion: ``POST /f/FORM_KEY`` from any customer site."""

from flask import Blueprint

bp = Blueprint("ingest", __name__)

from server.ingest import routes  # noqa: E402,F401  registers the views on bp
