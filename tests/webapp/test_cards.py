"""Contact and company cards: touches, Privacy tab, submissions, deals, lead status, columns."""

import re

import sqlalchemy as sa

from server.extensions import db
from server.models import Contact, Deal, User

XSS = "<img src=x onerror=alert(1)>"


def test_contact_list_shows_newest_first(logged_in, submit):
    """The list shows name, e-mail, company and touches, newest contact first."""
    submit("old@example.com", company="Oldco")
    submit("new@example.com", first=("linkedin", "paid_social", "webinar"), company="Newco")
    html = logged_in.get("/contacts").get_data(as_text=True)
    assert html.index("new@example.com") < html.index("old@example.com")
    assert "Newco" in html and "linkedin" in html


def test_contact_card_shows_first_touch_and_lead_creation(logged_in, submit):
    """The Privacy tab, purpose E-marketing, holds both touches in full behind Show more."""
    ids = submit("ada@example.com", first=("linkedin", "paid_social", "webinar_sept"),
                 last=("facebook", "paid_social", "retarget"), company="Acme")
    html = logged_in.get(f"/contacts/{ids['contact_id']}?tab=privacy").get_data(as_text=True)
    assert "E-marketing" in html
    assert "<summary>Show more</summary>" in html
    first = html[html.index('data-testid="first-touch"'):html.index('data-testid="lead-creation"')]
    lead = html[html.index('data-testid="lead-creation"'):]
    assert "linkedin" in first and "webinar_sept" in first and "Paid Social" in first
    assert "facebook" in lead and "retarget" in lead
    assert "https://site.test/signup?utm_source=facebook" in lead  # landing page
    overview = logged_in.get(f"/contacts/{ids['contact_id']}").get_data(as_text=True)
    assert "linkedin" in overview and "facebook" in overview


def test_contact_card_lists_submissions_with_conversions(logged_in, submit):
    """Each submission shows its own conversion."""
    submit("ada@example.com", last=("facebook", "paid_social", "retarget"))
    ids = submit("ada@example.com", last=("newsletter", "email", "may"))
    html = logged_in.get(f"/contacts/{ids['contact_id']}?tab=submissions").get_data(as_text=True)
    assert html.index("newsletter") < html.index("facebook")
    assert "Signup" in html


def test_lead_status_is_changed_with_the_select(logged_in, submit, csrf):
    """The status form saves; an unknown status is refused."""
    contact_id = submit("ada@example.com")["contact_id"]
    response = logged_in.post(f"/contacts/{contact_id}/status",
                              data={"lead_status": "qualified", "csrf_token": csrf})
    assert response.status_code == 302
    assert db.session.get(Contact, contact_id).lead_status == "qualified"
    refused = logged_in.post(f"/contacts/{contact_id}/status",
                             data={"lead_status": "bogus", "csrf_token": csrf})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Contact, contact_id).lead_status == "qualified"


def test_deal_added_on_the_card_links_contact_and_company(logged_in, submit, csrf):
    """A deal made on the card belongs to the contact and their company, and shows there."""
    ids = submit("ada@example.com", company="Acme")
    response = logged_in.post(f"/contacts/{ids['contact_id']}/deals", data={
        "title": "Pilot", "value": "1200.50", "currency": "eur", "stage": "open",
        "csrf_token": csrf})
    assert response.status_code == 302
    deal = db.session.scalar(sa.select(Deal))
    assert (deal.contact_id, deal.company_id, deal.currency) == (
        ids["contact_id"], ids["company_id"], "EUR")
    html = logged_in.get(f"/contacts/{ids['contact_id']}?tab=deals").get_data(as_text=True)
    assert "Pilot" in html and "1,200.50 EUR" in html


def test_company_card_shows_company_source(logged_in, submit):
    """The company source is the conversion of the submission that created the company."""
    ids = submit("ada@example.com", last=("facebook", "paid_social", "retarget"),
                 company="Acme")
    submit("bob@example.com", last=("newsletter", "email", "may"), company="acme")
    html = logged_in.get(f"/companies/{ids['company_id']}").get_data(as_text=True)
    source = html[html.index('data-testid="company-source"'):html.index("<h2>Contacts</h2>")]
    assert "facebook" in source and "retarget" in source and "newsletter" not in source
    assert "ada@example.com" in html and "bob@example.com" in html
    assert "Acme" in logged_in.get("/companies").get_data(as_text=True)


def test_company_contact_columns_are_remembered_per_user(logged_in, submit, csrf, user):
    """The gear menu's choice is stored on the user and used on the next visit."""
    ids = submit("ada@example.com", first=("linkedin", "paid_social", "webinar"),
                 last=("facebook", "paid_social", "retarget"), company="Acme")
    path = f"/companies/{ids['company_id']}"
    assert 'data-column="lead_creation.campaign"' not in logged_in.get(path).get_data(
        as_text=True)
    response = logged_in.post("/preferences/columns", data={
        "table": "company", "next": path, "csrf_token": csrf,
        "columns": ["lead_creation.campaign", "first_touch.channel", "bogus.column"]})
    assert response.headers["Location"] == path
    db.session.expire_all()
    assert db.session.get(User, user.id).preferences["company_contact_columns"] == [
        "first_touch.channel", "lead_creation.campaign"]
    html = logged_in.get(path).get_data(as_text=True)
    assert 'data-column="lead_creation.campaign"' in html and "retarget" in html
    assert 'data-column="first_touch.source"' not in html


def test_column_picker_refuses_unknown_tables_and_off_site_redirects(logged_in, csrf):
    """Only the known tables are stored; ``next`` never leaves the app."""
    bad = logged_in.post("/preferences/columns",
                         data={"table": "users", "csrf_token": csrf, "columns": ["x"]})
    assert bad.status_code == 400
    response = logged_in.post("/preferences/columns", data={
        "table": "company", "next": "https://evil.test/", "csrf_token": csrf})
    assert response.headers["Location"] == "/contacts"


def test_utm_values_are_escaped_everywhere(logged_in, submit, client, csrf):
    """A hostile UTM value (or selection name) is shown as text on every page that shows it."""
    ids = submit("x@example.com", first=(XSS, XSS, XSS), last=(XSS, "cpc", XSS), company=XSS)
    logged_in.post("/selections", data={"name": XSS, "kind": "dynamic", "csrf_token": csrf,
                                         "c": [f"first_touch.source:eq:{XSS}"]})
    pages = [
        "/contacts", f"/contacts/{ids['contact_id']}", f"/contacts/{ids['contact_id']}?tab=privacy",
        f"/contacts/{ids['contact_id']}?tab=submissions", "/companies",
        f"/companies/{ids['company_id']}", "/reports",
        "/search?c=first_touch.source:contains:img", "/selections", "/selections/1",
        "/selections/1/board",
    ]
    for path in pages:
        html = logged_in.get(path).get_data(as_text=True)
        assert "<img src=x" not in html, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, path


def test_missing_contact_and_company_are_404(logged_in):
    """Unknown ids get the app's 404 page."""
    assert logged_in.get("/contacts/999").status_code == 404
    assert logged_in.get("/companies/999").status_code == 404


def test_pages_past_the_end_or_malformed_show_real_rows(logged_in, submit):
    """A stale ?page=99 shows the last page; a malformed page number shows the first."""
    for number in range(51):
        db.session.add(Contact(email=f"lead{number:02}@example.com"))
    db.session.commit()
    stale = logged_in.get("/contacts?page=99").get_data(as_text=True)
    assert "Page 2 of 2" in stale and stale.count("@example.com</td>") == 1
    for page in ("abc", "-1", "0"):
        html = logged_in.get(f"/contacts?page={page}").get_data(as_text=True)
        assert "Page 1 of 2" in html and html.count("@example.com</td>") == 50, page


def header_cells(html: str) -> int:
    """How many header cells the page's first table has."""
    head = html[html.index("<thead>"):html.index("</thead>")]
    return len(re.findall(r"<th[ >]", head))


def test_empty_states_say_what_to_do(logged_in, site):
    """An empty app points to Settings; empty tables span all their columns."""
    contacts = logged_in.get("/contacts").get_data(as_text=True)
    assert "No contacts yet" in contacts and 'href="/settings"' in contacts
    for path, message in (("/companies", "No companies yet"), ("/selections", "No selections yet"),
                          ("/reports", "No submissions yet")):
        html = logged_in.get(path).get_data(as_text=True)
        assert message in html, path
        assert f'colspan="{header_cells(html)}"' in html, path
    search = logged_in.get("/search?c=first_touch.source:eq:nobody").get_data(as_text=True)
    assert "No contacts match all of these criteria." in search
    assert f'colspan="{header_cells(search)}"' in search


def test_saving_columns_says_so(logged_in, csrf):
    """The gear menu's Apply flashes a confirmation on the page it returns to."""
    response = logged_in.post("/preferences/columns", follow_redirects=True, data={
        "table": "company", "columns": ["first_touch.source"], "csrf_token": csrf})
    assert "Columns saved." in response.get_data(as_text=True)


def test_error_pages_have_a_title(logged_in):
    """The 404 page's title says what happened, not just the code."""
    assert "<title>Not found · Leadtrail</title>" in logged_in.get("/contacts/999").get_data(
        as_text=True)
