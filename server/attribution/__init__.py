"""Attribution rules: which touch a submission, a contact and a company get (no Flask, no DB)."""

from .channels import CHANNELS, channel_for
from .merge import (
    MAX_HISTORY,
    Attribution,
    browser_touch,
    decide_attribution,
    direct_touch,
    touch_from_visit,
)
from .normalise import (
    MAX_URL_LENGTH,
    MAX_UTM_LENGTH,
    alias_key,
    clean_text,
    is_sentinel,
    normalise_company_name,
    normalise_email,
    normalise_touch,
    normalise_value,
)
from .referrers import classify_referrer, source_category
from .touch import (
    CLICK_ID_IMPLIED,
    CLICK_ID_PARAMS,
    DEFAULT_EXCLUDED_DOMAINS,
    DIRECT_MEDIUM,
    DIRECT_SOURCE,
    SCRIPT_EXCLUDED_DOMAINS,
    SiteRules,
    Touch,
)
from .urls import domain_matches, hostname_of, is_own_or_excluded, parse_landing_url

__all__ = [
    "CHANNELS",
    "CLICK_ID_IMPLIED",
    "CLICK_ID_PARAMS",
    "DEFAULT_EXCLUDED_DOMAINS",
    "SCRIPT_EXCLUDED_DOMAINS",
    "DIRECT_MEDIUM",
    "DIRECT_SOURCE",
    "MAX_HISTORY",
    "MAX_URL_LENGTH",
    "MAX_UTM_LENGTH",
    "Attribution",
    "SiteRules",
    "Touch",
    "alias_key",
    "browser_touch",
    "channel_for",
    "classify_referrer",
    "clean_text",
    "decide_attribution",
    "direct_touch",
    "domain_matches",
    "hostname_of",
    "is_own_or_excluded",
    "is_sentinel",
    "normalise_company_name",
    "normalise_email",
    "normalise_touch",
    "normalise_value",
    "parse_landing_url",
    "source_category",
    "touch_from_visit",
]
