"""Small helpers shared by the app's views: pages of results, remembered columns, redirects."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination

from server.extensions import db
from server.search import valid_lead_columns, with_lead_details
from server.webapp import bp
from server.webapp.auth import safe_next

PER_PAGE = 50
# The contact tables whose lead columns a user picks; each is remembered separately.
COLUMN_TABLES = {"company": "company_contact_columns", "selection": "selection_contact_columns"}


def paginate(statement: sa.Select) -> Pagination:
    """The requested page (``?page=N``) of a query; a page past the end shows the last one."""
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False)
    if not page.items and page.page > 1 and page.pages:
        # A stale link (rows deleted since) lands on real rows rather than an empty table.
        page = db.paginate(statement, page=page.pages, per_page=PER_PAGE, error_out=False)
    return page


def paginate_contacts(statement: sa.Select) -> Pagination:
    """The requested page of a contact query, with company and touches loaded."""
    return paginate(with_lead_details(statement))


def lead_columns(table: str) -> list[str]:
    """The lead columns the current user chose for a contact table."""
    return valid_lead_columns((current_user.preferences or {}).get(COLUMN_TABLES[table]))


def remember_lead_columns(table: str, columns: list[str]) -> None:
    """Store the current user's lead columns for a table."""
    # A new dict, so SQLAlchemy sees the JSON column change.
    current_user.preferences = {
        **(current_user.preferences or {}),
        COLUMN_TABLES[table]: valid_lead_columns(columns),
    }
    db.session.commit()


def wants_json() -> bool:
    """True when the request comes from the app's JavaScript, which asks for JSON answers."""
    return request.accept_mimetypes.best == "application/json"


def back_to(default_endpoint: str, **values) -> str:
    """The local page named in the form's ``next`` field, or a default page."""
    target = request.form.get("next")
    return safe_next(target) if target else url_for(default_endpoint, **values)


@bp.app_template_filter("utc")
def in_utc(moment: datetime) -> datetime:
    """A time in UTC, the zone searches use, whatever zone the database answered in."""
    # PostgreSQL hands timestamptz values back in the session's time zone, not always UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
