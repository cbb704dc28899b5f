"""Cleaning, aliases and case of touch values; e-mail and company-name keys."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from server.attribution import (
    MAX_URL_LENGTH,
    MAX_UTM_LENGTH,
    SiteRules,
    Touch,
    clean_text,
    normalise_company_name,
    normalise_email,
    normalise_touch,
    normalise_value,
)

LINKEDIN_ALIASES = {"LinkedIn": "linkedin", "linkedin.com": "linkedin", "lnkd.in": "linkedin"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  spring  ", "spring", id="trimmed"),
        pytest.param("spring\x00sale", "springsale", id="nul-removed"),
        pytest.param("spring\tsale\n", "spring sale", id="tab-newline-become-space"),
        pytest.param("spring\x7fsale", "springsale", id="delete-removed"),
        pytest.param("spr\u200bing", "spring", id="zero-width-space-removed"),
        pytest.param("\u202espring\u202c", "spring", id="bidi-override-removed"),
        pytest.param("\ufeffspring", "spring", id="byte-order-mark-removed"),
        pytest.param("a    b", "a b", id="spaces-collapsed"),
        pytest.param("a\u00a0\u00a0b", "a b", id="no-break-spaces-collapsed"),
        pytest.param("", None, id="empty-is-none"),
        pytest.param(" \t\u200b ", None, id="only-invisible-is-none"),
        pytest.param(None, None, id="none"),
        pytest.param(42, "42", id="number-as-text"),
        pytest.param("Vår kampanj", "Vår kampanj", id="letters-kept"),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value, 100) == expected


def test_clean_text_caps_length_after_cleaning():
    assert clean_text("\u200b" * 10 + "x" * 300, MAX_UTM_LENGTH) == "x" * MAX_UTM_LENGTH


def test_clean_text_handles_a_huge_value_quickly():
    assert clean_text("y" * 5_000_000, MAX_URL_LENGTH) == "y" * MAX_URL_LENGTH


@pytest.mark.parametrize(
    ("value", "rules", "expected"),
    [
        pytest.param("LinkedIn", SiteRules(aliases=LINKEDIN_ALIASES), "linkedin", id="alias"),
        pytest.param("LINKEDIN", SiteRules(aliases=LINKEDIN_ALIASES), "linkedin", id="alias-case"),
        pytest.param(
            "linkedin.com", SiteRules(aliases=LINKEDIN_ALIASES), "linkedin", id="alias-domain"
        ),
        pytest.param("lnkd.in", SiteRules(aliases=LINKEDIN_ALIASES), "linkedin", id="alias-short"),
        pytest.param(
            " LinkedIn\u200b ", SiteRules(aliases=LINKEDIN_ALIASES), "linkedin", id="alias-dirty"
        ),
        pytest.param("Facebook", SiteRules(), "facebook", id="lower-cased"),
        pytest.param("Facebook", SiteRules(lowercase=False), "Facebook", id="case-kept"),
        pytest.param(
            "fb",
            SiteRules(lowercase=False, aliases={"FB": "Facebook"}),
            "Facebook",
            id="alias-kept",
        ),
        pytest.param(
            "fb", SiteRules(aliases={"FB": "Facebook"}), "facebook", id="alias-then-lower-cased"
        ),
        pytest.param("(direct)", SiteRules(aliases={"(direct)": "x"}), "(direct)", id="sentinel"),
        pytest.param("", SiteRules(), None, id="empty"),
    ],
)
def test_normalise_value(value, rules, expected):
    assert normalise_value(value, rules) == expected


def test_normalise_touch_never_lower_cases_click_ids():
    touch = Touch(source="Google", click_id="EAIaIQobChMI-AbC", click_id_param="GCLID")
    normalised = normalise_touch(touch, SiteRules())
    assert normalised.click_id == "EAIaIQobChMI-AbC"
    assert normalised.click_id_param == "gclid"
    assert normalised.source == "google"


def test_normalise_touch_sets_channel_and_caps_urls():
    touch = Touch(
        source="LinkedIn",
        medium="Paid_Social",
        landing_page="https://site.example/?" + "a" * 5000,
        referrer="https://www.linkedin.com/" + "b" * 5000,
        at=datetime(2025, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))),
    )
    normalised = normalise_touch(touch, SiteRules(aliases=LINKEDIN_ALIASES))
    assert normalised.channel == "Paid Social"
    assert (normalised.source, normalised.medium) == ("linkedin", "paid_social")
    assert len(normalised.landing_page) == MAX_URL_LENGTH
    assert len(normalised.referrer) == MAX_URL_LENGTH
    assert normalised.at == datetime(2025, 1, 1, 10, tzinfo=UTC)
    assert normalised.at.tzinfo is UTC


def test_touch_as_dict_is_json_friendly():
    touch = Touch(source="google", medium="organic", at=datetime(2025, 1, 1, tzinfo=UTC))
    as_dict = touch.as_dict()
    assert as_dict["at"] == "2025-01-01T00:00:00+00:00"
    assert as_dict["source"] == "google"
    assert Touch.from_dict(as_dict) == touch


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  Anna@Example.COM ", "anna@example.com", id="trim-lower"),
        pytest.param("anna\u200b@example.com", "anna@example.com", id="zero-width"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
        pytest.param(["a@b.c"], None, id="not-text"),
    ],
)
def test_normalise_email(value, expected):
    assert normalise_email(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Acme", "acme", id="plain"),
        pytest.param("Acme AB", "acme", id="swedish-ab"),
        pytest.param("ACME AB (publ)", "acme", id="publ"),
        pytest.param("AB Volvo", "volvo", id="ab-prefix"),
        pytest.param("Acme, Inc.", "acme", id="inc"),
        pytest.param("Acme Ltd", "acme", id="ltd"),
        pytest.param("Acme GmbH & Co. KG", "acme", id="gmbh-co-kg"),
        pytest.param("Acme A/S", "acme", id="a-s"),
        pytest.param("Acme S.A.", "acme", id="s-a"),
        pytest.param("Acme Pty Ltd", "acme", id="pty-ltd"),
        pytest.param("Acme B.V.", "acme", id="bv"),
        pytest.param("Acme Oy", "acme", id="oy"),
        pytest.param("Nestlé S.A.", "nestle", id="accent"),
        pytest.param("  Big   Blue   Corp ", "big blue", id="spaces"),
        pytest.param("Limited", "limited", id="only-a-suffix-kept"),
        pytest.param("", None, id="empty"),
        pytest.param("...", None, id="only-punctuation"),
        pytest.param(None, None, id="none"),
    ],
)
def test_normalise_company_name(value, expected):
    assert normalise_company_name(value) == expected


def test_site_rules_normalise_configured_domains():
    rules = SiteRules(domains=("https://www.Example.com/", ".shop.example.org"))
    assert rules.domains == ("example.com", "shop.example.org")


def test_stored_lengths_fit_the_database_columns():
    assert len(normalise_company_name("Acme " + "x" * 1000)) <= 200
    touch = normalise_touch(Touch(click_id="A" * 1000, click_id_param="P" * 100), SiteRules())
    assert touch.click_id == "A" * 255
    assert touch.click_id_param == "p" * 32
