"""The reports in the JSON API: the numbers of the reports page, as JSON."""

from datetime import UTC, datetime

from flask_smorest import Blueprint, abort

from server.api.schemas import ReportQuerySchema, ReportSchema
from server.extensions import db
from server.reports import ReportError, build_report, resolve_period

blp = Blueprint("reports", __name__, url_prefix="/api",
                description="Submissions, new leads and deals per source, medium, campaign, "
                            "channel or form")


@blp.route("/reports")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportSchema)
def report(query):
    """A report for a dimension, attribution model and range of whole UTC days."""
    try:
        start, end = resolve_period(start=query.get("start"), end=query.get("end"),
                                    period=query.get("period"), today=datetime.now(UTC).date())
    except ReportError as error:
        abort(422, message="Invalid date range.", errors={"query": {"_schema": [str(error)]}})
    return build_report(db.session, dimension=query["dimension"],
                        attribution=query["attribution"], start=start, end=end)
