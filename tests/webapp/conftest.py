"""Fixtures for the marketer app: a logged-in client and contacts made through real form posts."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from sqlalchemy import event

from server.extensions import db
from tests.api.helpers import attribution_fields, browser_touch

SITE_URL = "https://site.test/signup"


class Auth:
    """Log the test client in and out through the real form."""

    def __init__(self, client):
        """Wrap a test client."""
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        """The CSRF token from a page's form (or its csrf-token meta tag)."""
        html = self.client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf[-_]token" (?:type="hidden" )?(?:value|content)="([^"]+)"',
                         html).group(1)

    def login(self, email="marketer@leadtrail.test", password="correct horse"):
        """Post the log-in form."""
        return self.client.post("/login", data={
            "email": email, "password": password, "csrf_token": self.csrf_token(),
        })

    def logout(self):
        """Post the log-out form."""
        return self.client.post("/logout", data={"csrf_token": self.csrf_token("/contacts")})


@pytest.fixture
def auth(client) -> Auth:
    """Log-in helper for the test client."""
    return Auth(client)


@pytest.fixture
def logged_in(client, user, auth):
    """A test client with a marketer logged in."""
    assert auth.login().status_code == 302
    return client


@pytest.fixture
def csrf(logged_in, auth) -> str:
    """A CSRF token of the logged-in session."""
    return auth.csrf_token("/contacts")


def utm_url(source=None, medium=None, campaign=None, base=SITE_URL, **extra) -> str:
    """A landing URL carrying utm_* values."""
    params = {f"utm_{key}": value for key, value in
              {"source": source, "medium": medium, "campaign": campaign, **extra}.items() if value}
    return f"{base}?{urlencode(params)}" if params else base


@pytest.fixture
def submit(client, site):
    """Post a form submission as a customer site would: ``submit(email, first=..., last=...)``.

    ``first`` and ``last`` are (source, medium, campaign) tuples: the first touch stored in the
    browser and the page the form is submitted on (conversion and, for a new contact, lead
    creation).
    """

    def post(email, *, first=None, last=("google", "cpc", "brand"), company=None, name=None):
        """Post one submission and return the JSON answer (ids of what was stored)."""
        page_url = utm_url(*last)
        first_touch = browser_touch(url=utm_url(*first), days_ago=5) if first else None
        body = {"email": email, "name": name or email.split("@")[0].title(), **attribution_fields(
            page_url, first_touch=first_touch, submission_id=uuid.uuid4().hex)}
        if company:
            body["company"] = company
        response = client.post(site.form_url, json=body, headers={"Origin": "https://site.test"})
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    return post


@contextmanager
def recorded_queries() -> Iterator[list[str]]:
    """Record each SQL statement sent to the database inside the block."""
    statements: list[str] = []

    def record(connection, cursor, statement, *args):
        """Keep one statement."""
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
