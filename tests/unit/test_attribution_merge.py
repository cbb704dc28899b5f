"""Deciding a submission's conversion, first touch and touch history."""

from datetime import UTC, datetime, timedelta

import pytest

from server.attribution import (
    MAX_HISTORY,
    Attribution,
    SiteRules,
    browser_touch,
    decide_attribution,
    direct_touch,
    touch_from_visit,
)

NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
SITE = "https://site.example"
RULES = SiteRules(
    domains=("site.example",),
    excluded_domains=("pay.partner.example",),
    aliases={"LinkedIn": "linkedin", "linkedin.com": "linkedin", "lnkd.in": "linkedin"},
)


def epoch_ms(moment: datetime) -> int:
    """Return moment as the browser script stores it: epoch milliseconds."""
    return int(moment.timestamp() * 1000)


def stored(source=None, medium=None, campaign=None, age=timedelta(days=1), **extra) -> dict:
    """Build a touch dict as the browser script stores it."""
    raw = {"source": source, "medium": medium, "campaign": campaign}
    raw = {key: value for key, value in raw.items() if value is not None}
    raw["at"] = epoch_ms(NOW - age)
    raw.update(extra)
    return raw


def decide(page_url=f"{SITE}/signup", referrer=None, first=None, latest=None, history=None):
    """Run decide_attribution with the test site's rules at NOW."""
    return decide_attribution(
        page_url=page_url,
        referrer=referrer,
        first_touch_raw=first,
        latest_touch_raw=latest,
        history_raw=history,
        now=NOW,
        rules=RULES,
    )


def summary(touch) -> tuple:
    """Return (source, medium, campaign, channel) of a touch."""
    return (touch.source, touch.medium, touch.campaign, touch.channel)


def test_reference_journey():
    linkedin = stored(
        "linkedin",
        "paid_social",
        "webinar_sept",
        age=timedelta(days=20),
        landing_page=f"{SITE}/?utm_source=linkedin&utm_medium=paid_social"
        "&utm_campaign=webinar_sept",
    )
    facebook_url = f"{SITE}/signup?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget"
    facebook = stored("facebook", "paid_social", "retarget", age=timedelta(0))

    signup = decide(page_url=facebook_url, first=linkedin, latest=facebook, history=[linkedin])

    assert summary(signup.first_touch) == ("linkedin", "paid_social", "webinar_sept", "Paid Social")
    assert summary(signup.conversion) == ("facebook", "paid_social", "retarget", "Paid Social")
    assert signup.lead_creation == signup.conversion
    assert signup.company_source == signup.conversion
    assert signup.conversion.at == NOW
    assert signup.conversion.landing_page == facebook_url
    assert [touch.source for touch in signup.touch_history] == ["linkedin"]

    # months later, a newsletter click: the browser's first touch is still LinkedIn
    newsletter_url = f"{SITE}/webinar?utm_source=newsletter&utm_medium=email"
    later = decide(page_url=newsletter_url, first=linkedin, latest=facebook)
    assert summary(later.conversion) == ("newsletter", "email", None, "Email")
    assert later.first_touch.source == "linkedin"


def test_first_direct_visit_then_submit():
    first = stored("(direct)", "(none)", landing_page=f"{SITE}/", age=timedelta(days=3))
    result = decide(first=first)
    assert result.first_touch.is_direct()
    assert result.first_touch.channel == "Direct"
    assert result.first_touch.landing_page == f"{SITE}/"
    assert result.conversion.is_direct()
    assert result.conversion.landing_page == f"{SITE}/signup"
    assert result.conversion.at == NOW


def test_no_browser_data_first_touch_is_conversion():
    result = decide(referrer="https://www.google.co.uk/")
    assert summary(result.conversion) == ("google", "organic", None, "Organic Search")
    assert result.first_touch == result.conversion
    assert result.touch_history == ()


@pytest.mark.parametrize(
    ("referrer", "expected"),
    [
        pytest.param(
            "https://www.google.com/",
            ("google", "organic", None, "Organic Search"),
            id="organic-search",
        ),
        pytest.param(
            "https://duckduckgo.com/",
            ("duckduckgo", "organic", None, "Organic Search"),
            id="duckduckgo",
        ),
        pytest.param(
            "https://l.facebook.com/l.php",
            ("facebook", "social", None, "Organic Social"),
            id="facebook",
        ),
        pytest.param(
            "https://lnkd.in/x", ("linkedin", "social", None, "Organic Social"), id="lnkd-in"
        ),
        pytest.param("https://mail.google.com/", ("gmail", "email", None, "Email"), id="gmail"),
        pytest.param(
            "https://chatgpt.com/", ("chatgpt", "referral", None, "Referral"), id="chatgpt"
        ),
        pytest.param(
            "https://blog.other.example/p",
            ("blog.other.example", "referral", None, "Referral"),
            id="blog",
        ),
    ],
)
def test_conversion_from_referrer(referrer, expected):
    result = decide(referrer=referrer)
    assert summary(result.conversion) == expected
    assert result.conversion.referrer == referrer
    assert result.conversion.at == NOW


def test_click_id_only_implies_paid_search():
    result = decide(page_url=f"{SITE}/signup?gclid=EAIaIQobChMI-AbC")
    assert summary(result.conversion) == ("google", "cpc", None, "Paid Search")
    assert result.conversion.click_id == "EAIaIQobChMI-AbC"
    assert result.conversion.click_id_param == "gclid"


def test_click_id_keeps_explicit_utm_values():
    result = decide(page_url=f"{SITE}/?utm_source=Google&utm_medium=Paid&gclid=AbC")
    assert summary(result.conversion) == ("google", "paid", None, "Paid Search")
    assert result.conversion.click_id == "AbC"


def test_fbclid_alone_is_organic_social():
    result = decide(page_url=f"{SITE}/?fbclid=IwAR0")
    assert summary(result.conversion) == ("facebook", "social", None, "Organic Social")


@pytest.mark.parametrize(
    "referrer",
    [
        pytest.param(f"{SITE}/pricing", id="own-page"),
        pytest.param("https://blog.site.example/", id="own-subdomain"),
        pytest.param("https://www.paypal.com/checkoutnow", id="paypal"),
        pytest.param("https://checkout.stripe.com/pay", id="stripe"),
        pytest.param("https://pay.partner.example/", id="site-excluded"),
    ],
)
def test_self_referral_changes_nothing(referrer):
    latest = stored("linkedin", "social", age=timedelta(days=2))
    with_latest = decide(referrer=referrer, latest=latest)
    assert summary(with_latest.conversion) == ("linkedin", "social", None, "Organic Social")

    without_browser_data = decide(referrer=referrer)
    assert without_browser_data.conversion.is_direct()
    assert without_browser_data.conversion.referrer is None


def test_page_url_campaign_wins_over_latest_touch():
    latest = stored("linkedin", "social", age=timedelta(days=2))
    result = decide(page_url=f"{SITE}/?utm_source=newsletter&utm_medium=email", latest=latest)
    assert result.conversion.source == "newsletter"


@pytest.mark.parametrize(
    ("age", "referrer", "expected_source"),
    [
        pytest.param(timedelta(days=89), None, "linkedin", id="89-days-used"),
        pytest.param(timedelta(days=90), None, "linkedin", id="90-days-used"),
        pytest.param(timedelta(days=91), None, "(direct)", id="91-days-falls-to-direct"),
        pytest.param(
            timedelta(days=91), "https://www.bing.com/", "bing", id="91-days-falls-to-referrer"
        ),
        pytest.param(
            timedelta(days=89), "https://www.bing.com/", "linkedin", id="latest-wins-over-referrer"
        ),
    ],
)
def test_lookback_window(age, referrer, expected_source):
    latest = stored("linkedin", "social", age=age)
    result = decide(referrer=referrer, latest=latest)
    assert result.conversion.source == expected_source


def test_lookback_is_per_site():
    rules = SiteRules(domains=("site.example",), lookback=timedelta(days=7))
    result = decide_attribution(
        page_url=f"{SITE}/",
        referrer=None,
        first_touch_raw=None,
        latest_touch_raw=stored("linkedin", "social", age=timedelta(days=8)),
        history_raw=None,
        now=NOW,
        rules=rules,
    )
    assert result.conversion.is_direct()


def test_latest_touch_without_time_is_not_trusted():
    result = decide(latest={"source": "linkedin", "medium": "social"})
    assert result.conversion.is_direct()


def test_latest_touch_keeps_its_own_time():
    latest = stored("linkedin", "social", age=timedelta(days=5))
    result = decide(latest=latest)
    assert result.conversion.at == NOW - timedelta(days=5)


def test_aliases_apply_to_every_touch():
    latest = stored("LinkedIn", "Social", age=timedelta(days=5))
    first = stored("lnkd.in", "social", age=timedelta(days=50))
    result = decide(latest=latest, first=first, history=[first, latest])
    assert result.conversion.source == "linkedin"
    assert result.first_touch.source == "linkedin"
    assert [touch.source for touch in result.touch_history] == ["linkedin", "linkedin"]


def test_history_keeps_order_drops_invalid_and_self_referrals_and_caps():
    valid = [stored(f"source{number}", "referral") for number in range(12)]
    self_referral = stored(referrer=f"{SITE}/pricing", landing_page=f"{SITE}/signup")
    history = [valid[0], "junk", self_referral, 42, None, [1, 2], *valid[1:]]
    result = decide(history=history)
    assert len(result.touch_history) == MAX_HISTORY
    assert [touch.source for touch in result.touch_history] == [
        f"source{number}" for number in range(2, 12)
    ]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("linkedin", id="string"),
        pytest.param(["linkedin", "social"], id="list"),
        pytest.param(42, id="number"),
        pytest.param(3.5, id="float"),
        pytest.param(True, id="bool"),
        pytest.param({}, id="empty-dict"),
        pytest.param({"source": ["a"], "medium": {"b": 1}, "at": "yesterday"}, id="wrong-types"),
        pytest.param({"source": "x" * 1_000_000, "at": 10**30}, id="huge"),
        pytest.param({"source": "linkedin", "at": float("nan")}, id="nan-time"),
        pytest.param({"source": "linkedin", "at": "9999-12-31T23:59:59+14:00"}, id="far-future"),
        pytest.param({"source": "linkedin", "at": -(10**20)}, id="negative-time"),
        pytest.param({"source": None, "referrer": 12, "landing_page": b"x"}, id="bytes"),
        pytest.param({"\x00": "\x00", "click_id": "\u202e"}, id="control-only"),
    ],
)
def test_malformed_browser_payloads_never_raise(payload):
    result = decide(first=payload, latest=payload, history=payload, referrer=payload)
    assert isinstance(result, Attribution)
    assert result.conversion.source is not None
    assert result.conversion.channel is not None
    assert result.first_touch.source is not None
    assert all(len(touch.source or "") <= 255 for touch in result.touch_history)


def test_huge_values_are_capped():
    touch = browser_touch({"source": "s" * 100_000, "landing_page": "u" * 100_000}, RULES, now=NOW)
    assert len(touch.source) == 255
    assert len(touch.landing_page) == 2000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            {"source": "Google", "medium": "CPC"},
            ("google", "cpc", None, "Paid Search"),
            id="explicit",
        ),
        pytest.param(
            {"click_id": "Ab", "click_id_param": "gclid"},
            ("google", "cpc", None, "Paid Search"),
            id="click-id-implies",
        ),
        pytest.param(
            {"referrer": "https://www.google.de/"},
            ("google", "organic", None, "Organic Search"),
            id="referrer-classified",
        ),
        pytest.param(
            {"landing_page": f"{SITE}/"},
            ("(direct)", "(none)", None, "Direct"),
            id="landing-page-only-is-direct",
        ),
        pytest.param(
            {"source": "(direct)", "referrer": f"{SITE}/x"},
            ("(direct)", "(none)", None, "Direct"),
            id="explicit-direct-kept",
        ),
        pytest.param(
            {"landing_page": f"{SITE}/?utm_source=bing&utm_medium=cpc"},
            ("bing", "cpc", None, "Paid Search"),
            id="campaign-read-from-landing-page",
        ),
        pytest.param(
            {"source": "newsletter", "medium": "email", "unknown": "ignored"},
            ("newsletter", "email", None, "Email"),
            id="unknown-keys-ignored",
        ),
    ],
)
def test_browser_touch(raw, expected):
    assert summary(browser_touch(raw, RULES, now=NOW)) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(None, id="none"),
        pytest.param({}, id="empty"),
        pytest.param({"referrer": f"{SITE}/pricing"}, id="own-referrer"),
        pytest.param({"referrer": "https://checkout.stripe.com/"}, id="excluded-referrer"),
        pytest.param({"source": "site.example", "medium": "referral"}, id="own-domain-source"),
        pytest.param({"source": "paypal.com", "medium": "referral"}, id="excluded-source"),
        pytest.param(
            {
                "source": "www.paypal.com",
                "medium": "referral",
                "referrer": "https://www.paypal.com/",
            },
            id="derived-from-excluded",
        ),
    ],
)
def test_browser_touch_that_is_no_touch(raw):
    assert browser_touch(raw, RULES, now=NOW) is None


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param("2025-09-30T10:00:00Z", datetime(2025, 9, 30, 10, tzinfo=UTC), id="iso-z"),
        pytest.param(
            "2025-09-30T12:00:00+02:00", datetime(2025, 9, 30, 10, tzinfo=UTC), id="iso-offset"
        ),
        pytest.param("2025-09-30T10:00:00", datetime(2025, 9, 30, 10, tzinfo=UTC), id="naive"),
        pytest.param(
            epoch_ms(datetime(2025, 9, 30, 10, tzinfo=UTC)),
            datetime(2025, 9, 30, 10, tzinfo=UTC),
            id="epoch-ms",
        ),
        pytest.param(
            str(epoch_ms(datetime(2025, 9, 30, 10, tzinfo=UTC))),
            datetime(2025, 9, 30, 10, tzinfo=UTC),
            id="epoch-ms-text",
        ),
        pytest.param(
            int(datetime(2025, 9, 30, 10, tzinfo=UTC).timestamp()),
            datetime(2025, 9, 30, 10, tzinfo=UTC),
            id="epoch-seconds",
        ),
        pytest.param(
            epoch_ms(NOW + timedelta(hours=20)),
            NOW + timedelta(hours=20),
            id="slightly-ahead-clock",
        ),
        pytest.param(epoch_ms(NOW + timedelta(days=2)), None, id="future"),
        pytest.param("1999-12-31T00:00:00Z", None, id="too-old"),
        pytest.param("not a date", None, id="garbage"),
        pytest.param(None, None, id="missing"),
        pytest.param(True, None, id="bool"),
    ],
)
def test_browser_touch_time(at, expected):
    assert browser_touch({"source": "google", "at": at}, RULES, now=NOW).at == expected


def test_touch_from_visit():
    url = f"{SITE}/?utm_source=LinkedIn&utm_medium=paid_social"
    touch = touch_from_visit(url, "https://www.linkedin.com/", NOW, RULES)
    assert summary(touch) == ("linkedin", "paid_social", None, "Paid Social")
    assert touch.referrer == "https://www.linkedin.com/"
    assert touch.at == NOW
    assert touch_from_visit(f"{SITE}/", f"{SITE}/about", NOW, RULES) is None
    assert touch_from_visit(f"{SITE}/", None, NOW, RULES) is None
    own_referrer = touch_from_visit(f"{SITE}/?utm_source=x", f"{SITE}/a", NOW, RULES)
    assert own_referrer.referrer is None


def test_lower_case_switch_off_keeps_case_but_aliases_still_apply():
    rules = SiteRules(domains=("site.example",), lowercase=False, aliases={"lnkd.in": "LinkedIn"})
    result = decide_attribution(
        page_url=f"{SITE}/?utm_source=lnkd.in&utm_medium=Social&utm_campaign=Q4_Launch",
        referrer=None,
        first_touch_raw=None,
        latest_touch_raw=None,
        history_raw=None,
        now=NOW,
        rules=rules,
    )
    assert summary(result.conversion) == ("LinkedIn", "Social", "Q4_Launch", "Organic Social")


def test_direct_touch():
    touch = direct_touch(f"{SITE}/", NOW)
    assert summary(touch) == ("(direct)", "(none)", None, "Direct")
    assert touch.is_direct()
    assert touch.at == NOW


def test_attribution_as_dict():
    result = decide(page_url=f"{SITE}/?utm_source=google&utm_medium=cpc")
    as_dict = result.as_dict()
    assert as_dict["conversion"]["source"] == "google"
    assert as_dict["conversion"]["at"] == NOW.isoformat()
    assert as_dict["touch_history"] == []


def test_excluded_latest_touch_falls_back_to_the_history():
    """A return from a gateway the script did not know of keeps the campaign before it."""
    campaign = stored("linkedin", "paid_social", "launch", age=timedelta(days=2))
    gateway = stored(referrer="https://secure.worldpay.com/pay", age=timedelta(minutes=5),
                     landing_page=f"{SITE}/checkout/done")
    result = decide(latest=gateway, history=[campaign, gateway])
    assert summary(result.conversion) == ("linkedin", "paid_social", "launch", "Paid Social")
    assert [touch.source for touch in result.touch_history] == ["linkedin"]


def test_history_fallback_respects_the_lookback_window():
    """An old history touch does not become the conversion."""
    old = stored("linkedin", "paid_social", "launch", age=timedelta(days=120))
    gateway = stored(referrer="https://www.paypal.com/", age=timedelta(minutes=5))
    assert decide(latest=gateway, history=[old, gateway]).conversion.is_direct()
