"""The board without a mouse: a card's "Move to" select and Move button change its status."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_app_journeys import log_in, post_lead, reference_journey, save_selection

pytestmark = pytest.mark.e2e


def test_board_card_moves_with_the_keyboard(page, customer_site, journey, leadtrail, client):
    """Tab to a card's select, choose a column with the arrow keys, press Move; it persists."""
    reference_journey(page, customer_site, journey)
    post_lead(client, customer_site, "grace@example.com")
    log_in(page, leadtrail)
    page.goto(f"{leadtrail}/search?c=lead_creation.source:eq:facebook")
    board_url = save_selection(page, "Facebook leads", "dynamic") + "/board"
    page.goto(board_url)

    new = page.get_by_test_id("column-new")
    contacted = page.get_by_test_id("column-contacted")
    card = page.locator(".board-card", has_text="Ada Lovelace")
    expect(new.locator(".board-card")).to_have_count(2)
    select = page.get_by_label("Move Ada Lovelace to")
    expect(select).to_have_value("new")

    card.get_by_role("link", name="Ada Lovelace").focus()
    page.keyboard.press("Tab")
    expect(select).to_be_focused()
    page.keyboard.press("ArrowDown")  # the next status after "new"
    expect(select).to_have_value("contacted")
    expect(new.locator(".board-card")).to_have_count(2)  # nothing moves before Move
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Move")).to_be_focused()
    page.keyboard.press("Enter")

    expect(card).to_have_attribute("data-saved", "contacted")
    expect(contacted.locator(".board-card", has_text="Ada Lovelace")).to_be_visible()
    expect(contacted.locator("[data-count]")).to_have_text("1")
    expect(new.locator("[data-count]")).to_have_text("1")
    expect(page).to_have_url(board_url)  # saved in the background, no page load

    page.reload()
    expect(contacted.locator(".board-card", has_text="Ada Lovelace")).to_be_visible()
    expect(new.locator(".board-card")).to_have_count(1)
    expect(page.get_by_label("Move Ada Lovelace to")).to_have_value("contacted")


def test_board_move_works_without_javascript(browser, customer_site, journey, leadtrail, client):
    """With scripts off, the Move button posts the form and comes back to the board."""
    journey_page = browser.new_page()
    reference_journey(journey_page, customer_site, journey)
    journey_page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, leadtrail)
        page.goto(f"{leadtrail}/search?c=lead_creation.source:eq:facebook")
        board_url = save_selection(page, "Facebook leads", "dynamic") + "/board"
        page.goto(board_url)
        page.get_by_label("Move Ada Lovelace to").select_option("qualified")
        page.locator(".board-card", has_text="Ada Lovelace").get_by_role(
            "button", name="Move").click()
        expect(page).to_have_url(board_url)
        expect(page.get_by_role("status")).to_have_text("Lead status set to qualified.")
        qualified = page.get_by_test_id("column-qualified")
        expect(qualified.locator(".board-card", has_text="Ada Lovelace")).to_be_visible()
    finally:
        context.close()
