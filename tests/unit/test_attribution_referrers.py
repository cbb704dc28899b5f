"""Referrer classification with the project's referrer data set."""

import json
from importlib import resources

import pytest

from server.attribution import classify_referrer, source_category
from server.attribution.referrers import referrer_data


@pytest.mark.parametrize(
    ("referrer", "expected"),
    [
        pytest.param("https://www.google.com/", ("google", "organic"), id="google"),
        pytest.param("https://www.google.co.uk/", ("google", "organic"), id="google-co-uk"),
        pytest.param("https://www.google.se/search?q=crm", ("google", "organic"), id="google-se"),
        pytest.param("https://google.com.au/", ("google", "organic"), id="google-com-au"),
        pytest.param(
            "https://docs.google.com/document/d/1",
            ("docs.google.com", "referral"),
            id="google-docs-is-referral",
        ),
        pytest.param(
            "https://google.evil.example.com/",
            ("google.evil.example.com", "referral"),
            id="google-lookalike",
        ),
        pytest.param("https://www.bing.com/search?q=x", ("bing", "organic"), id="bing"),
        pytest.param("https://duckduckgo.com/", ("duckduckgo", "organic"), id="duckduckgo"),
        pytest.param("https://search.yahoo.com/", ("yahoo", "organic"), id="yahoo"),
        pytest.param("https://yandex.ru/search", ("yandex", "organic"), id="yandex"),
        pytest.param("https://www.ecosia.org/", ("ecosia", "organic"), id="ecosia"),
        pytest.param("https://search.brave.com/", ("brave", "organic"), id="brave"),
        pytest.param("https://chatgpt.com/", ("chatgpt", "referral"), id="chatgpt"),
        pytest.param("https://chat.openai.com/", ("chatgpt", "referral"), id="chat-openai"),
        pytest.param("https://www.perplexity.ai/", ("perplexity", "referral"), id="perplexity"),
        pytest.param("https://gemini.google.com/app", ("gemini", "referral"), id="gemini"),
        pytest.param("https://claude.ai/chat/1", ("claude", "referral"), id="claude"),
        pytest.param("https://l.facebook.com/l.php?u=x", ("facebook", "social"), id="l-facebook"),
        pytest.param("https://m.facebook.com/", ("facebook", "social"), id="m-facebook"),
        pytest.param("https://lm.facebook.com/", ("facebook", "social"), id="lm-facebook"),
        pytest.param("https://l.instagram.com/", ("instagram", "social"), id="instagram"),
        pytest.param("https://www.linkedin.com/feed/", ("linkedin", "social"), id="linkedin"),
        pytest.param("https://lnkd.in/eAbC", ("linkedin", "social"), id="lnkd-in"),
        pytest.param("https://t.co/AbC", ("twitter", "social"), id="t-co"),
        pytest.param("https://x.com/someone", ("twitter", "social"), id="x-com"),
        pytest.param("https://out.reddit.com/", ("reddit", "social"), id="reddit"),
        pytest.param("https://www.youtube.com/", ("youtube", "referral"), id="youtube-video"),
        pytest.param("https://www.amazon.de/", ("amazon", "referral"), id="amazon-shopping"),
        pytest.param("https://mail.google.com/mail/u/0/", ("gmail", "email"), id="gmail"),
        pytest.param("https://outlook.live.com/", ("outlook", "email"), id="outlook"),
        pytest.param("https://mail.yahoo.com/", ("yahoo_mail", "email"), id="yahoo-mail"),
        pytest.param("android-app://com.google.android.gm/", ("gmail", "email"), id="gmail-app"),
        pytest.param(
            "android-app://com.example.reader/",
            ("com.example.reader", "referral"),
            id="unknown-app",
        ),
        pytest.param(
            "https://www.someblog.net/2024/post", ("someblog.net", "referral"), id="ordinary-blog"
        ),
        pytest.param("https://news.example.org/", ("news.example.org", "referral"), id="sub"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
        pytest.param("garbage", None, id="garbage"),
        pytest.param("https://", None, id="scheme-only"),
        pytest.param("::::", None, id="colons"),
        pytest.param(42, None, id="number"),
    ],
)
def test_classify_referrer(referrer, expected):
    assert classify_referrer(referrer) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("google", "search", id="google"),
        pytest.param("Google", "search", id="any-case"),
        pytest.param("www.google.de", "search", id="google-host"),
        pytest.param("fb", "social", id="fb"),
        pytest.param("ig", "social", id="ig"),
        pytest.param("x", "social", id="x"),
        pytest.param("m.facebook.com", "social", id="facebook-host"),
        pytest.param("youtube", "video", id="youtube"),
        pytest.param("amazon", "shopping", id="amazon"),
        pytest.param("gmail", "email", id="gmail"),
        pytest.param("chatgpt", "ai", id="chatgpt"),
        pytest.param("newsletter", None, id="unknown"),
        pytest.param(None, None, id="none"),
    ],
)
def test_source_category(source, expected):
    assert source_category(source) == expected


def test_data_set_declares_its_sources_and_licence():
    text = resources.files("server.attribution").joinpath("referrers.json").read_text("utf-8")
    raw = json.loads(text)
    assert "MIT" in raw["_licence"]
    assert raw["_sources"]


def test_data_set_names_are_unique_and_aliases_resolve():
    text = resources.files("server.attribution").joinpath("referrers.json").read_text("utf-8")
    raw = json.loads(text)
    names = [name for table in raw["categories"].values() for name in table["sites"]]
    assert len(names) == len(set(names))
    domains = [
        domain
        for table in raw["categories"].values()
        for site_domains in table["sites"].values()
        for domain in site_domains
    ]
    assert len(domains) == len(set(domains))
    assert set(raw["source_names"].values()) <= set(names)
    assert set(raw["android_apps"].values()) <= set(names)
    assert referrer_data() is referrer_data()
