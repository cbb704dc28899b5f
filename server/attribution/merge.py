"""Deciding the touches of a form submission from the page, the referrer and the browser."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from .normalise import MAX_URL_LENGTH, clean_text, normalise_at, normalise_touch
from .referrers import classify_referrer
from .touch import CLICK_ID_IMPLIED, DIRECT_MEDIUM, DIRECT_SOURCE, SiteRules, Touch
from .urls import hostname_of, is_own_or_excluded, parse_landing_url

MAX_HISTORY = 10
# More than this many raw history entries is not a browser's doing; read only the newest ones.
_MAX_RAW_HISTORY = 100
# Browser clocks drift; a touch further ahead than this is a bad clock or a forged payload.
_FUTURE_TOLERANCE = timedelta(days=1)
# Before this, a timestamp is a unit mistake or garbage, not a visit.
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_TEXT_KEYS = (
    "source",
    "medium",
    "campaign",
    "term",
    "content",
    "click_id",
    "click_id_param",
    "landing_page",
    "referrer",
)


@dataclass(frozen=True)
class Attribution:
    """The touches of one form submission."""

    conversion: Touch
    first_touch: Touch
    touch_history: tuple[Touch, ...]

    @property
    def lead_creation(self) -> Touch:
        """Return the lead-creation touch of a contact this submission creates: its conversion."""
        return self.conversion

    @property
    def company_source(self) -> Touch:
        """Return the source of a company this submission creates: its conversion."""
        return self.conversion

    def as_dict(self) -> dict:
        """Return the attribution as JSON-friendly dicts."""
        return {
            "conversion": self.conversion.as_dict(),
            "first_touch": self.first_touch.as_dict(),
            "touch_history": [touch.as_dict() for touch in self.touch_history],
        }


def _utc_now(now: datetime | None) -> datetime:
    """Return now as an aware UTC datetime, the current time when not given."""
    return normalise_at(now) or datetime.now(UTC)


def _with_implied_source(touch: Touch) -> Touch:
    """Fill source and medium from the click id when no utm_source came with it."""
    implied = CLICK_ID_IMPLIED.get((touch.click_id_param or "").lower())
    if implied is None or touch.source:
        return touch
    return replace(touch, source=implied[0], medium=touch.medium or implied[1])


def _external_referrer(referrer: object, rules: SiteRules) -> str | None:
    """Return the referrer when it is another site's, None for the site's own or excluded."""
    if not isinstance(referrer, str) or is_own_or_excluded(referrer, rules):
        return None
    return clean_text(referrer, MAX_URL_LENGTH)


def direct_touch(landing_page: object, at: datetime | None) -> Touch:
    """Return a direct touch: (direct) / (none), channel Direct."""
    return Touch(
        source=DIRECT_SOURCE,
        medium=DIRECT_MEDIUM,
        landing_page=clean_text(landing_page, MAX_URL_LENGTH),
        at=normalise_at(at),
        channel="Direct",
    )


def touch_from_visit(
    page_url: object, referrer: object, at: datetime | None, rules: SiteRules
) -> Touch | None:
    """Return the touch of a page view from its URL or referrer, None when it brings none."""
    landing_page = page_url if isinstance(page_url, str) else None
    from_url = parse_landing_url(landing_page)
    if from_url is not None:
        touch = replace(
            _with_implied_source(from_url), referrer=_external_referrer(referrer, rules), at=at
        )
        return normalise_touch(touch, rules)
    external = _external_referrer(referrer, rules)
    if external is None:
        return None
    classified = classify_referrer(external)
    if classified is None:
        return None
    source, medium = classified
    touch = Touch(source=source, medium=medium, landing_page=landing_page, referrer=external, at=at)
    return normalise_touch(touch, rules)


def _parse_at(value: object, now: datetime) -> datetime | None:
    """Read a browser timestamp (ISO-8601 or epoch milliseconds) leniently; None if implausible."""
    at: datetime | None = None
    if isinstance(value, str):
        text = value.strip()[:64]
        if text.isdigit():
            value = int(text)
        else:
            try:
                at = normalise_at(datetime.fromisoformat(text))
            except ValueError:
                return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        # the script sends milliseconds; a value this small can only be seconds
        seconds = value / 1000 if abs(value) >= 100_000_000_000 else value
        try:
            at = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if at is None or at < _EARLIEST or at > now + _FUTURE_TOLERANCE:
        return None
    return at


def _is_self_referral(touch: Touch, rules: SiteRules) -> bool:
    """Tell whether a touch only records a visit from the site itself or an excluded domain."""
    if touch.click_id or touch.campaign:
        return False
    medium = (touch.medium or "").lower()
    if medium in ("", "referral"):
        host = hostname_of(touch.source) if touch.source and "." in touch.source else None
        if host and is_own_or_excluded(host, rules):
            return True
    if touch.referrer and is_own_or_excluded(touch.referrer, rules):
        classified = classify_referrer(touch.referrer)
        given = ((touch.source or "").lower(), medium)
        return classified is None or given == classified
    return False


def browser_touch(
    raw: Mapping | None, rules: SiteRules, *, now: datetime | None = None
) -> Touch | None:
    """Turn a touch stored by the browser script (untrusted) into a normalised touch, or None."""
    if not isinstance(raw, Mapping):
        return None
    current = _utc_now(now)
    values: dict[str, str | None] = {}
    for key in _TEXT_KEYS:
        value = raw.get(key)
        # wrong types are dropped, not converted: str([1, 2]) would become a source called "[1, 2]"
        limit = MAX_URL_LENGTH if key in ("landing_page", "referrer") else 255
        values[key] = clean_text(value, limit) if isinstance(value, str) else None
    at = _parse_at(raw.get("at"), current)
    touch = Touch(**values, at=at)

    if (touch.source or "").lower() == DIRECT_SOURCE:
        return direct_touch(touch.landing_page, at)

    touch = _with_implied_source(touch)
    if not (touch.source or touch.medium or touch.campaign or touch.click_id):
        # the script may have kept only the landing page: its URL still carries the campaign
        from_url = parse_landing_url(touch.landing_page)
        if from_url is not None:
            touch = _with_implied_source(replace(from_url, referrer=touch.referrer, at=at))
    if not (touch.source or touch.medium or touch.campaign or touch.click_id):
        if touch.referrer:
            if is_own_or_excluded(touch.referrer, rules):
                return None
            classified = classify_referrer(touch.referrer)
            if classified is not None:
                touch = replace(touch, source=classified[0], medium=classified[1])
                return normalise_touch(touch, rules)
        if touch.landing_page:
            return direct_touch(touch.landing_page, at)
        return None
    if _is_self_referral(touch, rules):
        return None
    return normalise_touch(touch, rules)


def _within_lookback(touch: Touch, now: datetime, rules: SiteRules) -> bool:
    """Tell whether a touch happened within the site's lookback window before now."""
    # without a time the window cannot be checked; an old touch must not pass as a fresh one
    return touch.at is not None and now - rules.lookback <= touch.at


def _history(history_raw: object, rules: SiteRules, now: datetime) -> tuple[Touch, ...]:
    """Return the valid touches of a raw history, in the given order, the newest MAX_HISTORY."""
    if not isinstance(history_raw, Sequence) or isinstance(history_raw, (str, bytes)):
        return ()
    touches = [browser_touch(raw, rules, now=now) for raw in history_raw[-_MAX_RAW_HISTORY:]]
    valid = [touch for touch in touches if touch is not None]
    return tuple(valid[-MAX_HISTORY:])


def decide_attribution(
    *,
    page_url: object,
    referrer: object,
    first_touch_raw: object,
    latest_touch_raw: object,
    history_raw: object,
    now: datetime | None,
    rules: SiteRules,
) -> Attribution:
    """Decide a submission's conversion, first touch and touch history, as the spec says."""
    current = _utc_now(now)

    # 1. the page the form was submitted on: its utm_* values or click id
    landing_page = page_url if isinstance(page_url, str) else None
    conversion = None
    if parse_landing_url(landing_page) is not None:
        conversion = touch_from_visit(landing_page, referrer, current, rules)

    # 2. the browser's latest touch, when recent enough; when that one is no touch here (an
    #    excluded referrer the script did not know of), the newest touch of the history before it
    touch_history = _history(history_raw, rules, current)
    if conversion is None:
        latest = browser_touch(_as_mapping(latest_touch_raw), rules, now=current)
        candidates = ([latest] if latest is not None else []) + list(reversed(touch_history))
        conversion = next(
            (
                touch
                for touch in candidates
                if not touch.is_direct() and _within_lookback(touch, current, rules)
            ),
            None,
        )

    # 3. the external referrer of the current visit; 4. direct
    if conversion is None:
        conversion = touch_from_visit(landing_page, referrer, current, rules)
    if conversion is None:
        conversion = direct_touch(landing_page, current)

    first_touch = browser_touch(_as_mapping(first_touch_raw), rules, now=current) or conversion
    return Attribution(
        conversion=conversion,
        first_touch=first_touch,
        touch_history=touch_history,
    )


def _as_mapping(value: object) -> Mapping | None:
    """Return value when it is a mapping, else None (browser payloads are untrusted)."""
    return value if isinstance(value, Mapping) else None
