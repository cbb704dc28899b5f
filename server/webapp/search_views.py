"""The lead search page and its streaming CSV export."""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask import Response, redirect, render_template, request, stream_with_context, url_for

from server.extensions import db
from server.models import Contact
from server.search import (
    FIELDS,
    LEAD_COLUMNS,
    MAX_CRITERIA,
    OPERATORS,
    CriteriaError,
    Criterion,
    check_criteria_count,
    contacts_matching,
    lead_value,
    make_criterion,
    split_criterion,
    with_lead_details,
)
from server.webapp import bp
from server.webapp.forms import SelectionForm
from server.webapp.helpers import paginate_contacts

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), with
# the full-width forms some spreadsheets also accept.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_HEADER = ("id", "email", "first_name", "last_name", "company", "lead_status", "created_at",
              *LEAD_COLUMNS)
EXPORT_BATCH = 500


@dataclass
class SearchRequest:
    """The criteria rows of a request, as typed (to show them again) and as validated."""

    rows: list[tuple[str, str, str]]
    criteria: list[Criterion]
    errors: list[str]


def read_search(texts: list[str]) -> SearchRequest:
    """Parse ``field:op:value`` texts, keeping every row and an error for each bad one."""
    search = SearchRequest(rows=[], criteria=[], errors=[])
    try:
        check_criteria_count(len(texts))
    except CriteriaError as error:
        search.errors.append(str(error))
        texts = texts[:MAX_CRITERIA]
    for text in texts:
        row = split_criterion(text)
        search.rows.append(row)
        try:
            search.criteria.append(make_criterion(*row))
        except CriteriaError as error:
            search.errors.append(str(error))
    return search


def field_groups() -> dict[str, list]:
    """The searchable fields by group, for the field select's optgroups."""
    groups: dict[str, list] = {}
    for field in FIELDS.values():
        groups.setdefault(field.group, []).append(field)
    return groups


@bp.route("/search")
def search():
    """Search contacts by lead criteria; the criteria are in the URL, so a search is a link."""
    if "field" in request.args:
        # The plain HTML form sends field/op/value lists; turn them into the ?c= form.
        rows = zip(request.args.getlist("field"), request.args.getlist("op"),
                   request.args.getlist("value"), strict=False)
        texts = [f"{field}:{op}:{value}" for field, op, value in rows if field]
        return redirect(url_for("webapp.search", c=texts))
    search = read_search(request.args.getlist("c"))
    page = None
    if search.criteria and not search.errors:
        page = paginate_contacts(contacts_matching(search.criteria))
    return render_template(
        "search.html",
        search=search,
        page=page,
        groups=field_groups(),
        operators=OPERATORS.values(),
        selection_form=SelectionForm(),
        query_texts=[criterion.to_text() for criterion in search.criteria],
    )


@bp.route("/search/export.csv")
def export_csv() -> Response:
    """Stream the contacts matching the search as CSV, row by row."""
    search = read_search(request.args.getlist("c"))
    if search.errors:
        return Response("\n".join(search.errors) + "\n", status=400, mimetype="text/plain")
    statement = with_lead_details(contacts_matching(search.criteria))
    # yield_per keeps memory flat however many contacts match.
    contacts = db.session.scalars(statement.execution_options(yield_per=EXPORT_BATCH))
    response = Response(stream_with_context(csv_lines(contacts)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="leadtrail-contacts.csv"'
    return response


def csv_lines(contacts: Iterable[Contact]) -> Iterator[str]:
    """The CSV text of the header and each contact, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in itertools.chain([CSV_HEADER], map(csv_row, contacts)):
        writer.writerow([neutralise_formula(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_row(contact: Contact) -> list:
    """One contact's CSV cells, in CSV_HEADER order."""
    return [
        contact.id, contact.email, contact.first_name, contact.last_name,
        contact.company.name if contact.company else "", contact.lead_status,
        contact.created_at.isoformat(),
        *(lead_value(contact, column) for column in LEAD_COLUMNS),
    ]


def neutralise_formula(value) -> str:
    """A cell's text, with a quote in front when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
