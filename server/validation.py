"""Checks for values marketers and admins type in: domains and redirect URLs."""

import re
from urllib.parse import urlsplit

DOMAIN_PATTERN = re.compile(
    r"^(?=.{1,253}$)(localhost|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63})$"
)


def clean_domain(value: str) -> str | None:
    """A bare, lower-case host name from what a user typed (URL, www., port), or None."""
    value = (value or "").strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    value = value.split("/")[0].split(":")[0].strip(".")
    if value.startswith("www."):
        value = value[4:]
    return value if DOMAIN_PATTERN.match(value) else None


def clean_redirect_url(value: str) -> str | None:
    """An absolute http(s) URL of at most 2,000 characters, or None."""
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 2000:
        return None
    return value


# The one rule for passwords, for the command line and the settings pages.
MIN_PASSWORD_LENGTH = 8


def clean_email(value: str) -> str | None:
    """A trimmed, lower-case e-mail address with one @ and no spaces, or None."""
    value = (value or "").strip().lower()
    local, at, domain = value.partition("@")
    if not (local and at and domain) or "@" in domain or any(c.isspace() for c in value):
        return None
    return value if len(value) <= 254 else None
