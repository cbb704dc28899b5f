"""Classifying referrers and sources with the project's referrer data set (referrers.json)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

from .urls import hostname_of

SEARCH = "search"
SOCIAL = "social"
VIDEO = "video"
SHOPPING = "shopping"
EMAIL = "email"
AI = "ai"

# Second-level labels under which a brand registers in a country (google.co.uk, amazon.com.au).
_SECOND_LEVEL_LABELS = frozenset({"co", "com", "net", "org", "ac", "or", "ne", "go", "gob", "gov"})


@dataclass(frozen=True)
class Site:
    """One entry of the referrer data set: a source name, its category and its medium."""

    name: str
    category: str
    medium: str


@dataclass(frozen=True)
class ReferrerData:
    """The referrer data set, indexed for lookups."""

    by_domain: dict[str, Site]
    by_brand: dict[str, Site]
    by_name: dict[str, Site]
    by_android_app: dict[str, Site]
    wildcard_subdomains: frozenset[str]


@functools.cache
def referrer_data() -> ReferrerData:
    """Load and index referrers.json once, on first use."""
    text = resources.files(__package__).joinpath("referrers.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    by_domain: dict[str, Site] = {}
    by_brand: dict[str, Site] = {}
    by_name: dict[str, Site] = {}
    for category, table in raw["categories"].items():
        for name, domains in table["sites"].items():
            site = Site(name=name, category=category, medium=table["medium"])
            by_name[name] = site
            for domain in domains:
                if domain.endswith(".*"):
                    by_brand[domain[:-2]] = site
                else:
                    by_domain[domain] = site
    for other_name, name in raw["source_names"].items():
        by_name.setdefault(other_name, by_name[name])
    by_android_app = {package: by_name[name] for package, name in raw["android_apps"].items()}
    return ReferrerData(
        by_domain=by_domain,
        by_brand=by_brand,
        by_name=by_name,
        by_android_app=by_android_app,
        wildcard_subdomains=frozenset(raw["wildcard_subdomains"]),
    )


def _is_country_suffix(labels: list[str]) -> bool:
    """Tell whether labels form a top-level suffix like ["de"] or ["co", "uk"]."""
    if len(labels) == 1:
        return labels[0].isalpha() and 2 <= len(labels[0]) <= 6
    if len(labels) == 2:
        return labels[0] in _SECOND_LEVEL_LABELS and labels[1].isalpha() and len(labels[1]) == 2
    return False


def site_for_host(host: str | None) -> Site | None:
    """Find the data-set entry for a host name: most specific domain first, then brand.*."""
    if not host:
        return None
    data = referrer_data()
    labels = host.lower().split(".")
    for start in range(len(labels)):
        site = data.by_domain.get(".".join(labels[start:]))
        if site is not None:
            return site
    for position, label in enumerate(labels):
        site = data.by_brand.get(label)
        if site is None:
            continue
        # only known subdomains: docs.google.com is a referral, not a search
        prefix_ok = all(part in data.wildcard_subdomains for part in labels[:position])
        if prefix_ok and _is_country_suffix(labels[position + 1 :]):
            return site
    return None


def site_for_source(source: str | None) -> Site | None:
    """Find the data-set entry for a source value: a name ("google", "fb") or a host name."""
    if not source:
        return None
    key = source.strip().lower()
    data = referrer_data()
    site = data.by_name.get(key)
    if site is not None:
        return site
    if "." in key and " " not in key:
        return site_for_host(key.removeprefix("www."))
    return None


def source_category(source: str | None) -> str | None:
    """Return the category (search, social, video, shopping, email, ai) of a source, if known."""
    site = site_for_source(source)
    return site.category if site else None


def _android_app(referrer_url: str) -> str | None:
    """Return the package name of an android-app:// referrer, or None."""
    try:
        parts = urlsplit(referrer_url.strip())
    except ValueError:
        return None
    package = parts.netloc.lower()
    if parts.scheme.lower() != "android-app" or not package or len(package) > 255:
        return None
    if not all(character.isalnum() or character in "._" for character in package):
        return None
    return package


def classify_referrer(referrer_url: str | None) -> tuple[str, str] | None:
    """Turn a referrer URL into (source, medium), e.g. ("google", "organic"); None if unusable."""
    if not isinstance(referrer_url, str):
        return None
    package = _android_app(referrer_url)
    if package is not None:
        site = referrer_data().by_android_app.get(package)
        return (site.name, site.medium) if site else (package, "referral")
    host = hostname_of(referrer_url)
    if host is None:
        return None
    site = site_for_host(host)
    if site is not None:
        return site.name, site.medium
    return host.removeprefix("www."), "referral"
