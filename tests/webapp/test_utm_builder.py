"""The UTM builder page: preview with GET, save with POST, near-duplicate warnings."""

import html

import sqlalchemy as sa

from server.extensions import db
from server.models import UtmLink

LINK = {"url": "https://shop.test/landing?ref=1&utm_source=old", "source": " LinkedIn ",
        "medium": "Paid_Social", "campaign": "Webinar Sept", "term": "", "content": ""}
BUILT = ("https://shop.test/landing?ref=1&utm_source=linkedin&utm_medium=paid_social"
         "&utm_campaign=webinar_sept")


def page_text(response) -> str:
    """The response body with HTML entities decoded."""
    return html.unescape(response.get_data(as_text=True))


def saved_links() -> list[UtmLink]:
    """Every saved link, oldest first."""
    return db.session.scalars(sa.select(UtmLink).order_by(UtmLink.id)).all()


def test_preview_normalises_and_shows_the_channel(logged_in):
    """A GET with values previews the clean link and its channel; nothing is stored."""
    response = logged_in.get("/utm-builder", query_string=LINK)
    assert response.status_code == 200
    page = page_text(response)
    assert BUILT in page
    assert "Paid Social" in page
    assert 'name="csrf_token"' in page  # the save form
    assert saved_links() == []


def test_empty_page_has_no_errors(logged_in):
    """Opening the builder shows the form, not errors."""
    page = page_text(logged_in.get("/utm-builder"))
    assert "No links saved yet." in page and "is needed" not in page


def test_preview_refuses_bad_values_field_by_field(logged_in):
    """Each field says what is wrong; no link is shown."""
    page = page_text(logged_in.get("/utm-builder", query_string={
        "url": "javascript:alert(1)", "source": "linked_in", "medium": "ppc", "campaign": ""}))
    assert "starts with http:// or https://" in page
    page = page_text(logged_in.get("/utm-builder", query_string={
        "url": "https://shop.test/", "source": "linked_in", "medium": "ppc", "campaign": ""}))
    assert 'Pick a source from the list. Did you mean "linkedin"?' in page
    assert "Pick a medium from the list." in page
    assert "A campaign is needed." in page
    assert 'data-testid="utm-link"' not in page


def test_save_stores_the_link_with_its_creator(logged_in, csrf, user):
    """POST with CSRF saves the normalised link, then the list shows it."""
    response = logged_in.post("/utm-builder", data={**LINK, "csrf_token": csrf})
    assert response.status_code == 302
    [link] = saved_links()
    assert (link.url, link.source, link.medium, link.campaign, link.term, link.content,
            link.created_by_id) == (BUILT, "linkedin", "paid_social", "webinar_sept", None, None,
                                    user.id)
    page = page_text(logged_in.get("/utm-builder"))
    assert "Link saved." in page
    assert f'value="{BUILT}"' in page and user.email in page


def test_save_needs_csrf_and_valid_values(logged_in, csrf):
    """No token, or a value against the rules: nothing is stored."""
    assert logged_in.post("/utm-builder", data=LINK).status_code == 400
    bad = logged_in.post("/utm-builder", data={**LINK, "medium": "ppc", "csrf_token": csrf})
    assert bad.status_code == 400
    assert "Pick a medium from the list." in page_text(bad)
    too_long = logged_in.post("/utm-builder", data={
        **LINK, "url": "https://shop.test/?" + "a" * 1980, "csrf_token": csrf})
    assert "longer than 2,000 characters" in page_text(too_long)
    assert saved_links() == []


def test_near_duplicates_of_saved_links_and_touches_are_flagged(logged_in, csrf, submit):
    """A campaign like a saved one, or like one recorded on touches, names the earlier value."""
    logged_in.post("/utm-builder", data={**LINK, "csrf_token": csrf})
    page = page_text(logged_in.get("/utm-builder", query_string={
        **LINK, "campaign": "Webinar-Sept"}))
    assert "looks like one used before" in page and "use <code>webinar_sept</code>" in page
    assert "/utm-builder?" in page and "campaign=webinar_sept" in page  # the suggestion link

    submit("ada@example.com", last=("google", "cpc", "spring_promo"))
    page = page_text(logged_in.get("/utm-builder", query_string={
        **LINK, "campaign": "spring-promo"}))
    assert "use <code>spring_promo</code>" in page

    same = page_text(logged_in.get("/utm-builder", query_string=LINK))
    assert "looks like one used before" not in same


def test_earlier_values_prefer_the_most_recently_used(app, monkeypatch):
    """Past the cap, the values compared against are the newest ones, links and touches alike."""
    from datetime import UTC, datetime, timedelta

    from server.models import Touch
    from server.webapp import utm_builder

    now = datetime.now(UTC)
    db.session.add_all([
        Touch(source="x", campaign="old_touch", at=now - timedelta(days=300)),
        Touch(source="x", campaign="new_touch", at=now - timedelta(days=1)),
        UtmLink(url="https://a.test/", source="x", medium="y", campaign="middle_link",
                created_at=now - timedelta(days=30)),
    ])
    db.session.commit()
    monkeypatch.setattr(utm_builder, "EARLIER_VALUES_LIMIT", 2)
    assert utm_builder.earlier_values()["campaign"] == ["new_touch", "middle_link"]
