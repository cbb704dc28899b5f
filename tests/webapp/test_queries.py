"""Lists, cards and selections make a fixed number of queries, however many rows they show."""

import pytest

from server.extensions import db
from server.models import Company, Contact, Deal, Touch
from tests.webapp.conftest import recorded_queries
from tests.webapp.test_selections import save

ROWS = 40


@pytest.fixture
def crowd(logged_in, csrf):
    """ROWS contacts, each with its company, touches and a deal, and a few selections."""
    for number in range(ROWS):
        touch = Touch(source="linkedin", medium="paid_social", campaign=f"c{number}",
                      channel="Paid Social")
        company = Company(name=f"Company {number}", normalised_name=f"company {number}",
                          source=touch)
        contact = Contact(email=f"lead{number}@example.com", company=company,
                          first_touch=touch, lead_creation=touch)
        db.session.add_all([contact, Deal(contact=contact, company=company, title="Pilot")])
    db.session.commit()
    for name in ("One", "Two", "Three"):
        save(logged_in, csrf, name, "dynamic", ["first_touch.source:eq:linkedin"])
    save(logged_in, csrf, "Frozen", "static", ["first_touch.source:eq:linkedin"])
    return db.session.get(Contact, 1), db.session.get(Company, 1)


# Log-in's user load, the page's queries; a page that made one per row would make 40 more.
MAX_QUERIES = 6


@pytest.mark.parametrize("path", [
    "/contacts", "/companies", "/companies/1", "/contacts/1", "/contacts/1?tab=deals",
    "/search?c=first_touch.source:eq:linkedin", "/selections", "/selections/1",
    "/selections/1/board",
])
def test_pages_make_a_fixed_number_of_queries(logged_in, crowd, path):
    """No query per contact, company, touch, deal or selection."""
    with recorded_queries() as statements:
        response = logged_in.get(path)
    assert response.status_code == 200
    assert len(statements) <= MAX_QUERIES, "\n".join(statements)


def test_selection_sizes_are_counted_in_one_query(logged_in, crowd):
    """The selection list shows each selection's size from a single counting query."""
    with recorded_queries() as statements:
        html = logged_in.get("/selections").get_data(as_text=True)
    assert html.count(f'<td class="num">{ROWS}</td>') == 4
    assert sum("count(" in statement.lower() for statement in statements) == 1
