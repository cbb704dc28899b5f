"""What admins type in: domains, thank-you URLs and e-mail addresses."""

import pytest

from server.validation import clean_domain, clean_email, clean_redirect_url


@pytest.mark.parametrize(("typed", "expected"), [
    ("example.com", "example.com"),
    ("  WWW.Example.COM ", "example.com"),
    ("https://shop.example.com:8443/path?q=1", "shop.example.com"),
    ("localhost", "localhost"),
    ("example.com.", "example.com"),
    ("not a domain", None),
    ("", None),
    ("-bad-.com", None),
    ("a" * 64 + ".com", None),
])
def test_clean_domain(typed, expected):
    """A bare lower-case host name, or None."""
    assert clean_domain(typed) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("https://example.com/thanks", "https://example.com/thanks"),
    (" http://localhost:8000/thanks ", "http://localhost:8000/thanks"),
    ("javascript:alert(1)", None),
    ("//evil.test/", None),
    ("/thanks", None),
    ("https://example.com/" + "x" * 2000, None),
])
def test_clean_redirect_url(typed, expected):
    """Absolute http(s) URLs only, capped at 2,000 characters."""
    assert clean_redirect_url(typed) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    (" Ada@Example.COM ", "ada@example.com"),
    ("no-at-sign", None),
    ("two@@example.com", None),
    ("@example.com", None),
    ("ada@", None),
    ("ada lovelace@example.com", None),
    ("a" * 250 + "@x.io", None),
])
def test_clean_email(typed, expected):
    """Trimmed, lower case, one @ with text on both sides, no spaces, at most 254 characters."""
    assert clean_email(typed) == expected
