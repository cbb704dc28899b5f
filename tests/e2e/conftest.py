"""End-to-end fixtures: Leadtrail and a customer site on two origins, driven by real Chromium.

Leadtrail listens on http://127.0.0.1:PORT and the customer site on http://localhost:PORT2,
so the browser treats them as different sites. Chromium maps *.shop.test to 127.0.0.1, which
gives cross-subdomain tests real host names (http://www.shop.test:PORT2/).
"""

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from server.extensions import db
from server.ingest.schemas import ATTRIBUTION_FIELDS
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
# Pages that are another page with other attributes on the script tag (in place of
# data-site="{{SITE_KEY}}"): /consent-signup is /signup with the script waiting for consent.
SCRIPT_TAG_VARIANTS = {
    "consent-signup": ("signup", 'data-site="{{SITE_KEY}}" data-consent="required"'),
    "no-site-key": ("signup", ""),
    "shared-home": ("index", 'data-site="{{SITE_KEY}}" data-cookie-domain=".shop.test"'),
    "shared-signup": ("signup", 'data-site="{{SITE_KEY}}" data-cookie-domain=".shop.test"'),
}


class ServerThread:
    """A WSGI app served on 127.0.0.1 from a background thread.

    ``make_app(port)`` builds the app once the port is known, for apps whose set-up names
    their own URL (a form's thank-you page).
    """

    def __init__(self, make_app: Callable[[int], Callable]):
        """Listen on a free port and build the app for it; serving starts with ``with``."""
        self.server = make_server("127.0.0.1", 0, self.dispatch, threaded=True)
        self.port = self.server.server_port
        self.app = make_app(self.port)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def dispatch(self, environ, start_response):
        """Hand each request to the app."""
        return self.app(environ, start_response)

    def __enter__(self) -> "ServerThread":
        """Start serving."""
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


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


def customer_site_app(leadtrail_url: str, site_key: str, form_key: str) -> Callable:
    """Serve ``PAGES/<name>.html`` for ``/<name>`` (``/`` is index), placeholders filled in.

    Placeholders: ``{{LEADTRAIL}}`` (Leadtrail origin), ``{{SITE_KEY}}``, ``{{FORM_KEY}}``.
    Names in SCRIPT_TAG_VARIANTS serve their page with other script-tag attributes. Any query
    string is accepted, so UTM links land on the same pages.
    """

    def page_html(name: str) -> str | None:
        """The page's HTML, before the placeholders are filled in; None if there is none."""
        page, attributes = SCRIPT_TAG_VARIANTS.get(name, (name, None))
        path = PAGES / f"{page}.html"
        if "/" in page or not path.is_file():
            return None
        html = path.read_text()
        if attributes is not None:
            html = html.replace('data-site="{{SITE_KEY}}"', attributes)
        return html

    @Request.application
    def application(request: Request) -> Response:
        """One page of the customer site."""
        html = page_html(request.path.strip("/") or "index")
        if html is None:
            return Response("not found", status=404)
        for placeholder, value in (
            ("{{LEADTRAIL}}", leadtrail_url),
            ("{{SITE_KEY}}", site_key),
            ("{{FORM_KEY}}", form_key),
        ):
            html = html.replace(placeholder, value)
        return Response(html, mimetype="text/html")

    return application


@pytest.fixture
def leadtrail(app) -> Iterator[str]:
    """The Leadtrail app served on a real port; yields its origin."""
    app.config["SERVER_NAME"] = None
    with ServerThread(lambda port: app) as server:
        yield f"http://127.0.0.1:{server.port}"


@pytest.fixture
def customer_site(app, leadtrail) -> Iterator[CustomerSite]:
    """The customer's site on another origin, with a Leadtrail site and form set up for it."""
    site = Site(name="Shop", domains=["localhost", "shop.test"])

    def make_app(port: int) -> Callable:
        """The site's pages, installed with a form whose thank-you page is on this port."""
        form = Form(site=site, name="Signup", redirect_url=f"http://localhost:{port}/thanks")
        db.session.add_all([site, form])
        db.session.commit()
        return customer_site_app(leadtrail, site.key, form.key)

    with ServerThread(make_app) as server:
        yield CustomerSite(port=server.port, leadtrail_url=leadtrail, site_key=site.key,
                           form_key=site.forms[0].key)


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
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


# --- Tracker behaviour tests (tests/e2e/test_tracker_*.py) -------------------------------------


@dataclass
class Journey:
    """Steps of a visitor's journey in the browser, and the API reads that check what was stored."""

    client: object
    headers: dict
    # The hidden fields the script adds to a form (and window.leadtrail.attribution() returns).
    # The script must fill exactly the fields the form endpoint reads.
    FORM_FIELDS = ATTRIBUTION_FIELDS

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

    with ServerThread(
        lambda port: create_demo_site(leadtrail, ensure_demo_setup(demo_port=port))
    ) as server:
        yield f"http://localhost:{server.port}"
