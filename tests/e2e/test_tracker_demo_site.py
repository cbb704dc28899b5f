"""The demo landing site (examples/demo_site.py) works end to end with the real script."""

import pytest

pytestmark = pytest.mark.e2e


def test_demo_site_campaign_link_then_signup(page, demo_site, journey):
    """A campaign link, a look at the pricing, a signup: Leadtrail stores the campaign."""
    journey.visit(page, demo_site + "/")
    with page.expect_navigation(url="**utm_campaign=webinar_sept"):
        page.click("text=A LinkedIn ad")
    journey.wait_for_tracker(page)
    with page.expect_navigation(url="**/pricing"):
        page.click("nav >> text=Pricing")
    with page.expect_navigation(url="**/signup"):
        page.click("text=Try it free >> nth=0")
    page.wait_for_function(
        "document.querySelector('[data-touch=lt_latest_touch]').textContent"
        " === 'linkedin / paid_social / webinar_sept'")
    journey.submit(page, "demo-visitor@example.com", company="Demo Visitors Inc")
    assert page.locator("h1").inner_text() == "Thank you!"

    contact = journey.contact("demo-visitor@example.com")
    assert contact["first_touch"]["source"] == "(direct)"
    assert contact["lead_creation"]["campaign"] == "webinar_sept"
    assert contact["company"]["name"] == "Demo Visitors Inc"
