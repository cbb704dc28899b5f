"""With data-cookie-domain, www. and app. of one site share a single first touch."""

import pytest

pytestmark = pytest.mark.e2e

AD = "utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"


def test_first_touch_on_www_reaches_the_form_on_app(page, customer_site, journey):
    """The ad lands on www., the visitor signs up on app.: the first touch is www.'s ad."""
    journey.visit(page, customer_site.url(f"/shared-home?{AD}", host="www.shop.test"))
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["lt_first_touch"]["domain"] == ".shop.test"
    assert journey.stored(page) == {}  # in the cookie, not in www.'s localStorage

    journey.visit(page, customer_site.url(
        "/shared-signup?utm_source=newsletter&utm_medium=email", host="app.shop.test"))
    journey.submit(page, "shared@example.com")

    contact = journey.contact("shared@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["first_touch"]["campaign"] == "webinar_sept"
    assert contact["first_touch"]["landing_page"].startswith("http://www.shop.test:")
    assert contact["lead_creation"]["source"] == "newsletter"
    [submission] = journey.submissions(contact)
    assert [touch["source"] for touch in submission["touch_history"]] == [
        "linkedin", "newsletter"]


def test_moving_between_subdomains_is_no_touch(page, customer_site, journey):
    """www. linking to app. is a self-referral: the latest touch stays www.'s ad."""
    journey.visit(page, customer_site.url(f"/shared-home?{AD}", host="www.shop.test"))
    journey.visit(page, customer_site.url("/shared-signup", host="app.shop.test"),
                  referer=customer_site.url("/shared-home", host="www.shop.test"))
    journey.submit(page, "hopper@example.com")

    contact = journey.contact("hopper@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "linkedin"


def test_without_cookie_domain_each_subdomain_keeps_its_own(page, customer_site, journey):
    """The control: without the attribute, app. knows nothing of www.'s first touch."""
    journey.visit(page, customer_site.url(f"/?{AD}", host="www.shop.test"))
    journey.visit(page, customer_site.url("/signup", host="app.shop.test"))
    journey.submit(page, "separate@example.com")

    assert journey.contact("separate@example.com")["first_touch"]["source"] == "(direct)"
