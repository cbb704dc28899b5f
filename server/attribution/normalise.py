"""Cleaning of untrusted text: touch values, e-mail addresses and company names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

from .touch import DIRECT_MEDIUM, DIRECT_SOURCE, NOT_SET, SiteRules, Touch

MAX_UTM_LENGTH = 255
MAX_URL_LENGTH = 2000
MAX_CLICK_ID_LENGTH = 255
MAX_EMAIL_LENGTH = 320
MAX_COMPANY_NAME_LENGTH = 200
MAX_CLICK_ID_PARAM_LENGTH = 32

# Values that mean "nothing" in GA4's vocabulary; an alias table must not rename them.
_SENTINELS = frozenset({DIRECT_SOURCE, DIRECT_MEDIUM, NOT_SET})

# Control characters that separate words become spaces so "a\tb" stays two words.
_SPACE_LIKE = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_ASCII_SPACE_CONTROL = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f]")


def _strip_invisible(text: str) -> str:
    """Remove control, format (zero-width, bidi override) and surrogate characters."""
    if text.isascii():
        return _ASCII_CONTROL.sub("", _ASCII_SPACE_CONTROL.sub(" ", text))
    kept = []
    for character in text:
        if character in _SPACE_LIKE:
            kept.append(" ")
        elif unicodedata.category(character) not in ("Cc", "Cf", "Cs"):
            kept.append(character)
    return "".join(kept)


def clean_text(value: object, max_length: int) -> str | None:
    """Make untrusted text safe to store: no control characters, single spaces, capped."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    # a generous pre-cut bounds the work on huge inputs; cleaning only ever shortens text
    text = text[: max_length * 4 + 64]
    text = " ".join(_strip_invisible(text).split())
    text = text[:max_length].strip()
    return text or None


def normalise_value(value: object, rules: SiteRules) -> str | None:
    """Clean a source/medium/campaign/term/content value, map its alias, lower-case it."""
    text = clean_text(value, MAX_UTM_LENGTH)
    if text is None:
        return None
    if is_sentinel(text):
        return text.lower()
    canonical = _alias_for(text, rules)
    if canonical is not None:
        text = canonical
    return text.lower() if rules.lowercase else text


def alias_key(value: object) -> str | None:
    """What an alias row's raw value matches on: the cleaned text, case folded."""
    text = clean_text(value, MAX_UTM_LENGTH)
    return text.casefold() if text is not None else None


def is_sentinel(text: str) -> bool:
    """True for "(direct)", "(none)" and "(not set)", which an alias table never renames."""
    return text.lower() in _SENTINELS


def _alias_for(text: str, rules: SiteRules) -> str | None:
    """Return the canonical value an alias table gives for text (keys match any case)."""
    if not rules.aliases:
        return None
    wanted = alias_key(text)
    for raw, canonical in rules.aliases.items():
        if alias_key(raw) == wanted:
            return clean_text(canonical, MAX_UTM_LENGTH)
    return None


def normalise_at(value: object) -> datetime | None:
    """Return a timezone-aware UTC datetime; a naive one is taken to be UTC already."""
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalise_touch(touch: Touch, rules: SiteRules) -> Touch:
    """Clean every value of a touch with the site's rules and give it a channel."""
    # imported here because channels loads the referrer data set, which imports this module
    from .channels import channel_for

    click_id_param = clean_text(touch.click_id_param, MAX_CLICK_ID_PARAM_LENGTH)
    normalised = replace(
        touch,
        source=normalise_value(touch.source, rules),
        medium=normalise_value(touch.medium, rules),
        campaign=normalise_value(touch.campaign, rules),
        term=normalise_value(touch.term, rules),
        content=normalise_value(touch.content, rules),
        # click ids are case-sensitive tokens: lower-casing one would break the ad platform's match
        click_id=clean_text(touch.click_id, MAX_CLICK_ID_LENGTH),
        click_id_param=click_id_param.lower() if click_id_param else None,
        landing_page=clean_text(touch.landing_page, MAX_URL_LENGTH),
        referrer=clean_text(touch.referrer, MAX_URL_LENGTH),
        at=normalise_at(touch.at),
    )
    channel = channel_for(
        normalised.source, normalised.medium, normalised.campaign, normalised.click_id_param
    )
    return replace(normalised, channel=channel)


def normalise_email(value: object) -> str | None:
    """Trim and lower-case an e-mail address so one person is one contact."""
    if not isinstance(value, str):
        return None
    text = clean_text(value, MAX_EMAIL_LENGTH)
    return text.lower() if text else None


# Legal-form words that do not make a company different: "Acme AB" is "Acme".
_LEGAL_SUFFIXES = frozenset(
    (
        # Nordic
        "ab publ hb kb oy oyj as asa aps amba ehf hf "
        # German, Dutch, Belgian, Swiss
        "ag gmbh mbh kg ug ohg ev nv bv vof sarl "
        # French, Spanish, Italian, Portuguese
        "sa sas sasu srl spa sl slu lda ltda "
        # English-speaking and Asian
        "inc incorporated corp corporation co company ltd limited llc llp lp plc pty pte pvt "
        "kk bhd sdn "
        # European company, Central and Eastern Europe
        "se sro doo kft zrt nyrt"
    ).split()
)
# "AB Volvo" is how Swedish companies often write their own name: the same company as "Volvo AB".
_LEGAL_PREFIXES = frozenset({"ab", "oy", "as"})
# Dots and slashes join the letters of an abbreviation ("S.A.", "A/S"); other punctuation
# (including "&") splits words.
_JOINERS = str.maketrans("", "", ".'’/")


def normalise_company_name(value: object) -> str | None:
    """Reduce a company name to a key for uniqueness: case, accents, punctuation, legal form."""
    if not isinstance(value, str):
        return None
    text = clean_text(value, MAX_COMPANY_NAME_LENGTH)
    if text is None:
        return None
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(character for character in text if unicodedata.category(character) != "Mn")
    text = text.translate(_JOINERS)
    text = "".join(character if character.isalnum() else " " for character in text)
    words = text.split()
    # keep at least one word: a company called "Limited" is still a company
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0] in _LEGAL_PREFIXES:
        words.pop(0)
    return " ".join(words) or None
