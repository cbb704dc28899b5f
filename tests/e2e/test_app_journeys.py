"""The marketer app in a real Chromium: log-in, cards, column picker, search, selections, board.

Contacts come from real journeys through the customer site (or real posts to /f/KEY). With
LEADTRAIL_SCREENSHOTS=1 (`make screenshots`) each test also saves a screenshot of what it checked
to tests/screenshots/, the pictures the README points to.
"""

import os
import re
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.api.helpers import attribution_fields, browser_touch

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
XSS = "<img src=x onerror=alert(1)>"
LINKEDIN_AD = "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"
FACEBOOK_SIGNUP = "/signup?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget"


def screenshot(page, name: str) -> None:
    """Save the whole page as tests/screenshots/NAME.png when asked to."""
    # Every run would otherwise rewrite the committed pictures (they show times and ports).
    if os.environ.get("LEADTRAIL_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, leadtrail: str) -> None:
    """Log in as the test marketer through the log-in form."""
    page.goto(f"{leadtrail}/contacts")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-mail").fill("marketer@leadtrail.test")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{leadtrail}/contacts")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def open_from_nav(page, name: str) -> None:
    """Follow a link of the navigation bar."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def reference_journey(page, customer_site, journey, email="ada@example.com", company="Acme"):
    """LinkedIn ad first, then the Facebook ad that leads to the signup."""
    journey.visit(page, customer_site.url(LINKEDIN_AD))
    page.goto("about:blank")
    journey.visit(page, customer_site.url(FACEBOOK_SIGNUP))
    journey.submit(page, email, company=company)


def post_lead(client, customer_site, email, first=("linkedin", "paid_social", "webinar_sept"),
              last=("facebook", "paid_social", "retarget")):
    """A submission posted straight to /f/KEY, as a fetch-based form on the site would."""
    def url(source, medium, campaign, path="/signup"):
        """A customer-site URL with utm values."""
        return customer_site.url(
            f"{path}?utm_source={source}&utm_medium={medium}&utm_campaign={campaign}")

    body = {"email": email, "name": "Grace Hopper", **attribution_fields(
        url(*last), first_touch=browser_touch(url=url(*first, path="/"), days_ago=3),
        submission_id=uuid.uuid4().hex)}
    response = client.post(f"/f/{customer_site.form_key}", json=body,
                           headers={"Origin": customer_site.url("").rstrip("/")})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_contact_card_shows_first_touch_and_lead_creation(page, customer_site, journey,
                                                          leadtrail):
    """Log in, open the journey's contact, and read both touches behind "Show more"."""
    reference_journey(page, customer_site, journey)
    log_in(page, leadtrail)
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    page.get_by_role("navigation", name="Contact").get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="E-marketing")).to_be_visible()
    first = page.get_by_test_id("first-touch")
    expect(first).to_be_hidden()
    page.get_by_text("Show more").click()
    expect(first.locator("[data-field=source]")).to_have_text("linkedin")
    expect(first.locator("[data-field=medium]")).to_have_text("paid_social")
    expect(first.locator("[data-field=campaign]")).to_have_text("webinar_sept")
    expect(first.locator("[data-field=channel]")).to_have_text("Paid Social")
    lead = page.get_by_test_id("lead-creation")
    expect(lead.locator("[data-field=source]")).to_have_text("facebook")
    expect(lead.locator("[data-field=campaign]")).to_have_text("retarget")
    expect(lead.locator("[data-field=landing_page]")).to_contain_text(FACEBOOK_SIGNUP)
    screenshot(page, "contact-card")


def test_company_card_columns_are_remembered(page, customer_site, journey, leadtrail):
    """Pick lead columns with the gear menu; they are still there after a reload."""
    reference_journey(page, customer_site, journey)
    log_in(page, leadtrail)
    open_from_nav(page, "Companies")
    page.get_by_role("link", name="Acme").click()
    expect(page.get_by_test_id("company-source")).to_contain_text("facebook")
    table = page.get_by_test_id("contacts-table")
    expect(table.locator("th[data-column='lead_creation.campaign']")).to_have_count(0)

    page.get_by_label("Choose columns").click()
    page.get_by_label("Lead creation campaign").check()
    page.get_by_label("First touch channel").check()
    page.get_by_label("First touch medium").uncheck()
    # Wait for the save and its redirect: a reload sent too early would cancel the POST.
    with page.expect_response(lambda response: response.url.endswith("/preferences/columns")):
        page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()

    page.reload()
    headers = table.locator("thead th")
    expect(headers).to_contain_text(["First touch source", "First touch channel",
                                     "Lead creation source", "Lead creation campaign"])
    expect(table.locator("th[data-column='first_touch.medium']")).to_have_count(0)
    expect(table.locator("td[data-column='lead_creation.campaign']")).to_have_text("retarget")
    page.get_by_label("Choose columns").click()
    screenshot(page, "company-card")


def fill_criterion(row, field: str, op: str, value: str) -> None:
    """Fill one criteria row of the search form."""
    row.get_by_label("Field").select_option(field)
    row.get_by_label("Operator").select_option(op)
    row.get_by_label("Value").fill(value)


def save_selection(page, name: str, kind: str) -> str:
    """Save the search on the page as a selection; returns the selection page's URL."""
    page.get_by_text("Save as selection").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("radio", name=re.compile(f"{kind.title()}:")).check()
    page.get_by_role("button", name="Save selection").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    return page.url


def test_search_saved_as_dynamic_selection_picks_up_new_leads(page, customer_site, journey,
                                                              leadtrail, client):
    """Two lead criteria built in the UI; a later matching lead joins the dynamic selection."""
    reference_journey(page, customer_site, journey)
    post_lead(client, customer_site, "bob@example.com", first=("google", "cpc", "brand"))
    log_in(page, leadtrail)
    open_from_nav(page, "Search")
    rows = page.locator("[data-criterion]")
    fill_criterion(rows.nth(0), "first_touch.source", "eq", "linkedin")
    page.get_by_role("button", name="+ Add criterion").click()
    fill_criterion(rows.nth(1), "lead_creation.source", "in", "facebook, twitter")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"c=first_touch\.source:eq:linkedin"))
    results = page.get_by_test_id("contacts-table")
    expect(results).to_contain_text("ada@example.com")
    expect(results).not_to_contain_text("bob@example.com")
    screenshot(page, "search")
    search_url = page.url

    static_url = save_selection(page, "LinkedIn then Facebook (frozen)", "static")
    page.goto(search_url)
    dynamic_url = save_selection(page, "LinkedIn then Facebook", "dynamic")

    post_lead(client, customer_site, "grace@example.com")
    page.goto(dynamic_url)
    members = page.get_by_test_id("contacts-table")
    expect(members).to_contain_text("grace@example.com")
    expect(members).to_contain_text("ada@example.com")
    page.goto(static_url)
    expect(members).to_contain_text("ada@example.com")
    expect(members).not_to_contain_text("grace@example.com")


def test_board_drag_and_drop_changes_the_status(page, customer_site, journey, leadtrail, client):
    """Drag a card to another column; the new status is saved and survives a reload."""
    reference_journey(page, customer_site, journey)
    for number in range(5):
        post_lead(client, customer_site, f"lead{number}@example.com")
    log_in(page, leadtrail)
    page.goto(f"{leadtrail}/search?c=lead_creation.source:eq:facebook")
    board_url = save_selection(page, "Facebook leads", "dynamic") + "/board"
    page.goto(board_url)

    card = page.locator(".board-card", has_text="Ada Lovelace")
    qualified = page.get_by_test_id("column-qualified")
    expect(page.get_by_test_id("column-new").locator(".board-card")).to_have_count(6)
    card.drag_to(qualified.locator("[data-dropzone]"))
    expect(card).to_have_attribute("data-saved", "qualified")
    expect(qualified.locator("[data-count]")).to_have_text("1")

    page.reload()
    expect(qualified.locator(".board-card", has_text="Ada Lovelace")).to_be_visible()
    expect(page.get_by_test_id("column-new").locator(".board-card")).to_have_count(5)
    screenshot(page, "board")


def test_hostile_utm_values_show_as_text_and_run_nothing(page, customer_site, journey,
                                                         leadtrail, context):
    """``<img src=x onerror=alert(1)>`` in a UTM value is text on every page; no dialog opens."""
    dialogs = []
    context.on("page", lambda other: other.on("dialog", dialogs.append))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = quote(XSS)
    journey.visit(page, customer_site.url(
        f"/signup?utm_source={hostile}&utm_medium=cpc&utm_campaign={hostile}"))
    journey.submit(page, "mallory@example.com", company=XSS, name=XSS)
    log_in(page, leadtrail)

    page.get_by_role("link", name=XSS).first.click()  # the contact, named with the value
    contact_url = page.url
    pages = [f"{leadtrail}/contacts", contact_url, f"{contact_url}?tab=submissions",
             f"{leadtrail}/companies", f"{leadtrail}/reports",
             f"{leadtrail}/search?c=lead_creation.source:contains:img"]
    for url in pages:
        page.goto(url)
        expect(page.get_by_text(XSS, exact=True).first).to_be_visible()
        expect(page.locator("img")).to_have_count(0)
    page.goto(f"{contact_url}?tab=privacy")
    page.get_by_text("Show more").click()
    expect(page.get_by_test_id("lead-creation").locator("[data-field=source]")).to_have_text(XSS)
    expect(page.locator("img")).to_have_count(0)
    assert dialogs == []
