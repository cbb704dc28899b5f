"""GA4-style default channel grouping."""

import pytest

from server.attribution import CHANNELS, channel_for


@pytest.mark.parametrize(
    ("source", "medium", "campaign", "click_id_param", "expected"),
    [
        pytest.param("(direct)", "(none)", None, None, "Direct", id="direct"),
        pytest.param("(direct)", None, None, None, "Direct", id="direct-no-medium"),
        pytest.param("google", "cpc", "cross-network-q1", None, "Cross-network", id="cross-net"),
        pytest.param("google", "cpc", "summer_shopping", None, "Paid Shopping", id="paid-shop-c"),
        pytest.param("amazon", "cpc", None, None, "Paid Shopping", id="paid-shop-source"),
        pytest.param("google", "cpc", None, None, "Paid Search", id="google-cpc"),
        pytest.param("bing", "ppc", None, None, "Paid Search", id="bing-ppc"),
        pytest.param("google", "paidsearch", None, None, "Paid Search", id="paid-prefix"),
        pytest.param(None, None, None, "gclid", "Paid Search", id="gclid-only"),
        pytest.param(None, None, None, "msclkid", "Paid Search", id="msclkid-only"),
        pytest.param("google", None, None, "gbraid", "Paid Search", id="gbraid"),
        pytest.param("linkedin", "paid_social", None, None, "Paid Social", id="linkedin-paid"),
        pytest.param("facebook", "paid_social", None, None, "Paid Social", id="facebook-paid"),
        pytest.param("fb", "cpc", None, None, "Paid Social", id="fb-cpc"),
        pytest.param(None, None, None, "li_fat_id", "Paid Social", id="li-fat-id"),
        pytest.param(None, None, None, "ttclid", "Paid Social", id="ttclid"),
        pytest.param(None, None, None, "fbclid", "Organic Social", id="fbclid-not-paid"),
        pytest.param("facebook", "cpc", None, "fbclid", "Paid Social", id="fbclid-tagged-paid"),
        pytest.param("youtube", "cpv", None, None, "Paid Video", id="youtube-cpv"),
        pytest.param("dv360", "cpm", None, None, "Display", id="cpm-display"),
        pytest.param("adnetwork", "banner", None, None, "Display", id="banner"),
        pytest.param(None, None, None, "dclid", "Display", id="dclid"),
        pytest.param("partner", "retargeting", None, None, "Paid Other", id="retargeting"),
        pytest.param("google", "cpm", None, None, "Paid Search", id="cpm-search-first"),
        pytest.param("amazon", "referral", None, None, "Organic Shopping", id="amazon-ref"),
        pytest.param("partner", "referral", "shop-launch", None, "Organic Shopping", id="shop-c"),
        pytest.param("facebook", "social", None, None, "Organic Social", id="facebook-social"),
        pytest.param("lnkd.in", "referral", None, None, "Organic Social", id="lnkd-in-ref"),
        pytest.param("mastodon-x", "sm", None, None, "Organic Social", id="social-medium"),
        pytest.param("youtube", "referral", None, None, "Organic Video", id="youtube-ref"),
        pytest.param("blog", "video", None, None, "Organic Video", id="video-medium"),
        pytest.param("google", "organic", None, None, "Organic Search", id="google-organic"),
        pytest.param("google", None, None, None, "Organic Search", id="google-no-medium"),
        pytest.param("ecosia", "referral", None, None, "Organic Search", id="search-list"),
        pytest.param("someblog.net", "referral", None, None, "Referral", id="referral"),
        pytest.param("chatgpt", "referral", None, None, "Referral", id="ai-is-referral"),
        pytest.param("partner", "app", None, None, "Referral", id="app"),
        pytest.param("newsletter", "email", None, None, "Email", id="newsletter-email"),
        pytest.param("newsletter", "E-Mail", None, None, "Email", id="e-mail-case"),
        pytest.param("email", "blast", None, None, "Email", id="email-source"),
        pytest.param("gmail", "email", None, None, "Email", id="gmail"),
        pytest.param("gmail", None, None, None, "Email", id="webmail-no-medium"),
        pytest.param("awin", "affiliate", None, None, "Affiliates", id="affiliate"),
        pytest.param(None, None, None, "irclickid", "Affiliates", id="irclickid"),
        pytest.param("spotify", "audio", None, None, "Audio", id="audio"),
        pytest.param("sms", "text", None, None, "SMS", id="sms"),
        pytest.param("app", "web-push", None, None, "Mobile Push Notifications", id="push"),
        pytest.param("firebase", "x", None, None, "Mobile Push Notifications", id="firebase"),
        pytest.param("newsletter", None, None, None, "Unassigned", id="source-only-unknown"),
        pytest.param(None, None, None, None, "Unassigned", id="nothing"),
        pytest.param("print", "qr", None, None, "Unassigned", id="unknown-medium"),
    ],
)
def test_channel_for(source, medium, campaign, click_id_param, expected):
    assert channel_for(source, medium, campaign, click_id_param) == expected


def test_channels_follow_ga4_order_and_cover_the_spec():
    assert CHANNELS[0] == "Direct"
    assert CHANNELS[-1] == "Unassigned"
    spec_channels = {"Organic Search", "Paid Search", "Organic Social", "Paid Social", "Email"}
    spec_channels |= {"Referral", "Affiliates", "Display", "Organic Video", "Paid Video"}
    assert spec_channels <= set(CHANNELS)
    assert CHANNELS.index("Paid Search") < CHANNELS.index("Display") < CHANNELS.index("Referral")
