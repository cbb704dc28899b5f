"""The script tag as customers paste it, including mistakes: the page never sees an error."""

import pytest

pytestmark = pytest.mark.e2e


def test_script_without_data_site_never_throws(page, customer_site, journey):
    """A tag missing data-site still tracks and fills the form; the page logs no error."""
    journey.visit(page, customer_site.url("/no-site-key?utm_source=bing&utm_medium=cpc"))
    assert page.evaluate("typeof leadtrail.attribution().lt_submission_id") == "string"
    journey.submit(page, "nokey@example.com")

    touch = journey.contact("nokey@example.com")["lead_creation"]
    assert (touch["source"], touch["medium"], touch["channel"]) == ("bing", "cpc", "Paid Search")


def test_script_is_served_cross_origin_to_the_customer_site(page, customer_site, journey):
    """The customer page loads /t.js from the Leadtrail origin and exposes window.leadtrail."""
    with page.expect_response("**/t.js") as served:
        journey.visit(page, customer_site.url("/"))
    assert served.value.status == 200
    assert served.value.url.startswith(customer_site.leadtrail_url)
    keys = page.evaluate("Object.keys(leadtrail.attribution()).sort()")
    assert keys == sorted(journey.FORM_FIELDS)
