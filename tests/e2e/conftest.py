"""End-to-end fixtures: Leadtrail and a customer site on two origins, driven by real Chromium.

Leadtrail listens on http://127.0.0.1:PORT and the customer site on http://localhost:PORT2,
so the browser treats them as different sites. Chromium maps *.shop.test to 127.0.0.1, which
gives cross-subdomain tests real host names (http://www.shop.test:PORT2/).
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from server.extensions import db
from server.models import Form, Site

CHROMIUM = os.environ.get("LEADTRAIL_CHROMIUM", "/usr/bin/chromium")
PAGES = Path(__file__).parent / "pages"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP *.shop.test 127.0.0.1",
]


class ServerThread:
    """A WSGI app served on 127.0.0.1 from a background thread."""

    def __init__(self, wsgi_app):
        self.server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@dataclass
class CustomerSite:
    """The customer's website: pages from tests/e2e/pages with the install filled in."""

    port: int
    leadtrail_url: str
    site_key: str
    form_key: str
    host: str = "localhost"

    def url(self, path: str = "/", host: str | None = None) -> str:
        """An absolute URL on the customer site (optionally on another host name)."""
        return f"http://{host or self.host}:{self.port}{path}"


def customer_site_app(settings: dict) -> callable:
    """Serve ``PAGES/<name>.html`` for ``/<name>`` (``/`` is index), placeholders filled in.

    Placeholders: ``{{LEADTRAIL}}`` (Leadtrail origin), ``{{SITE_KEY}}``, ``{{FORM_KEY}}``,
    ``{{COOKIE_DOMAIN}}`` (from the query string ``cookie_domain``, for cross-subdomain pages).
    Any query string is accepted, so UTM links land on the same pages.
    """

    @Request.application
    def application(request: Request) -> Response:
        name = request.path.strip("/") or "index"
        page = PAGES / f"{name}.html"
        if "/" in name or not page.is_file():
            return Response("not found", status=404)
        html = page.read_text()
        for placeholder, value in (
            ("{{LEADTRAIL}}", settings["leadtrail_url"]),
            ("{{SITE_KEY}}", settings["site_key"]),
            ("{{FORM_KEY}}", settings["form_key"]),
        ):
            html = html.replace(placeholder, value)
        return Response(html, mimetype="text/html")

    return application


@pytest.fixture
def leadtrail(app) -> Iterator[str]:
    """The Leadtrail app served on a real port; yields its origin."""
    app.config["SERVER_NAME"] = None
    with ServerThread(app) as server:
        yield f"http://127.0.0.1:{server.port}"


@pytest.fixture
def customer_site(app, leadtrail) -> Iterator[CustomerSite]:
    """The customer's site on another origin, with a Leadtrail site and form set up for it."""
    settings: dict = {"leadtrail_url": leadtrail}
    with ServerThread(customer_site_app(settings)) as server:
        site = Site(name="Shop", domains=["localhost", "shop.test"])
        form = Form(site=site, name="Signup", redirect_url=f"http://localhost:{server.port}/thanks")
        db.session.add_all([site, form])
        db.session.commit()
        settings.update(site_key=site.key, form_key=form.key)
        yield CustomerSite(port=server.port, leadtrail_url=leadtrail, site_key=site.key,
                           form_key=form.key)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser) -> Iterator:
    """A fresh browser profile (empty storage and cookies) for one test."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Iterator:
    """A page that fails the test on any uncaught JavaScript error."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


def origin_of(url: str) -> str:
    """scheme://host:port of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- Tracker behaviour tests (tests/e2e/test_tracker_*.py) -------------------------------------


@dataclass
class Journey:
    """Steps of a visitor's journey in the browser, and the API reads that check what was stored."""

    client: object
    headers: dict

    def visit(self, page, url: str, referer: str | None = None) -> None:
        """Open a page (optionally as if arriving from ``referer``) and wait for the script."""
        page.goto(url, referer=referer)
        self.wait_for_tracker(page)

    @staticmethod
    def wait_for_tracker(page) -> None:
        """Wait until the script has run on the page (its API exists)."""
        page.wait_for_function("() => window.leadtrail && window.leadtrail.attribution")

    @staticmethod
    def stored(page) -> dict:
        """What the script keeps in this origin's localStorage, decoded (lt_* keys only)."""
        return page.evaluate(
            """() => Object.fromEntries(Object.keys(localStorage)
                .filter(key => key.startsWith('lt_'))
                .map(key => [key, JSON.parse(localStorage.getItem(key))]))"""
        )

    def submit(self, page, email: str, company: str = "", name: str = "Ada Lovelace") -> None:
        """Fill in and send the form on the page, then wait for the thank-you page."""
        page.fill("input[name=email]", email)
        page.fill("input[name=name]", name)
        page.fill("input[name=company]", company)
        with page.expect_navigation(url="**/thanks"):
            page.click("button[type=submit]")

    def api(self, path: str) -> dict:
        """GET from the JSON API, asserting 200."""
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def contact(self, email: str) -> dict:
        """The one contact with this e-mail, with first touch and lead creation."""
        items = self.api(f"/api/contacts?email={email}")["items"]
        assert len(items) == 1, f"expected one contact {email}, got {items}"
        return items[0]

    def submissions(self, contact: dict) -> list[dict]:
        """The contact's submissions, newest first, each with conversion and touch history."""
        return self.api(f"/api/contacts/{contact['id']}/submissions")["items"]


@pytest.fixture
def journey(client, api_headers) -> Journey:
    """Browser steps of a journey, and API reads of what Leadtrail stored from it."""
    return Journey(client=client, headers=api_headers)


@pytest.fixture
def demo_site(app, leadtrail) -> Iterator[str]:
    """The demo landing site from examples/, on its own port, installed against Leadtrail."""
    from examples.demo_site import create_demo_site
    from server.demo import ensure_demo_setup

    # The demo's thank-you URL names the site's port, which is known once the server listens.
    served: dict = {}
    with ServerThread(lambda environ, start: served["app"](environ, start)) as server:
        served["app"] = create_demo_site(leadtrail, ensure_demo_setup(demo_port=server.port))
        yield f"http://localhost:{server.port}"
