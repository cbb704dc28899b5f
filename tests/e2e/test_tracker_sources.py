"""Where a visit came from: direct, organic search, click ids, and the site's own pages."""

import json

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Site

pytestmark = pytest.mark.e2e


def test_first_direct_visit_is_a_direct_first_touch(page, customer_site, journey):
    """Typing the address: first touch and lead creation are (direct) / (none), channel Direct."""
    journey.visit(page, customer_site.url("/signup"))
    assert journey.stored(page)["lt_first_touch"]["source"] == "(direct)"
    journey.submit(page, "direct@example.com")

    contact = journey.contact("direct@example.com")
    for touch in (contact["first_touch"], contact["lead_creation"]):
        assert (touch["source"], touch["medium"], touch["channel"]) == (
            "(direct)", "(none)", "Direct")
    [submission] = journey.submissions(contact)
    assert submission["conversion"]["channel"] == "Direct"


def test_direct_first_touch_is_never_overwritten_by_a_later_campaign(
        page, customer_site, journey):
    """A direct first visit stays the first touch; the ad that follows is the lead creation."""
    journey.visit(page, customer_site.url("/"))
    journey.visit(page, customer_site.url(
        "/signup?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    journey.submit(page, "later-ad@example.com")

    contact = journey.contact("later-ad@example.com")
    assert contact["first_touch"]["source"] == "(direct)"
    assert contact["lead_creation"]["source"] == "linkedin"
    assert contact["lead_creation"]["channel"] == "Paid Social"


def test_organic_search_arrival(page, customer_site, journey):
    """A click from Google's results (only a referer, no utm) is google / organic."""
    journey.visit(page, customer_site.url("/signup"), referer="https://www.google.com/")
    journey.submit(page, "searcher@example.com")

    contact = journey.contact("searcher@example.com")
    for touch in (contact["first_touch"], contact["lead_creation"]):
        assert (touch["source"], touch["medium"], touch["channel"]) == (
            "google", "organic", "Organic Search")
        assert touch["referrer"].startswith("https://www.google.com")


def test_gclid_is_paid_search(page, customer_site, journey):
    """A Google Ads click id without utm values is google / cpc, channel Paid Search."""
    journey.visit(page, customer_site.url("/signup?gclid=EAIaIQobChMI-test"))
    journey.submit(page, "clicker@example.com")

    touch = journey.contact("clicker@example.com")["lead_creation"]
    assert (touch["source"], touch["medium"], touch["channel"]) == ("google", "cpc", "Paid Search")
    assert (touch["click_id_param"], touch["click_id"]) == ("gclid", "EAIaIQobChMI-test")


def test_self_referral_changes_nothing(page, customer_site, journey):
    """Clicking through the site's own pages adds no touch and leaves the stored state as it was."""
    journey.visit(page, customer_site.url(
        "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    landed = journey.stored(page)
    assert landed["lt_latest_touch"]["source"] == "linkedin"

    with page.expect_navigation(url="**/pricing"):
        page.click("#to-pricing")
    journey.wait_for_tracker(page)
    assert page.evaluate("document.referrer").startswith(customer_site.url("/?utm_source="))
    with page.expect_navigation(url="**/signup"):
        page.click("#to-signup")
    journey.wait_for_tracker(page)
    assert journey.stored(page) == landed

    journey.submit(page, "browser@example.com")
    contact = journey.contact("browser@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "linkedin"
    [submission] = journey.submissions(contact)
    assert [touch["source"] for touch in submission["touch_history"]] == ["linkedin"]


def test_return_from_a_payment_gateway_is_no_touch(page, customer_site, journey):
    """Coming back from Stripe's checkout is not a referral: the ad stays the latest touch."""
    journey.visit(page, customer_site.url(
        "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    landed = journey.stored(page)
    journey.visit(page, customer_site.url("/signup"),
                  referer="https://checkout.stripe.com/c/pay/cs_test_a1")
    assert journey.stored(page) == landed
    journey.submit(page, "payer@example.com")

    contact = journey.contact("payer@example.com")
    assert contact["lead_creation"]["source"] == "linkedin"
    assert contact["lead_creation"]["channel"] == "Paid Social"


def test_domain_excluded_in_the_site_settings_is_no_touch(page, customer_site, journey):
    """A login provider excluded only in the site's settings: the server ignores its visit."""
    site = db.session.scalar(sa.select(Site).filter_by(key=customer_site.site_key))
    site.excluded_domains = ["sso.partner-login.test"]
    db.session.commit()
    journey.visit(page, customer_site.url(
        "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    journey.visit(page, customer_site.url("/signup"),
                  referer="https://sso.partner-login.test/callback?code=x")
    journey.submit(page, "sso@example.com")

    contact = journey.contact("sso@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "linkedin"
    [submission] = journey.submissions(contact)
    assert "sso.partner-login.test" not in json.dumps(submission["conversion"])


def test_utm_parameter_names_are_case_insensitive(page, customer_site, journey):
    """UTM_Source from a hand-made link counts like utm_source."""
    journey.visit(page, customer_site.url("/signup?UTM_Source=Newsletter&UTM_MEDIUM=Email"))
    journey.submit(page, "shouty@example.com")

    touch = journey.contact("shouty@example.com")["lead_creation"]
    assert (touch["source"], touch["medium"], touch["channel"]) == ("newsletter", "email", "Email")
