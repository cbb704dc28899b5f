"""Single-page apps: pushState and popstate route changes with new UTM values are touches."""

import json

import pytest

pytestmark = pytest.mark.e2e


def latest_source(page) -> str:
    """The source of the latest touch the script would send now."""
    return json.loads(page.evaluate("leadtrail.attribution().lt_latest_touch"))["source"]


def test_push_state_with_new_utm_values_is_the_latest_touch(page, customer_site, journey):
    """An in-app link to a campaign route makes that campaign the latest touch and conversion."""
    journey.visit(page, customer_site.url(
        "/spa?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    page.click("#to-offer")
    page.wait_for_url("**/spa?utm_source=newsletter*")
    assert latest_source(page) == "newsletter"
    page.click("#to-signup")  # a route without utm values: no touch
    page.wait_for_url("**/spa#signup")
    assert journey.stored(page)["lt_latest_touch"]["campaign"] == "spring_offer"
    journey.submit(page, "spa@example.com")

    contact = journey.contact("spa@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "newsletter"
    assert contact["lead_creation"]["campaign"] == "spring_offer"
    [submission] = journey.submissions(contact)
    assert [touch["source"] for touch in submission["touch_history"]] == [
        "linkedin", "newsletter"]


def test_popstate_back_to_a_campaign_route_is_a_touch(page, customer_site, journey):
    """The back button to a route with other UTM values makes those the latest touch."""
    journey.visit(page, customer_site.url("/spa"))
    page.evaluate("history.pushState({}, '', '/spa?utm_source=partner&utm_medium=referral')")
    page.evaluate("history.pushState({}, '', '/spa?utm_source=bing&utm_medium=cpc')")
    assert latest_source(page) == "bing"
    page.go_back()
    page.wait_for_url("**/spa?utm_source=partner*")
    page.wait_for_function(
        "JSON.parse(leadtrail.attribution().lt_latest_touch).source === 'partner'")
    assert journey.stored(page)["lt_first_touch"]["source"] == "(direct)"


def test_route_change_without_new_utm_values_changes_nothing(page, customer_site, journey):
    """Routes without campaign parameters, or with the same ones, leave the stored state alone."""
    journey.visit(page, customer_site.url("/spa?utm_source=linkedin&utm_medium=paid_social"))
    before = journey.stored(page)
    # The app keeps the landing query in its URL: a new landing page, but not a new touch.
    page.evaluate("history.replaceState({}, '', location.search + '#pricing')")
    page.evaluate("history.pushState({}, '', '/spa/pricing')")
    page.evaluate("history.replaceState({}, '', '/spa#top')")
    assert journey.stored(page) == before
