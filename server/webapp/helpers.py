"""Small helpers shared by the app's views: pages of results, remembered columns, redirects."""

import sqlalchemy as sa
from flask import request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination

from server.extensions import db
from server.search import valid_lead_columns, with_lead_details
from server.webapp.auth import safe_next

PER_PAGE = 50
# The contact tables whose lead columns a user picks; each is remembered separately.
COLUMN_TABLES = {"company": "company_contact_columns", "selection": "selection_contact_columns"}


def paginate_contacts(statement: sa.Select) -> Pagination:
    """The requested page (``?page=N``) of a contact query, with company and touches loaded."""
    return db.paginate(with_lead_details(statement), per_page=PER_PAGE, max_per_page=PER_PAGE,
                       error_out=False)


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
