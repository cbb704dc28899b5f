"""Reading touches out of landing-page URLs and recognising the site's own referrers."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from .normalise import MAX_CLICK_ID_LENGTH, MAX_URL_LENGTH, MAX_UTM_LENGTH, clean_text
from .touch import CLICK_ID_PARAMS, SiteRules, Touch

UTM_FIELDS = ("source", "medium", "campaign", "term", "content")

# A URL longer than this is cut before parsing: no real campaign link comes close, and the cut
# bounds the work an attacker can cause with one request.
_MAX_PARSED_URL_LENGTH = 16_000
_MAX_QUERY_FIELDS = 200


def _query_pairs(url: str) -> list[tuple[str, str]]:
    """Return the query parameters of url, then those in its fragment (for hash-routed pages)."""
    try:
        parts = urlsplit(url)
        query, fragment = parts.query, parts.fragment
    except ValueError:
        # urlsplit rejects e.g. an unbalanced "[" in the host; the query may still be readable
        _, _, rest = url.partition("?")
        query, _, fragment = rest.partition("#")
    # single-page apps put parameters after "#", sometimes as "#/path?utm_source=..."
    if "?" in fragment:
        fragment = fragment.split("?", 1)[1]
    pairs: list[tuple[str, str]] = []
    for text in (query, fragment if "=" in fragment else ""):
        try:
            pairs.extend(parse_qsl(text, max_num_fields=_MAX_QUERY_FIELDS))
        except ValueError:
            # too many fields: read the first ones only
            pieces = "&".join(text.split("&")[:_MAX_QUERY_FIELDS])
            pairs.extend(parse_qsl(pieces))
    return pairs


def parse_landing_url(url: str | None) -> Touch | None:
    """Read the utm_* values and the first click id of a landing-page URL, or None if none."""
    if not isinstance(url, str) or not url:
        return None
    text = url[:_MAX_PARSED_URL_LENGTH]
    values: dict[str, str] = {}
    click_ids: dict[str, str] = {}
    for raw_name, raw_value in _query_pairs(text):
        name = raw_name.strip().lower()
        if name.startswith("utm_") and name[4:] in UTM_FIELDS:
            target, key, limit = values, name[4:], MAX_UTM_LENGTH
        elif name in CLICK_ID_PARAMS:
            target, key, limit = click_ids, name, MAX_CLICK_ID_LENGTH
        else:
            continue
        # the first non-empty value wins: a repeated parameter is usually a glued-on copy
        value = clean_text(raw_value, limit)
        if value is not None and key not in target:
            target[key] = value
    # with several click ids, the order of CLICK_ID_PARAMS decides, as in the browser script
    click_id_param = next((name for name in CLICK_ID_PARAMS if name in click_ids), None)
    click_id = click_ids.get(click_id_param) if click_id_param else None
    if not values and click_id is None:
        return None
    return Touch(
        **values,
        click_id=click_id,
        click_id_param=click_id_param,
        landing_page=clean_text(text, MAX_URL_LENGTH),
    )


def _valid_host(host: str) -> bool:
    """Tell whether host looks like a host name or an IP address, not garbage."""
    if not host or len(host) > 253:
        return False
    if ":" in host:
        # an IPv6 literal, already unbracketed by urlsplit
        return all(character in "0123456789abcdef:." for character in host)
    labels = host.split(".")
    return all(
        label and len(label) <= 63 and all(c.isalnum() or c in "-_" for c in label)
        for label in labels
    )


def hostname_of(url: object) -> str | None:
    """Return the lower-cased host name of a URL (no port, "www." kept), or None."""
    if not isinstance(url, str):
        return None
    text = clean_text(url, MAX_URL_LENGTH)
    if text is None or " " in text:
        return None
    bare = "://" not in text and not text.startswith("//")
    if bare:
        # a referrer without a scheme ("www.google.com/") is still a host name
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    if bare and "." not in host:
        return None
    return host if _valid_host(host) else None


def domain_matches(host: str, domain: str) -> bool:
    """Tell whether host is domain or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


def is_own_or_excluded(referrer_url: object, rules: SiteRules) -> bool:
    """Tell whether a referrer is the site itself or an excluded domain (a payment, a log-in)."""
    host = hostname_of(referrer_url)
    if host is None:
        return False
    return any(domain_matches(host, domain) for domain in rules.all_excluded_domains())
