"""Channel grouping in the style of GA4's default channel group.

The rules and their order follow Google's published definition ("[GA4] Default channel group"),
with the category lists of search, social, video and shopping sites taken from referrers.json.
GA4 splits video into "Organic Video" and "Paid Video"; the spec's "Video" is those two.
AI assistants are "Referral", as in GA4, so numbers stay comparable with a site's GA4 reports;
their source names (chatgpt, perplexity, ...) keep them visible in source reports.
"""

from __future__ import annotations

import re

from .referrers import EMAIL, SEARCH, SHOPPING, SOCIAL, VIDEO, site_for_source
from .touch import CLICK_ID_IMPLIED, DIRECT_MEDIUM, DIRECT_SOURCE, NOT_SET

DIRECT = "Direct"
CROSS_NETWORK = "Cross-network"
PAID_SHOPPING = "Paid Shopping"
PAID_SEARCH = "Paid Search"
PAID_SOCIAL = "Paid Social"
PAID_VIDEO = "Paid Video"
DISPLAY = "Display"
PAID_OTHER = "Paid Other"
ORGANIC_SHOPPING = "Organic Shopping"
ORGANIC_SOCIAL = "Organic Social"
ORGANIC_VIDEO = "Organic Video"
ORGANIC_SEARCH = "Organic Search"
REFERRAL = "Referral"
EMAIL_CHANNEL = "Email"
AFFILIATES = "Affiliates"
AUDIO = "Audio"
SMS = "SMS"
MOBILE_PUSH = "Mobile Push Notifications"
UNASSIGNED = "Unassigned"

# In GA4's rule order: the first rule that matches decides the channel.
CHANNELS: tuple[str, ...] = (
    DIRECT,
    CROSS_NETWORK,
    PAID_SHOPPING,
    PAID_SEARCH,
    PAID_SOCIAL,
    PAID_VIDEO,
    DISPLAY,
    PAID_OTHER,
    ORGANIC_SHOPPING,
    ORGANIC_SOCIAL,
    ORGANIC_VIDEO,
    ORGANIC_SEARCH,
    REFERRAL,
    EMAIL_CHANNEL,
    AFFILIATES,
    AUDIO,
    SMS,
    MOBILE_PUSH,
    UNASSIGNED,
)

_PAID_MEDIUM = re.compile(r"^(.*cp.*|ppc|retargeting|paid.*)$")
_SHOPPING_CAMPAIGN = re.compile(r"^(.*(([^a-df-z]|^)shop|shopping).*)$")
_VIDEO_MEDIUM = re.compile(r"^(.*video.*)$")
_DISPLAY_MEDIUMS = frozenset({"display", "banner", "expandable", "interstitial", "cpm"})
_SOCIAL_MEDIUMS = frozenset(
    {"social", "social-network", "social-media", "sm", "social network", "social media"}
)
_EMAIL_VALUES = frozenset({"email", "e-mail", "e_mail", "e mail"})
_REFERRAL_MEDIUMS = frozenset({"referral", "app", "link"})
_DIRECT_MEDIUMS = frozenset({DIRECT_MEDIUM, NOT_SET, ""})


def _lower(value: str | None) -> str:
    """Return value stripped and lower-cased, "" for None (GA4 matches ignore case)."""
    return value.strip().lower() if isinstance(value, str) else ""


def channel_for(
    source: str | None,
    medium: str | None,
    campaign: str | None = None,
    click_id_param: str | None = None,
) -> str:
    """Return the GA4-style default channel group of a touch."""
    source_text = _lower(source)
    medium_text = _lower(medium)
    campaign_text = _lower(campaign)

    # a click id stands in for the utm values the ad platform did not add
    implied = CLICK_ID_IMPLIED.get(_lower(click_id_param))
    if implied is not None:
        if not source_text:
            source_text = implied[0]
        if not medium_text or medium_text == NOT_SET:
            medium_text = implied[1]

    site = site_for_source(source_text)
    category = site.category if site else None
    if site is not None and (not medium_text or medium_text == NOT_SET):
        # utm_source=gmail with no medium: the data set knows what kind of site it is
        medium_text = site.medium

    paid = bool(_PAID_MEDIUM.match(medium_text))
    shopping_campaign = bool(_SHOPPING_CAMPAIGN.match(campaign_text))

    if source_text == DIRECT_SOURCE and medium_text in _DIRECT_MEDIUMS:
        return DIRECT
    if "cross-network" in campaign_text:
        return CROSS_NETWORK
    if paid and (category == SHOPPING or shopping_campaign):
        return PAID_SHOPPING
    if paid and category == SEARCH:
        return PAID_SEARCH
    if paid and category == SOCIAL:
        return PAID_SOCIAL
    if paid and category == VIDEO:
        return PAID_VIDEO
    if medium_text in _DISPLAY_MEDIUMS:
        return DISPLAY
    if paid:
        return PAID_OTHER
    if category == SHOPPING or shopping_campaign:
        return ORGANIC_SHOPPING
    if category == SOCIAL or medium_text in _SOCIAL_MEDIUMS:
        return ORGANIC_SOCIAL
    if category == VIDEO or _VIDEO_MEDIUM.match(medium_text):
        return ORGANIC_VIDEO
    if category == SEARCH or medium_text == "organic":
        return ORGANIC_SEARCH
    if medium_text in _REFERRAL_MEDIUMS:
        return REFERRAL
    if source_text in _EMAIL_VALUES or medium_text in _EMAIL_VALUES or category == EMAIL:
        return EMAIL_CHANNEL
    if medium_text == "affiliate":
        return AFFILIATES
    if medium_text == "audio":
        return AUDIO
    if source_text == "sms" or medium_text == "sms":
        return SMS
    if (
        medium_text.endswith("push")
        or "mobile" in medium_text
        or "notification" in medium_text
        or source_text == "firebase"
    ):
        return MOBILE_PUSH
    return UNASSIGNED
