"""The reports page: a chart and a table per source, medium, campaign, channel or form, and CSV."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

from flask import Response, render_template, request, stream_with_context
from werkzeug.datastructures import MultiDict

from server.extensions import db
from server.reports import (
    ATTRIBUTIONS,
    DIMENSIONS,
    PERIODS,
    Report,
    ReportError,
    ReportRow,
    build_report,
    check_choice,
    resolve_period,
)
from server.webapp import bp
from server.webapp.search_views import neutralise_formula

CHART_ROWS = 10
PERIOD_LABELS = {key: "All time" if days is None else f"{days} days"
                 for key, days in PERIODS.items()}


def parse_date(text: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date from the query string; empty means not given."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(f"The {name} date {text!r} is not a date like 2026-01-31.") from None


def report_from_args(args: MultiDict) -> Report:
    """The report a query string asks for; raises ReportError naming what is wrong."""
    dimension = args.get("dimension") or "source"
    attribution = args.get("attribution") or "conversion"
    check_choice(dimension, attribution)
    start, end = resolve_period(
        start=parse_date(args.get("start"), "start"), end=parse_date(args.get("end"), "end"),
        period=args.get("period") or None, today=datetime.now(UTC).date())
    return build_report(db.session, dimension=dimension, attribution=attribution,
                        start=start, end=end)


def link_args(report: Report | None, **changes) -> dict[str, str]:
    """The query string of the shown report, with some parameters changed."""
    if report is None:
        values = {"dimension": "source", "attribution": "conversion", "period": "30"}
    else:
        values = {"dimension": report.dimension, "attribution": report.attribution,
                  "start": report.start.isoformat() if report.start else None,
                  "end": report.end.isoformat(), "period": None if report.start else "all"}
    if "period" in changes:
        # A preset replaces the dates, and the dates a preset.
        values.pop("start", None)
        values.pop("end", None)
    values.update(changes)
    return {key: value for key, value in values.items() if value}


@bp.route("/reports")
def reports():
    """Submissions, new leads and deals per value of a dimension, as a chart and a table."""
    try:
        report, error = report_from_args(request.args), None
    except ReportError as problem:
        report, error = None, str(problem)
    return render_template(
        "reports.html", report=report, error=error, chart=chart_rows(report),
        dimensions=DIMENSIONS, attributions=ATTRIBUTIONS, periods=PERIOD_LABELS,
        link_args=link_args, args=request.args,
    ), (400 if error else 200)


def chart_rows(report: Report | None) -> list[dict]:
    """The top rows as bar lengths (0-1 of the largest submissions count), for the SVG chart."""
    if report is None or not report.rows:
        return []
    top = report.rows[:CHART_ROWS]
    largest = max(row.submissions for row in top)
    return [{"row": row, "submissions": row.submissions / largest,
             "new_leads": row.new_leads / largest} for row in top]


@bp.route("/reports/export.csv")
def reports_csv() -> Response:
    """The report of the same parameters as CSV: one line per row, then the totals."""
    try:
        report = report_from_args(request.args)
    except ReportError as problem:
        return Response(f"{problem}\n", status=400, mimetype="text/plain")
    response = Response(stream_with_context(csv_lines(report)), mimetype="text/csv")
    period = f"{report.start or 'start'}-to-{report.end}"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="leadtrail-report-{report.dimension}-{period}.csv"')
    return response


def csv_lines(report: Report) -> Iterator[str]:
    """The CSV text of the header, each row and the totals, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [report.dimension, "submissions", "share", "new_leads", "deals", "won_deals",
              "conversion_rate", *(f"deal_value_{currency}" for currency in report.currencies)]
    lines = [header, *(csv_row(report, row, row.label) for row in report.rows),
             csv_row(report, report.totals, "Total")]
    for line in lines:
        writer.writerow([neutralise_formula(cell) for cell in line])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_row(report: Report, row: ReportRow, label: str) -> list:
    """One row's cells; rates as fractions with four decimals, amounts with two."""
    def fraction(value: float | None) -> str:
        """A rate as text; empty when it has no value."""
        return "" if value is None else f"{value:.4f}"

    return [label, row.submissions, fraction(row.share), row.new_leads, row.deals,
            row.won_deals, fraction(row.conversion_rate),
            *(row.deal_value.get(currency, "") for currency in report.currencies)]
