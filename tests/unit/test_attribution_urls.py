"""Reading touches out of landing-page URLs; own and excluded referrers."""

import pytest

from server.attribution import (
    DEFAULT_EXCLUDED_DOMAINS,
    MAX_URL_LENGTH,
    MAX_UTM_LENGTH,
    SiteRules,
    hostname_of,
    is_own_or_excluded,
    parse_landing_url,
)

SITE = "https://site.example"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            f"{SITE}/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"
            "&utm_term=crm&utm_content=banner-a",
            ("linkedin", "paid_social", "webinar_sept", "crm", "banner-a"),
            id="all-five",
        ),
        pytest.param(
            f"{SITE}/?UTM_SOURCE=Google&Utm_Medium=CPC",
            ("Google", "CPC", None, None, None),
            id="case-insensitive-names-values-raw",
        ),
        pytest.param(
            f"{SITE}/?utm_source=first&utm_source=second",
            ("first", None, None, None, None),
            id="first-value-wins",
        ),
        pytest.param(
            f"{SITE}/?utm_source=&utm_source=late",
            ("late", None, None, None, None),
            id="empty-value-skipped",
        ),
        pytest.param(
            f"{SITE}/?utm_campaign=spring+sale%21",
            (None, None, "spring sale!", None, None),
            id="decoded",
        ),
        pytest.param(
            f"{SITE}/?utm_source=news%00letter%E2%80%8B&utm_medium=e%0Amail",
            ("newsletter", "e mail", None, None, None),
            id="control-characters-removed",
        ),
        pytest.param(
            f"{SITE}/?utm_source=%E2%80%AEevil%E2%80%AC",
            ("evil", None, None, None, None),
            id="bidi-removed",
        ),
        pytest.param(
            f"{SITE}/#/pricing?utm_source=newsletter&utm_medium=email",
            ("newsletter", "email", None, None, None),
            id="hash-route",
        ),
    ],
)
def test_parse_landing_url_utm_values(url, expected):
    touch = parse_landing_url(url)
    assert (touch.source, touch.medium, touch.campaign, touch.term, touch.content) == expected
    assert touch.landing_page == url


@pytest.mark.parametrize(
    ("url", "click_id", "click_id_param"),
    [
        pytest.param(
            f"{SITE}/?gclid=EAIaIQobChMI_AbC-1", "EAIaIQobChMI_AbC-1", "gclid", id="gclid"
        ),
        pytest.param(f"{SITE}/?GCLID=AbC", "AbC", "gclid", id="param-case-value-kept"),
        pytest.param(f"{SITE}/?fbclid=IwAR3xYz", "IwAR3xYz", "fbclid", id="fbclid"),
        pytest.param(f"{SITE}/?msclkid=5f1e", "5f1e", "msclkid", id="msclkid"),
        pytest.param(f"{SITE}/?li_fat_id=a-b-c", "a-b-c", "li_fat_id", id="li_fat_id"),
        pytest.param(f"{SITE}/?ttclid=E.C.P", "E.C.P", "ttclid", id="ttclid"),
        pytest.param(f"{SITE}/?fbclid=F1&gclid=G1", "G1", "gclid", id="gclid-wins-over-fbclid"),
    ],
)
def test_parse_landing_url_click_ids(url, click_id, click_id_param):
    touch = parse_landing_url(url)
    assert (touch.click_id, touch.click_id_param) == (click_id, click_id_param)
    assert touch.source is None


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"{SITE}/pricing", id="no-query"),
        pytest.param(f"{SITE}/?ref=abc&utm_unknown=1", id="other-params"),
        pytest.param(f"{SITE}/?utm_source=", id="empty-utm"),
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
        pytest.param(12345, id="number"),
        pytest.param("not a url at all", id="words"),
        pytest.param("%%%?&&&==&=", id="percent-garbage"),
        pytest.param("javascript:alert(1)", id="javascript"),
    ],
)
def test_parse_landing_url_without_campaign_is_none(url):
    assert parse_landing_url(url) is None


def test_parse_landing_url_reads_query_of_broken_host():
    touch = parse_landing_url("http://[::1/?utm_source=x&gclid=Ab")
    assert (touch.source, touch.click_id) == ("x", "Ab")


def test_parse_landing_url_caps_long_values():
    url = f"{SITE}/?utm_source={'s' * 5000}&utm_campaign=c&pad={'p' * 5000}"
    touch = parse_landing_url(url)
    assert touch.source == "s" * MAX_UTM_LENGTH
    assert touch.campaign == "c"
    assert len(touch.landing_page) == MAX_URL_LENGTH


def test_parse_landing_url_survives_a_flood_of_parameters():
    # only the first 200 parameters are read: a campaign link never has more
    url = f"{SITE}/?" + "&".join(f"p{number}=1" for number in range(10_000)) + "&utm_source=x"
    assert parse_landing_url(url) is None
    flood_after = f"{SITE}/?utm_source=x&" + "&".join(f"p{n}=1" for n in range(10_000))
    assert parse_landing_url(flood_after).source == "x"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://WWW.Example.COM:8443/path", "www.example.com", id="lower-no-port"),
        pytest.param("http://user:pw@blog.example.org/", "blog.example.org", id="userinfo"),
        pytest.param("www.google.com/search", "www.google.com", id="no-scheme"),
        pytest.param("https://example.com./", "example.com", id="trailing-dot"),
        pytest.param("garbage", None, id="garbage"),
        pytest.param("https://exa mple.com/", None, id="space-in-host"),
        pytest.param("https:///path", None, id="no-host"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
        pytest.param(["https://example.com"], None, id="list"),
    ],
)
def test_hostname_of(url, expected):
    assert hostname_of(url) == expected


RULES = SiteRules(domains=("site.example",), excluded_domains=("billing.partner.example",))


@pytest.mark.parametrize(
    ("referrer", "expected"),
    [
        pytest.param("https://site.example/pricing", True, id="own"),
        pytest.param("https://www.site.example/", True, id="own-www"),
        pytest.param("https://blog.site.example/post", True, id="own-subdomain"),
        pytest.param("https://notsite.example/", False, id="lookalike-not-own"),
        pytest.param("https://site.example.evil.com/", False, id="suffix-trick-not-own"),
        pytest.param("https://www.paypal.com/checkoutnow", True, id="paypal"),
        pytest.param("https://checkout.stripe.com/c/pay/cs_1", True, id="stripe-checkout"),
        pytest.param("https://accounts.google.com/o/oauth2", True, id="google-login"),
        pytest.param("https://login.microsoftonline.com/", True, id="microsoft-login"),
        pytest.param("https://acme.okta.com/", True, id="okta-tenant"),
        pytest.param("https://billing.partner.example/", True, id="site-configured"),
        pytest.param("https://eu.billing.partner.example/", True, id="site-configured-sub"),
        pytest.param("https://partner.example/", False, id="configured-parent-not-excluded"),
        pytest.param("https://www.google.com/", False, id="google-search-is-a-source"),
        pytest.param("", False, id="empty"),
        pytest.param(None, False, id="none"),
    ],
)
def test_is_own_or_excluded(referrer, expected):
    assert is_own_or_excluded(referrer, RULES) is expected


def test_default_exclusions_cover_payment_and_login_providers():
    for domain in ("paypal.com", "stripe.com", "klarna.com", "adyen.com", "appleid.apple.com"):
        assert domain in DEFAULT_EXCLUDED_DOMAINS
