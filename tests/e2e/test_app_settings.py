"""Settings and the UTM builder in the browser: set up a site and form, build a campaign link.

With LEADTRAIL_SCREENSHOTS=1 the test saves tests/screenshots/settings.png and utm-builder.png.
"""

import re

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import UtmLink
from tests.e2e.test_app_journeys import log_in, open_from_nav, screenshot

pytestmark = pytest.mark.e2e


def test_admin_sets_up_a_site_and_builds_a_campaign_link(page, context, leadtrail, user):
    """Create a site and a form, copy the snippet, build a link past a near-duplicate, save it."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=leadtrail)
    user.role = "admin"  # the journeys' log-in helper logs in this user
    db.session.add_all([
        UtmLink(url="https://shop.test/?utm_campaign=webinar_sept", source="linkedin",
                medium="paid_social", campaign="webinar_sept", created_by_id=user.id),
        UtmLink(url="https://shop.test/?utm_campaign=spring_sale", source="google",
                medium="cpc", campaign="spring_sale", created_by_id=user.id),
    ])
    db.session.commit()
    log_in(page, leadtrail)

    open_from_nav(page, "Settings")
    new_site = page.get_by_test_id("new-site")
    new_site.get_by_label("Site name").fill("Shop")
    new_site.get_by_label("Domain").fill("https://www.Shop.test/")
    new_site.get_by_role("button", name="Create site").click()
    expect(page.get_by_role("status")).to_have_text("Site “Shop” created.")
    card = page.get_by_test_id("site-card")
    expect(card.locator("[data-domain]")).to_have_attribute("data-domain", "shop.test")

    card.get_by_text("New form").click()
    new_form = card.get_by_test_id("new-form")
    new_form.get_by_label("Form name").fill("Demo request")
    new_form.get_by_label("Thank-you page").fill("https://shop.test/thanks")
    new_form.get_by_role("button", name="Create form").click()
    expect(page.get_by_role("status")).to_have_text("Form “Demo request” created.")

    site_key = card.get_attribute("data-site-key")
    form_key = card.locator("[data-form-key]").get_attribute("data-form-key")
    script_tag = card.get_by_test_id("snippet-script").inner_text()
    form_example = card.get_by_test_id("snippet-form").inner_text()
    assert script_tag == f'<script async src="{leadtrail}/t.js" data-site="{site_key}"></script>'
    copy_button = card.get_by_role("button", name="Copy to the clipboard").first
    copy_button.click()
    expect(copy_button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == script_tag
    card.get_by_text("With Subresource Integrity").click()
    pinned_tag = card.get_by_test_id("snippet-script-sri").inner_text()
    assert f'src="{leadtrail}/t.js" data-site="{site_key}" integrity="sha384-' in pinned_tag
    assert f'<form method="post" action="{leadtrail}/f/{form_key}">' in form_example
    page.evaluate("window.scrollTo(0, 0)")  # the redirect scrolled to the site's card
    screenshot(page, "settings")

    open_from_nav(page, "UTM builder")
    page.get_by_label("Page URL").fill("https://shop.test/webinar")
    page.get_by_label("Source").fill("LinkedIn")
    page.get_by_label("Medium").fill("paid_social")
    page.get_by_label("Campaign").fill("Webinar-Sept")
    page.get_by_role("button", name="Preview link").click()
    warning = page.get_by_test_id("utm-warning")
    expect(warning).to_contain_text("looks like one used before")
    expect(page.get_by_test_id("utm-channel")).to_have_text("Paid Social")
    expect(page.get_by_test_id("utm-link")).to_have_value(
        "https://shop.test/webinar?utm_source=linkedin&utm_medium=paid_social"
        "&utm_campaign=webinar-sept")
    screenshot(page, "utm-builder")

    warning.get_by_role("link", name="use webinar_sept").click()
    expect(page.get_by_test_id("utm-warning")).to_have_count(0)
    expect(page.get_by_test_id("utm-link")).to_have_value(re.compile(r"utm_campaign=webinar_sept$"))
    page.get_by_role("button", name="Save link").click()
    expect(page.get_by_role("status")).to_have_text("Link saved.")
    rows = page.get_by_test_id("utm-links").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_role("textbox")).to_have_value(
        "https://shop.test/webinar?utm_source=linkedin&utm_medium=paid_social"
        "&utm_campaign=webinar_sept")


def test_revoking_a_token_asks_first(page, leadtrail, user, api_headers):
    """Cancelling the confirmation keeps the token; accepting it revokes the token."""
    user.role = "admin"
    db.session.commit()
    log_in(page, leadtrail)
    page.goto(f"{leadtrail}/settings/users")
    tokens = page.get_by_test_id("tokens").locator("tbody tr")
    expect(tokens).to_have_count(1)
    asked = []

    def answer(dialog, accept: bool) -> None:
        """Note the question, then say yes or no."""
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Revoke").click()
    expect(tokens).to_have_count(1)
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_have_text("Token “tests” revoked.")
    expect(tokens).to_have_text(["No API tokens."])
    assert asked == ["Revoke the token “tests”? Requests with it fail from now on."] * 2
