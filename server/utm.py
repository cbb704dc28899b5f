"""Campaign links with consistent names: the rules of the UTM builder (no Flask, no database).

Naming rules, applied to every value before it goes into a link:

- trimmed and lower case, so "LinkedIn" and "linkedin" never split one source into two rows;
- runs of white space become one ``_`` ("Webinar Sept" -> "webinar_sept"); ``-``, ``_`` and
  ``.`` typed on purpose stay as they are;
- source and medium come from the controlled lists below, chosen so a link lands in the
  channel the marketer meant (``server.attribution.channel_for`` decides, as for real visits);
- campaign, term and content are free, but a value that looks like an earlier one
  ("Webinar-Sept" after "webinar_sept") gets a warning that names the earlier value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from server.attribution import MAX_UTM_LENGTH, channel_for, clean_text

PARTS = ("source", "medium", "campaign", "term", "content")
REQUIRED_PARTS = ("source", "medium", "campaign")
FREE_PARTS = ("campaign", "term", "content")

# Sources the channel grouping knows by name (search, social and video sites), and a few
# generic ones whose channel then comes from the medium (newsletter + email = Email).
SOURCES: tuple[str, ...] = (
    "google", "bing", "duckduckgo", "linkedin", "facebook", "instagram", "twitter",
    "youtube", "tiktok", "reddit", "pinterest", "newsletter", "partner", "event", "podcast",
    "sms",
)
# Media with their meaning in the channel grouping (cpc with a search source = Paid Search,
# with a social source = Paid Social; paid_social likewise; social = Organic Social).
MEDIA: tuple[str, ...] = (
    "cpc", "paid_social", "paid_video", "social", "email", "display", "affiliate",
    "referral", "video", "organic", "audio", "sms",
)

NEAR_DUPLICATE_RATIO = 0.85
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def normalise(value: str | None) -> str:
    """A value as it goes into a link: trimmed, lower case, white space runs as one ``_``."""
    # Cleaned as ingestion cleans what it receives (control and zero-width characters go), so
    # the saved link's values are the ones its visits will be recorded with.
    text = clean_text(value, MAX_UTM_LENGTH) or ""
    return text.lower().replace(" ", "_")[:MAX_UTM_LENGTH]


def comparison_key(value: str) -> str:
    """What two values are compared on: case, white space and punctuation do not count."""
    return _NOT_ALPHANUMERIC.sub("", value.casefold())


def is_near_duplicate(value: str, earlier: str, ratio: float = NEAR_DUPLICATE_RATIO) -> bool:
    """True when ``value`` looks like a misspelt ``earlier`` (but is not the same value)."""
    if normalise(value) == normalise(earlier):
        return False
    key, earlier_key = comparison_key(value), comparison_key(earlier)
    if not key or not earlier_key:
        return False
    if key == earlier_key:
        return True
    # spring_2024 after spring_2025 is a new campaign, not a typo: numbers are meant.
    if _DIGITS.sub("", key) == _DIGITS.sub("", earlier_key):
        return False
    matcher = SequenceMatcher(None, key, earlier_key)
    # The quick upper bounds rule out most of a long list of earlier values cheaply.
    return (matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio
            and matcher.ratio() >= ratio)


def near_duplicates(value: str, earlier_values: Iterable[str | None], limit: int = 3) -> list[str]:
    """Earlier values that ``value`` looks like, closest first; none when it is one of them."""
    value = normalise(value)
    candidates = {earlier for earlier in earlier_values if earlier}
    if not value or any(normalise(earlier) == value for earlier in candidates):
        return []
    key = comparison_key(value)
    found = [earlier for earlier in candidates if is_near_duplicate(value, earlier)]
    found.sort(key=lambda earlier: (-SequenceMatcher(None, key, comparison_key(earlier)).ratio(),
                                    earlier))
    return found[:limit]


def build_url(page_url: str, values: dict[str, str]) -> str:
    """``page_url`` with the non-empty utm_* values set; its other parameters are kept."""
    parts = urlsplit(page_url.strip())
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not key.lower().startswith("utm_")]
    query += [(f"utm_{name}", values[name]) for name in PARTS if values.get(name)]
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass
class LinkCheck:
    """The outcome of checking a link's values: the cleaned values, errors and warnings."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    # part -> earlier values the typed one looks like
    warnings: dict[str, list[str]] = field(default_factory=dict)
    url: str | None = None
    channel: str | None = None


def check_link(
    page_url: str,
    typed: dict[str, str | None],
    earlier_values: dict[str, Iterable[str | None]] | None = None,
    sources: Iterable[str] = SOURCES,
    media: Iterable[str] = MEDIA,
) -> LinkCheck:
    """Clean the typed values, refuse what breaks the rules, warn about near-duplicates.

    ``page_url`` must already be a valid http(s) URL (``server.validation.clean_redirect_url``).
    ``earlier_values`` maps a part to the values used before (saved links, recorded touches).
    """
    earlier_values = earlier_values or {}
    values = {name: normalise(typed.get(name)) for name in PARTS}
    check = LinkCheck(values=values)
    for name, allowed in (("source", tuple(sources)), ("medium", tuple(media))):
        if values[name] and values[name] not in allowed:
            close = near_duplicates(values[name], allowed, limit=1)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            check.errors[name] = f"Pick a {name} from the list.{hint}"
    for name in REQUIRED_PARTS:
        if not values[name]:
            check.errors[name] = f"A {name} is needed."
    for name in FREE_PARTS:
        similar = near_duplicates(values[name], earlier_values.get(name, ()))
        if similar:
            check.warnings[name] = similar
    if not check.errors:
        check.url = build_url(page_url, values)
        check.channel = channel_for(values["source"], values["medium"], values["campaign"])
    return check
