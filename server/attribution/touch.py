"""The touch record and the per-site rules that shape it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

DIRECT_SOURCE = "(direct)"
DIRECT_MEDIUM = "(none)"
NOT_SET = "(not set)"

# What a click id says about the visit when the URL carries no utm_source.
# The ad platforms append these only to ad clicks, so they imply a paid medium, with two
# deliberate exceptions:
# - dclid comes from Campaign Manager 360 / Display & Video 360 display ads -> "display".
# - fbclid is also appended by Facebook and Instagram to ORGANIC outbound links (posts, bios,
#   Messenger), and GA4 does not treat it as paid either. Calling every fbclid paid would
#   inflate Paid Social, so it implies ("facebook", "social") -> Organic Social. Paid Meta ads
#   should be tagged with utm_medium=paid_social (Meta's URL parameters do this).
# - irclickid (impact.com) marks an affiliate click -> "affiliate".
CLICK_ID_IMPLIED: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "gclid": ("google", "cpc"),
        "gbraid": ("google", "cpc"),
        "wbraid": ("google", "cpc"),
        "dclid": ("google", "display"),
        "msclkid": ("bing", "cpc"),
        "yclid": ("yandex", "cpc"),
        "fbclid": ("facebook", "social"),
        "li_fat_id": ("linkedin", "paid_social"),
        "ttclid": ("tiktok", "paid_social"),
        "twclid": ("twitter", "paid_social"),
        "epik": ("pinterest", "paid_social"),
        "rdt_cid": ("reddit", "paid_social"),
        "sccid": ("snapchat", "paid_social"),
        "qclid": ("quora", "paid_social"),
        "irclickid": ("impact", "affiliate"),
    }
)

# The parameter names alone, in the order above, for membership tests and forms.
CLICK_ID_PARAMS: tuple[str, ...] = tuple(CLICK_ID_IMPLIED)

# Referrers that are part of a checkout or a log-in, never a marketing source: coming back from
# them must not replace the touch that brought the visitor in the first place.
DEFAULT_EXCLUDED_DOMAINS: tuple[str, ...] = (
    # payment gateways and buy-now-pay-later
    "paypal.com",
    "paypal.me",
    "stripe.com",
    "stripe.network",
    "klarna.com",
    "klarna.net",
    "adyen.com",
    "adyen.link",
    "mollie.com",
    "braintreegateway.com",
    "squareup.com",
    "square.link",
    "checkout.com",
    "2checkout.com",
    "paddle.com",
    "gocardless.com",
    "opayo.co.uk",
    "sagepay.com",
    "worldpay.com",
    "authorize.net",
    "nets.eu",
    "dibspayment.eu",
    "trustly.com",
    "sofort.com",
    "payex.com",
    "svea.com",
    "qliro.com",
    "walley.se",
    "afterpay.com",
    "clearpay.co.uk",
    "affirm.com",
    "vipps.no",
    "mobilepay.dk",
    "pay.google.com",
    # log-in and single sign-on providers
    "accounts.google.com",
    "login.microsoftonline.com",
    "login.microsoft.com",
    "login.live.com",
    "appleid.apple.com",
    "auth0.com",
    "okta.com",
    "oktapreview.com",
    "onelogin.com",
    "id.atlassian.com",
    "login.salesforce.com",
    "cognito.amazonaws.com",
    "amazoncognito.com",
    "b2clogin.com",
    "bankid.com",
)

# The few the browser script carries, to keep it small: the gateways and log-in pages that
# send most visitors back. The server applies the whole list, and recovers the touch before an
# excluded visit from the browser's history.
SCRIPT_EXCLUDED_DOMAINS: tuple[str, ...] = (
    "paypal.com",
    "stripe.com",
    "klarna.com",
    "adyen.com",
    "mollie.com",
    "accounts.google.com",
    "login.microsoftonline.com",
    "login.live.com",
    "appleid.apple.com",
    "auth0.com",
    "okta.com",
)


@dataclass(frozen=True)
class Touch:
    """One marketing touch: where a visit came from, when, and its channel."""

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    term: str | None = None
    content: str | None = None
    click_id: str | None = None
    click_id_param: str | None = None
    landing_page: str | None = None
    referrer: str | None = None
    at: datetime | None = None
    channel: str | None = None

    def is_direct(self) -> bool:
        """Tell whether this is a direct visit (no source of its own)."""
        return self.source == DIRECT_SOURCE

    def as_dict(self) -> dict:
        """Return the touch as a JSON-friendly dict, `at` as an ISO-8601 string."""
        result = {item.name: getattr(self, item.name) for item in fields(self)}
        if self.at is not None:
            result["at"] = self.at.isoformat()
        return result

    @classmethod
    def from_dict(cls, values: Mapping | None) -> Touch | None:
        """Rebuild a touch from `as_dict` output (trusted data, e.g. a database row)."""
        if not isinstance(values, Mapping):
            return None
        known = {item.name for item in fields(cls)}
        kwargs = {name: value for name, value in values.items() if name in known}
        at = kwargs.get("at")
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                at = None
        if isinstance(at, datetime) and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        kwargs["at"] = at if isinstance(at, datetime) else None
        return cls(**kwargs)


def normalise_domain(value: object) -> str | None:
    """Reduce a configured domain ("https://www.Example.com/", ".example.com") to "example.com"."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if "//" in text:
        text = text.split("//", 1)[1]
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1]
    if text.count(":") == 1:
        text = text.split(":", 1)[0]
    text = text.strip(".")
    # "www." is a host, not a different site: the site's subdomains are its own too
    if text.startswith("www."):
        text = text[4:]
    return text or None


def _domains(values: object) -> tuple[str, ...]:
    """Normalise a collection of configured domains into a de-duplicated tuple."""
    if isinstance(values, str):
        values = (values,)
    if not isinstance(values, (tuple, list, set, frozenset)):
        return ()
    result: list[str] = []
    for value in values:
        domain = normalise_domain(value)
        if domain and domain not in result:
            result.append(domain)
    return tuple(result)


@dataclass(frozen=True)
class SiteRules:
    """A site's settings that shape its touches: own domains, exclusions, aliases, lookback."""

    domains: tuple[str, ...] = ()
    excluded_domains: tuple[str, ...] = ()
    lowercase: bool = True
    aliases: Mapping[str, str] = field(default_factory=dict)
    lookback: timedelta = timedelta(days=90)

    def __post_init__(self) -> None:
        """Normalise the configured values once, so every lookup can be a plain comparison."""
        # frozen dataclass: object.__setattr__ is the documented way to set fields here
        object.__setattr__(self, "domains", _domains(self.domains))
        object.__setattr__(self, "excluded_domains", _domains(self.excluded_domains))
        aliases = dict(self.aliases) if isinstance(self.aliases, Mapping) else {}
        object.__setattr__(self, "aliases", aliases)
        if not isinstance(self.lookback, timedelta):
            object.__setattr__(self, "lookback", timedelta(days=90))

    def all_excluded_domains(self) -> tuple[str, ...]:
        """Return the site's own domains, its excluded domains and the default exclusions."""
        return self.domains + self.excluded_domains + DEFAULT_EXCLUDED_DOMAINS
