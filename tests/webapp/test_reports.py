"""Reports: exact numbers per row for each attribution model, date ranges, CSV and the API."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Contact, Deal, Form, Submission, Touch
from server.reports import ReportError, build_report, resolve_period
from tests.webapp.conftest import recorded_queries

LINKEDIN = ("linkedin", "paid_social", "webinar_sept")
FACEBOOK = ("facebook", "paid_social", "retarget")
TODAY = datetime.now(UTC).date()


def add_deal(contact_id: int, stage: str, value: str, currency: str = "EUR") -> None:
    """Store a deal for a contact, as the app's deal form does."""
    contact = db.session.get(Contact, contact_id)
    db.session.add(Deal.for_contact(contact, title=f"{stage} deal", value=Decimal(value),
                                    currency=currency, stage=stage))
    db.session.commit()


def submission_of(ids: dict) -> Submission:
    """The submission a form post stored, from the ids it answered."""
    return db.session.scalars(
        sa.select(Submission).where(Submission.public_id == ids["submission_id"])).one()


def back_date(ids: dict, days: int) -> None:
    """Move a submission and the contact it created ``days`` into the past."""
    moment = datetime.now(UTC) - timedelta(days=days)
    submission_of(ids).created_at = moment
    db.session.get(Contact, ids["contact_id"]).created_at = moment
    db.session.commit()


@pytest.fixture
def journeys(submit, site):
    """Five people, six submissions, five deals; one of them 45 days ago.

    - Ada: the reference journey (first touch LinkedIn, lead creation Facebook), then a
      newsletter submission; deals: won 1000 EUR, open 300 EUR.
    - Bob: first touch LinkedIn, converts on Google brand; a lost deal of 50 EUR.
    - Cleo: no first touch (so Google is her first touch too), on the Webinar form;
      a won deal of 200 USD.
    - Eve: Facebook without a campaign; no deal.
    - Dora: Google, 45 days ago; a won deal of 999 EUR.
    """
    ada = submit("ada@example.com", first=LINKEDIN, last=FACEBOOK, company="Acme")
    submit("ada@example.com", last=("newsletter", "email", "may"))
    bob = submit("bob@example.com", first=LINKEDIN, last=("google", "cpc", "brand"))
    cleo = submit("cleo@example.com", last=("google", "cpc", "generic"))
    eve = submit("eve@example.com", last=("facebook", "paid_social", None))
    dora = submit("dora@example.com", last=("google", "cpc", "brand"))
    webinar = Form(site=site.site, name="Webinar", redirect_url="https://site.test/thanks")
    db.session.add(webinar)
    db.session.flush()
    submission_of(cleo).form_id = webinar.id
    db.session.commit()
    back_date(dora, days=45)
    add_deal(ada["contact_id"], "won", "1000")
    add_deal(ada["contact_id"], "open", "300")
    add_deal(bob["contact_id"], "lost", "50")
    add_deal(cleo["contact_id"], "won", "200", "USD")
    add_deal(dora["contact_id"], "won", "999")
    return {"ada": ada, "bob": bob, "cleo": cleo, "eve": eve, "dora": dora}


def numbers(report) -> dict[str, tuple]:
    """Each row as (submissions, new leads, deals, won deals, conversion rate, deal value)."""
    return {row.label: (row.submissions, row.new_leads, row.deals, row.won_deals,
                        row.conversion_rate, row.deal_value) for row in report.rows}


def last_30_days(dimension="source", attribution="conversion"):
    """The default report: the last 30 days up to today."""
    return build_report(db.session, dimension=dimension, attribution=attribution,
                        start=TODAY - timedelta(days=29), end=TODAY)


EUR_1000 = {"EUR": Decimal("1000.00")}
USD_200 = {"USD": Decimal("200.00")}


def test_conversion_credits_each_submission_to_its_own_touch(journeys):
    """Ada's newsletter submission counts for newsletter; new leads and deals by lead creation."""
    report = last_30_days(attribution="conversion")
    assert [row.label for row in report.rows] == ["facebook", "google", "newsletter"]
    assert numbers(report) == {
        "facebook": (2, 2, 2, 1, 0.5, EUR_1000),
        "google": (2, 2, 2, 1, 1.0, USD_200),
        "newsletter": (1, 0, 0, 0, None, {}),
    }
    assert [row.share for row in report.rows] == [0.4, 0.4, 0.2]
    totals = report.totals
    assert (totals.submissions, totals.new_leads, totals.deals, totals.won_deals) == (5, 4, 4, 2)
    assert totals.conversion_rate == 0.75 and totals.share == 1.0
    assert totals.deal_value == {"EUR": Decimal("1000.00"), "USD": Decimal("200.00")}


def test_first_touch_credits_the_contacts_first_touch(journeys):
    """Ada's two submissions and Bob's go to LinkedIn, where their browsers first came from."""
    assert numbers(last_30_days(attribution="first_touch")) == {
        "linkedin": (3, 2, 3, 1, 1.0, EUR_1000),
        "google": (1, 1, 1, 1, 1.0, USD_200),
        "facebook": (1, 1, 0, 0, 0.0, {}),
    }


def test_lead_creation_credits_the_touch_that_created_the_contact(journeys):
    """Ada's newsletter submission goes to Facebook, the touch that created her."""
    assert numbers(last_30_days(attribution="lead_creation")) == {
        "facebook": (3, 2, 2, 1, 0.5, EUR_1000),
        "google": (2, 2, 2, 1, 1.0, USD_200),
    }


def test_empty_values_are_one_not_set_row(journeys):
    """Eve's conversion had no campaign: a "(not set)" row, after the named rows of its size."""
    report = last_30_days(dimension="campaign")
    assert [row.label for row in report.rows] == ["brand", "generic", "may", "retarget",
                                                  "(not set)"]
    assert report.rows[-1].value is None
    empty = Touch(source="", medium="", campaign="", channel="")
    db.session.add(empty)
    submission_of(journeys["eve"]).conversion = empty
    db.session.commit()
    assert [row.label for row in last_30_days(dimension="source").rows][-1] == "(not set)"


def test_channel_and_form_dimensions(journeys):
    """Channels come from the touch; forms by name, whatever the attribution."""
    assert numbers(last_30_days(dimension="channel")) == {
        "Paid Search": (2, 2, 2, 1, 1.0, USD_200),
        "Paid Social": (2, 2, 2, 1, 0.5, EUR_1000),
        "Email": (1, 0, 0, 0, None, {}),
    }
    by_form = {
        "Signup": (4, 3, 3, 1, 2 / 3, EUR_1000),
        "Webinar": (1, 1, 1, 1, 1.0, USD_200),
    }
    assert numbers(last_30_days(dimension="form")) == by_form
    assert numbers(last_30_days(dimension="form", attribution="first_touch")) == by_form


def test_date_range_counts_whole_utc_days(journeys):
    """Dora, 45 days ago, is outside the last 30 days, inside all time and her own day."""
    assert last_30_days().totals.submissions == 5
    everything = build_report(db.session, dimension="source", attribution="conversion",
                              start=None, end=TODAY)
    assert numbers(everything)["google"] == (3, 3, 3, 2, 1.0,
                                             {"EUR": Decimal("999.00"), "USD": Decimal("200.00")})
    day = TODAY - timedelta(days=45)
    that_day = build_report(db.session, dimension="source", attribution="conversion",
                            start=day, end=day)
    assert numbers(that_day) == {"google": (1, 1, 1, 1, 1.0, {"EUR": Decimal("999.00")})}
    yesterday = build_report(db.session, dimension="source", attribution="conversion",
                             start=day - timedelta(days=1), end=day - timedelta(days=1))
    assert yesterday.rows == [] and yesterday.totals.submissions == 0


def test_shares_sum_to_one(journeys):
    """The shares of every report add up to 100 %."""
    for dimension in ("source", "medium", "campaign", "channel", "form"):
        for attribution in ("conversion", "first_touch", "lead_creation"):
            report = last_30_days(dimension, attribution)
            assert sum(row.share for row in report.rows) == pytest.approx(1.0)
            assert sum(row.submissions for row in report.rows) == report.totals.submissions == 5


def test_unknown_choices_and_reversed_ranges_are_refused(app):
    """ReportError names the problem; the period presets resolve to inclusive ranges."""
    with pytest.raises(ReportError, match="dimension"):
        build_report(db.session, dimension="password_hash", attribution="conversion",
                     start=None, end=TODAY)
    with pytest.raises(ReportError, match="attribution"):
        build_report(db.session, dimension="source", attribution="last_click",
                     start=None, end=TODAY)
    with pytest.raises(ReportError, match="after the end"):
        resolve_period(start=TODAY, end=TODAY - timedelta(days=1), period=None, today=TODAY)
    assert resolve_period(start=None, end=None, period=None, today=TODAY) == (
        TODAY - timedelta(days=29), TODAY)
    assert resolve_period(start=None, end=None, period="7", today=TODAY)[0] == (
        TODAY - timedelta(days=6))
    assert resolve_period(start=None, end=None, period="all", today=TODAY) == (None, TODAY)
    day = TODAY - timedelta(days=100)
    assert resolve_period(start=None, end=day, period=None, today=TODAY) == (
        day - timedelta(days=29), day)
    assert resolve_period(start=None, end=day, period="all", today=TODAY) == (None, day)


def test_all_time_stays_all_time_across_tabs(logged_in, journeys):
    """A dimension tab of an "All time" report links to an "All time" report, Dora included."""
    html = logged_in.get("/reports?period=all").get_data(as_text=True)
    link = re.search(r'href="(/reports\?[^"]*dimension=medium[^"]*)"', html).group(1)
    medium = logged_in.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "All time up to" in medium
    assert re.search(r'<tfoot><tr data-value="Total">\s*<th>Total</th>\s*'
                     r'<th class="num" data-metric="submissions">6</th>', medium)
    assert '<input type="hidden" name="period" value="all">' in medium


def test_page_shows_chart_table_and_totals(logged_in, journeys):
    """The page has an SVG bar per row and a table row per value, with a totals row."""
    html = logged_in.get("/reports?dimension=source&attribution=first_touch").get_data(
        as_text=True)
    assert html.count('<g class="chart-row"') == 3
    assert '<tr data-value="linkedin">' in html
    assert '<td class="num" data-metric="conversion_rate">100.0 %</td>' in html
    assert "1,000.00 EUR" in html and "200.00 USD" in html
    assert '<th class="num" data-metric="submissions">5</th>' in html
    # The chart needs no script and no inline style, so the app's CSP holds.
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_page_refuses_bad_parameters_with_a_message(logged_in):
    """Unknown choices and bad dates get a 400 that says what is wrong, never a 500."""
    for query, message in (
        ("dimension=password_hash", "Unknown dimension"),
        ("attribution=last_click", "Unknown attribution"),
        ("start=yesterday", "is not a date"),
        ("start=2026-02-01&end=2026-01-01", "after the end"),
        ("period=365", "Unknown period"),
    ):
        response = logged_in.get(f"/reports?{query}")
        assert response.status_code == 400, query
        assert message in response.get_data(as_text=True), query
    assert logged_in.get("/reports/export.csv?start=x").status_code == 400


def test_page_needs_a_log_in(client, user):
    """Anonymous visitors are sent to the log-in page, for the page and its CSV."""
    for path in ("/reports", "/reports/export.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_csv_has_the_rows_and_totals(logged_in, journeys, submit):
    """The CSV holds the same numbers, one column per currency, formulas neutralised."""
    submit("mallory@example.com", last=("=HYPERLINK(1)", "cpc", "x"))
    response = logged_in.get("/reports/export.csv?dimension=source&attribution=lead_creation")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert list(csv.reader(io.StringIO(response.get_data(as_text=True)))) == [
        ["source", "submissions", "share", "new_leads", "deals", "won_deals",
         "conversion_rate", "deal_value_EUR", "deal_value_USD"],
        ["facebook", "3", "0.5000", "2", "2", "1", "0.5000", "1000.00", ""],
        ["google", "2", "0.3333", "2", "2", "1", "1.0000", "", "200.00"],
        ["'=hyperlink(1)", "1", "0.1667", "1", "0", "0", "0.0000", "", ""],
        ["Total", "6", "1.0000", "5", "4", "2", "0.6000", "1000.00", "200.00"],
    ]


def test_api_report(client, api_headers, journeys):
    """GET /api/reports answers the documented shape, with null for a value that is not set."""
    response = client.get("/api/reports?dimension=campaign&attribution=conversion&period=all",
                          headers=api_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["dimension"], body["attribution"], body["start"], body["end"]) == (
        "campaign", "conversion", None, TODAY.isoformat())
    assert body["rows"][0] == {"value": "brand", "submissions": 2, "share": 2 / 6,
                               "new_leads": 2, "deals": 2, "won_deals": 1,
                               "conversion_rate": 1.0, "deal_value": {"EUR": "999.00"}}
    assert body["rows"][-1]["value"] is None
    assert body["totals"] == {"submissions": 6, "share": 1.0, "new_leads": 5, "deals": 5,
                              "won_deals": 3, "conversion_rate": 0.8,
                              "deal_value": {"EUR": "1999.00", "USD": "200.00"}}
    ranged = client.get(f"/api/reports?start={TODAY}&end={TODAY}", headers=api_headers)
    assert ranged.get_json()["totals"]["submissions"] == 5
    assert ranged.get_json()["start"] == TODAY.isoformat()


def test_api_refuses_bad_parameters(client, api_headers):
    """Unknown choices, bad dates and reversed ranges are 422s naming the problem."""
    for query, field in (("dimension=password_hash", "dimension"),
                         ("attribution=x", "attribution"), ("start=2026-13-01", "start"),
                         ("period=365", "period"),
                         ("start=2026-02-01&end=2026-01-01", "_schema")):
        response = client.get(f"/api/reports?{query}", headers=api_headers)
        assert response.status_code == 422, query
        assert field in response.get_json()["errors"]["query"], query
    assert client.get("/api/reports").status_code == 401


def test_api_report_is_in_the_openapi_document(client, api_headers):
    """The OpenAPI document describes the report's query and response."""
    spec = client.get("/api/openapi.json", headers=api_headers).get_json()
    operation = spec["paths"]["/api/reports"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {
        "dimension", "attribution", "start", "end", "period"}
    assert "ReportRow" in spec["components"]["schemas"]


ROWS = 40


def test_query_count_does_not_grow_with_rows(logged_in, api_headers, client, submit):
    """A report with 40 rows makes as many queries as one with a single row."""
    def counted(path: str, **headers) -> int:
        """How many statements one request sends."""
        # Every request starts alike: the logged-in user is loaded again, not found in memory.
        db.session.expire_all()
        with recorded_queries() as statements:
            assert logged_in.get(path, headers=headers).status_code == 200
        return len(statements)

    paths = ("/reports", "/reports/export.csv", "/api/reports")
    submit("first@example.com", last=("source0", "cpc", "c"))
    for path in paths:  # the first API request also notes when the token was last used
        counted(path, **(api_headers if "api" in path else {}))
    few = [counted(path, **(api_headers if "api" in path else {})) for path in paths]
    for number in range(1, ROWS):
        submit(f"lead{number}@example.com", last=(f"source{number}", "cpc", "c"))
    many = [counted(path, **(api_headers if "api" in path else {})) for path in paths]
    assert many == few
    assert max(many) <= 5
