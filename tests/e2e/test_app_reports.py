"""The reports page in a real Chromium: switching the attribution model changes chart and table."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from server.extensions import db
from server.models import Contact, Deal
from tests.e2e.test_app_journeys import (
    log_in,
    open_from_nav,
    post_lead,
    reference_journey,
    screenshot,
)

pytestmark = pytest.mark.e2e

GOOGLE = ("google", "cpc", "brand")
NEWSLETTER = ("newsletter", "email", "may")


def won_deal(email: str, value: str, stage: str = "won") -> None:
    """Store a deal for the contact with this e-mail."""
    contact = db.session.scalars(sa.select(Contact).filter_by(email=email)).one()
    db.session.add(Deal.for_contact(contact, title="Annual plan", value=Decimal(value),
                                    currency="EUR", stage=stage))
    db.session.commit()


def test_reports_switch_attribution(page, customer_site, journey, leadtrail, client):
    """By conversion Facebook leads; by first touch the LinkedIn ad gets the credit."""
    reference_journey(page, customer_site, journey)
    post_lead(client, customer_site, "grace@example.com")
    post_lead(client, customer_site, "bob@example.com", first=GOOGLE, last=GOOGLE)
    post_lead(client, customer_site, "cyd@example.com", first=GOOGLE, last=NEWSLETTER)
    post_lead(client, customer_site, "dee@example.com", first=NEWSLETTER, last=NEWSLETTER)
    won_deal("ada@example.com", "12000")
    won_deal("bob@example.com", "4500")
    won_deal("grace@example.com", "800", stage="open")

    log_in(page, leadtrail)
    open_from_nav(page, "Reports")
    table = page.get_by_test_id("report")
    chart = page.get_by_test_id("report-chart")
    expect(table.locator("tbody tr").first).to_have_attribute("data-value", "facebook")
    expect(table.locator("tr[data-value=linkedin]")).to_have_count(0)
    expect(chart.locator("g.chart-row")).to_have_count(3)

    page.get_by_label("Attribution").select_option(label="First touch")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"attribution=first_touch"))
    linkedin = table.locator("tr[data-value=linkedin]")
    expect(linkedin.locator("[data-metric=submissions]")).to_have_text("2")
    expect(linkedin.locator("[data-metric=new_leads]")).to_have_text("2")
    expect(linkedin.locator("[data-metric=conversion_rate]")).to_have_text("100.0 %")
    expect(linkedin.locator("[data-metric=deal_value]")).to_have_text("12,000.00 EUR")
    expect(table.locator("tr[data-value=facebook]")).to_have_count(0)
    expect(chart.locator("g.chart-row[data-value=linkedin]")).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", re.compile(r"attribution=first_touch"))
    screenshot(page, "reports")
