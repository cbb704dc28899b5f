"""The spec's reference journey, all five steps, in a real browser across two origins."""

import pytest

pytestmark = pytest.mark.e2e

LINKEDIN_AD = "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"
FACEBOOK_AD = "/signup?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget"
NEWSLETTER = "/signup?utm_source=newsletter&utm_medium=email"


def test_reference_journey(page, customer_site, journey):
    """LinkedIn first touch, Facebook lead creation and conversion, newsletter months later."""
    # 1. The LinkedIn ad: the first touch is stored in the browser; the visitor leaves.
    journey.visit(page, customer_site.url(LINKEDIN_AD))
    page.goto("about:blank")

    # 2-3. The Facebook ad brings them back to the signup page, where they submit the form.
    journey.visit(page, customer_site.url(FACEBOOK_AD))
    journey.submit(page, "ada@example.com", company="Acme")

    # 4. A new contact with first touch linkedin, lead creation facebook; company source facebook.
    contact = journey.contact("ada@example.com")
    assert (contact["first_touch"]["source"], contact["first_touch"]["campaign"]) == (
        "linkedin", "webinar_sept")
    assert (contact["lead_creation"]["source"], contact["lead_creation"]["campaign"]) == (
        "facebook", "retarget")
    company = journey.api(f"/api/companies/{contact['company']['id']}")
    assert company["name"] == "Acme"
    assert company["source"]["source"] == "facebook"
    [submission] = journey.submissions(contact)
    assert submission["conversion"]["source"] == "facebook"

    # 5. The newsletter, months later: a second conversion; nothing else changes.
    journey.visit(page, customer_site.url(NEWSLETTER))
    journey.submit(page, "ada@example.com", company="Acme")
    assert [submission["conversion"]["source"] for submission in journey.submissions(contact)] == [
        "newsletter", "facebook"]
    again = journey.api(f"/api/contacts/{contact['id']}")
    assert again["first_touch"] == contact["first_touch"]
    assert again["lead_creation"] == contact["lead_creation"]
    assert journey.api(f"/api/companies/{company['id']}")["source"] == company["source"]
