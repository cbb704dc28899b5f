"""Reports, the UTM builder and settings, as pages."""

import html

from server.tracker import get_built_script


def test_report_counts_submissions_by_conversion(logged_in, submit):
    """Submissions are grouped by the chosen dimension of their conversion, with shares."""
    submit("a@example.com", last=("google", "cpc", "brand"))
    submit("b@example.com", last=("google", "cpc", "generic"))
    submit("c@example.com", last=("newsletter", "email", "may"))
    page = logged_in.get("/reports?dimension=source").get_data(as_text=True)
    assert page.index("google") < page.index("newsletter")
    assert "66.7 %" in page and "33.3 %" in page
    by_channel = logged_in.get("/reports?dimension=channel").get_data(as_text=True)
    assert "Paid Search" in by_channel and "Email" in by_channel
    refused = logged_in.get("/reports?dimension=password_hash")
    assert refused.status_code == 400
    assert "password_hash" in html.unescape(refused.get_data(as_text=True))


def test_utm_builder_builds_a_clean_link(logged_in):
    """Values are trimmed, lower-cased, spaces as _; other query parameters of the page stay."""
    page = logged_in.get("/utm-builder", query_string={
        "url": "https://shop.test/landing?ref=1&utm_source=old", "source": " LinkedIn ",
        "medium": "Paid_Social", "campaign": "Webinar Sept", "term": ""}).get_data(as_text=True)
    assert html.escape("https://shop.test/landing?ref=1&utm_source=linkedin"
                       "&utm_medium=paid_social&utm_campaign=webinar_sept") in page
    refused = logged_in.get("/utm-builder?url=javascript:alert(1)&source=a&medium=b&campaign=c")
    assert "starts with http://" in refused.get_data(as_text=True)


def test_settings_show_sites_forms_and_the_snippet(logged_in, site, app):
    """The install snippet names the site key, and each form its action URL."""
    page = html.unescape(logged_in.get("/settings").get_data(as_text=True))
    plain = f'<script async src="http://localhost/t.js" data-site="{site.site.key}"></script>'
    pinned = (f'<script async src="http://localhost/t.js" data-site="{site.site.key}" '
              f'integrity="{get_built_script(app).integrity}" crossorigin="anonymous"></script>')
    assert plain in page and pinned in page
    assert f'action="http://localhost/f/{site.form.key}"' in page
    assert "site.test" in page


def test_times_show_in_utc_whatever_zone_the_database_answers_in(app):
    """A time read back in another zone shows as UTC, the zone date searches use."""
    from datetime import datetime, timedelta, timezone

    from flask import render_template_string

    stockholm_summer = timezone(timedelta(hours=2))
    with app.test_request_context():
        html = render_template_string('{% from "_macros.html" import when %}{{ when(moment) }}',
                                      moment=datetime(2024, 7, 1, 1, 30, tzinfo=stockholm_summer))
    assert ">2024-06-30 23:30</time>" in html and 'title="2024-06-30 23:30 UTC"' in html
