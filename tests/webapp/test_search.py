"""The lead search: every operator on every kind of field, validation, the page and CSV export."""

import csv
import io
from datetime import UTC, datetime

import pytest

from server.extensions import db
from server.models import Contact, Touch
from server.search import (
    FIELDS,
    CriteriaError,
    contacts_matching,
    criteria_from_dicts,
    make_criterion,
    parse_criterion,
)


@pytest.fixture
def leads(submit):
    """Three contacts: Ada (LinkedIn, then Facebook, then newsletter), Bob (Google), Cy (none)."""
    submit("ada@example.com", first=("linkedin", "paid_social", "webinar_sept"),
           last=("facebook", "paid_social", "retarget"), company="Acme")
    submit("ada@example.com", last=("newsletter", "email", "may"))
    submit("bob@example.com", last=("google", "cpc", "brand_100%"))
    db.session.add(Contact(email="cy@example.com", created_at=datetime(2020, 1, 1, tzinfo=UTC)))
    db.session.commit()


CASES = [
    # (criteria, expected e-mails' names)
    (["first_touch.source:eq:LinkedIn"], {"ada"}),
    (["first_touch.source:ne:linkedin"], {"bob", "cy"}),
    (["first_touch.campaign:contains:WEBINAR"], {"ada"}),
    (["lead_creation.campaign:contains:100%"], {"bob"}),
    (["lead_creation.campaign:contains:_1"], {"bob"}),  # "_" is a literal, not a wildcard
    (["first_touch.medium:empty:"], {"cy"}),
    (["lead_creation.source:in:facebook, twitter"], {"ada"}),
    (["lead_creation.channel:eq:paid search"], {"bob"}),
    (["first_touch.channel:in:Paid Social,Paid Search"], {"ada", "bob"}),
    (["company_source.source:eq:facebook"], {"ada"}),
    (["company_source.campaign:ne:retarget"], {"bob", "cy"}),
    (["company_source.channel:empty:"], {"bob", "cy"}),
    (["company_source.medium:contains:social"], {"ada"}),
    (["company_source.source:in:facebook,google"], {"ada"}),
    (["conversion.source:eq:newsletter"], {"ada"}),
    (["conversion.source:ne:newsletter"], {"bob", "cy"}),
    (["conversion.campaign:contains:retar"], {"ada"}),
    (["conversion.medium:in:email,cpc"], {"ada", "bob"}),
    (["conversion.channel:eq:Email"], {"ada"}),
    (["conversion.source:empty:"], {"cy"}),
    (["created:before:2021-01-01"], {"cy"}),
    (["created:after:2021-01-01"], {"ada", "bob"}),
    (["form:eq:signup"], {"ada", "bob"}),
    (["form:ne:Signup"], {"cy"}),
    (["first_touch.source:eq:linkedin", "lead_creation.source:eq:facebook"], {"ada"}),
    (["first_touch.source:eq:linkedin", "lead_creation.source:eq:google"], set()),
]


def names(contacts) -> set[str]:
    """The local parts of the contacts' e-mails."""
    return {contact.email.split("@")[0] for contact in contacts}


def found(*texts: str) -> set[str]:
    """The names of the contacts a search of ``field:op:value`` texts finds."""
    return names(db.session.scalars(contacts_matching([parse_criterion(text) for text in texts])))


@pytest.mark.parametrize(("texts", "expected"), CASES, ids=[" & ".join(c[0]) for c in CASES])
def test_operators(leads, texts, expected):
    """Each operator on each kind of field finds exactly the right contacts."""
    assert found(*texts) == expected


def test_not_equals_is_the_rest_and_is_empty_covers_missing_values(leads):
    """"not equals X" finds exactly the contacts "equals X" leaves out, those with no touch or
    no value included; "is empty" matches a missing touch, a NULL and an empty text alike.

    For a conversion ("any submission") "not equals X" means no submission converted from X.
    """
    db.session.add(Contact(email="dee@example.com", first_touch=Touch(
        source="(direct)", medium="(none)", campaign="", channel="Direct")))
    db.session.commit()
    everyone = {"ada", "bob", "cy", "dee"}
    for field in (name for name, field in FIELDS.items() if "ne" in field.operators):
        for value in ("linkedin", "paid_social", "newsletter", "Email", "signup"):
            equal, other = found(f"{field}:eq:{value}"), found(f"{field}:ne:{value}")
            assert equal.isdisjoint(other) and equal | other == everyone, (field, value)
    assert found("first_touch.campaign:empty:") == {"cy", "dee"}
    assert found("first_touch.campaign:ne:webinar_sept") == {"bob", "cy", "dee"}


def test_every_operator_is_covered():
    """The table above exercises every operator and every field."""
    texts = [text for criteria, _ in CASES for text in criteria]
    assert {parse_criterion(text).op for text in texts} == {
        "eq", "ne", "contains", "empty", "in", "before", "after"}
    fields = {parse_criterion(text).field for text in texts}
    assert {name.split(".")[0] for name in FIELDS} <= {name.split(".")[0] for name in fields}


@pytest.mark.parametrize(("text", "message"), [
    ("password_hash:eq:x", "Unknown search field 'password_hash'."),
    ("first_touch.source:like:x", "Unknown operator 'like'."),
    ("first_touch.source:before:2024-01-01", "can use: equals, not equals"),
    ("created:eq:2024-01-01", "can use: before, after"),
    ("first_touch.source:eq:", "a value is needed"),
    ("created:after:yesterday", "is not a date"),
])
def test_criteria_are_validated_against_the_whitelist(text, message):
    """Unknown fields and operators, wrong operators and bad values give clear errors."""
    with pytest.raises(CriteriaError, match=message.replace("(", r"\(")):
        parse_criterion(text)


def test_operators_without_value_ignore_one():
    """``is empty`` takes no value, so a stray one is dropped."""
    assert make_criterion("first_touch.source", "empty", "x").value == ""


def test_search_page_finds_contacts_from_the_query_string(logged_in, leads):
    """A search is a link: criteria in ?c= run and list the contacts."""
    html = logged_in.get("/search", query_string={"c": [
        "first_touch.source:eq:linkedin", "conversion.source:eq:newsletter"]}).get_data(
        as_text=True)
    assert "1 contact<" in html and "ada@example.com" in html
    assert "bob@example.com" not in html


def test_plain_form_rows_become_a_canonical_link(logged_in):
    """The no-JavaScript form (field/op/value lists) redirects to the ?c= form."""
    response = logged_in.get("/search", query_string={
        "field": ["first_touch.source", "", "created"], "op": ["eq", "eq", "after"],
        "value": ["linkedin", "", "2024-01-01"]})
    assert response.status_code == 302
    assert response.headers["Location"] == (
        "/search?c=first_touch.source:eq:linkedin&c=created:after:2024-01-01")


def test_search_page_shows_validation_errors(logged_in, leads):
    """Bad criteria are explained and nothing runs."""
    response = logged_in.get("/search", query_string={"c": ["nope:eq:x", "created:after:x"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown search field &#39;nope&#39;." in html
    assert "is not a date" in html
    assert "ada@example.com" not in html


def test_search_results_are_paginated(logged_in, submit):
    """More than a page of results pages through, keeping the criteria in the links."""
    for number in range(55):
        submit(f"lead{number}@example.com", last=("google", "cpc", "brand"))
    first = logged_in.get("/search?c=lead_creation.source:eq:google").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "/search?page=2&amp;c=lead_creation.source:eq:google" in first
    second = logged_in.get("/search?page=2&c=lead_creation.source:eq:google").get_data(
        as_text=True)
    assert second.count("@example.com</td>") == 5


def read_csv(response) -> list[dict]:
    """The rows of a CSV response."""
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_export_streams_the_matching_contacts(logged_in, leads):
    """The export has a header, one row per contact and the lead columns."""
    response = logged_in.get("/search/export.csv?c=first_touch.source:ne:nobody")
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [row["email"] for row in rows] == ["bob@example.com", "ada@example.com",
                                              "cy@example.com"]
    ada = rows[1]
    assert (ada["company"], ada["first_touch.source"], ada["lead_creation.campaign"]) == (
        "Acme", "linkedin", "retarget")


def test_csv_export_escapes_and_neutralises_formulas(logged_in, submit):
    """Commas and quotes are escaped; cells a spreadsheet would run start with a quote."""
    submit("eve@example.com", name="=HYPERLINK(\"http://evil.test\")",
           last=("+cmd", "-x", "@sum"), company='Acme, "Inc"')
    rows = read_csv(logged_in.get("/search/export.csv?c=lead_creation.source:contains:cmd"))
    assert len(rows) == 1
    eve = rows[0]
    assert eve["first_name"] == "'=HYPERLINK(\"http://evil.test\")"
    assert eve["company"] == 'Acme, "Inc"'
    assert eve["lead_creation.source"] == "'+cmd"
    assert eve["lead_creation.medium"] == "'-x"
    assert eve["lead_creation.campaign"] == "'@sum"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx",
                                  "\uff1d1+1"])
def test_formula_prefixes_are_neutralised(text):
    """Every prefix a spreadsheet runs gets a quote in front; plain text stays as it is."""
    from server.webapp.search_views import neutralise_formula

    assert neutralise_formula(text) == "'" + text
    assert neutralise_formula("linkedin") == "linkedin"
    assert neutralise_formula(None) == ""


def test_csv_export_refuses_bad_criteria(logged_in):
    """A bad criterion gets a 400 with the reason, not an empty file."""
    response = logged_in.get("/search/export.csv?c=nope:eq:x")
    assert response.status_code == 400
    assert "Unknown search field" in response.get_data(as_text=True)


def test_searches_are_capped_at_max_criteria(logged_in, client, api_headers):
    """A crafted link or body with too many rows is refused before any query runs."""
    from server.search import MAX_CRITERIA

    texts = ["first_touch.source:eq:x"] * (MAX_CRITERIA + 1)
    html = logged_in.get("/search", query_string={"c": texts}).get_data(as_text=True)
    assert f"at most {MAX_CRITERIA} criteria" in html
    assert logged_in.get("/search/export.csv", query_string={"c": texts}).status_code == 400
    rows = [{"field": "first_touch.source", "op": "eq", "value": "x"}] * (MAX_CRITERIA + 1)
    assert client.post("/api/search", headers=api_headers,
                       json={"criteria": rows}).status_code == 422
    with pytest.raises(CriteriaError, match="at most"):
        criteria_from_dicts(rows)
