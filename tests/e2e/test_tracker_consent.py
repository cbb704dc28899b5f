"""data-consent="required": nothing is stored in the browser until leadtrail.consent(true)."""

import pytest

pytestmark = pytest.mark.e2e

LANDING = "/consent-signup?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"


def browser_storage(page) -> dict:
    """Everything this origin keeps: localStorage keys and cookie names."""
    return page.evaluate(
        "() => ({keys: Object.keys(localStorage), cookie: document.cookie})")


def test_nothing_stored_before_consent(page, customer_site, journey):
    """Before consent the script keeps the touch in memory only; consent writes it down."""
    journey.visit(page, customer_site.url(LANDING))
    assert browser_storage(page) == {"keys": [], "cookie": ""}
    # The form on this page still gets this page view's attribution.
    assert '"linkedin"' in page.evaluate("leadtrail.attribution()")["lt_first_touch"]

    page.evaluate("leadtrail.consent(true)")
    assert journey.stored(page)["lt_first_touch"]["source"] == "linkedin"


def test_attribution_after_consent_reaches_a_later_form(page, customer_site, journey):
    """Consent given on the landing page: the first touch survives to a later visit's form."""
    journey.visit(page, customer_site.url(LANDING))
    page.evaluate("leadtrail.consent(true)")
    page.goto("about:blank")

    journey.visit(page, customer_site.url(
        "/consent-signup?utm_source=newsletter&utm_medium=email"))
    page.evaluate("leadtrail.consent(true)")  # the site's consent banner remembers the choice
    journey.submit(page, "consented@example.com")

    contact = journey.contact("consented@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "newsletter"


def test_without_consent_the_next_visit_starts_afresh(page, customer_site, journey):
    """No consent: nothing carried over, so the submitting visit is the first touch."""
    journey.visit(page, customer_site.url(LANDING))
    page.goto("about:blank")
    journey.visit(page, customer_site.url(
        "/consent-signup?utm_source=newsletter&utm_medium=email"))
    assert browser_storage(page)["keys"] == []
    journey.submit(page, "declined@example.com")

    contact = journey.contact("declined@example.com")
    assert contact["first_touch"]["source"] == "newsletter"


def test_withdrawn_consent_clears_what_was_stored(page, customer_site, journey):
    """leadtrail.consent(false) removes the stored touches."""
    journey.visit(page, customer_site.url(LANDING))
    page.evaluate("leadtrail.consent(true)")
    assert journey.stored(page)
    page.evaluate("leadtrail.consent(false)")
    assert browser_storage(page) == {"keys": [], "cookie": ""}


def test_consent_queued_before_the_script_loads(page, customer_site, journey):
    """A consent call queued in window.leadtrail.q before the async script ran is honoured."""
    page.add_init_script("window.leadtrail = {q: [['consent', [true]]]};")
    journey.visit(page, customer_site.url(LANDING))
    assert journey.stored(page)["lt_first_touch"]["source"] == "linkedin"
