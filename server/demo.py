"""The demo: its admin, site and forms, and a simulator of visitors' multi-visit journeys.

``leadtrail demo`` fills a database with contacts, companies, submissions and deals that look
like a few months of a B2B website's traffic. Every submission goes through the real form
endpoint, ``POST /f/FORM_KEY``, with the payload the browser script would send: the journeys
are simulated the way the script sees them (first touch, latest touch, history), and the
server decides the attribution exactly as it does for real visitors.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import random
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import click
import sqlalchemy as sa
from flask import current_app

from server.extensions import db
from server.models import Company, Contact, Deal, Form, Site, Submission, User

DEMO_EMAIL = "admin@leadtrail.local"
DEMO_PASSWORD = "leadtrail-demo"
DEMO_SITE_NAME = "Demo site"
DEMO_DOMAINS = ("localhost", "127.0.0.1")
DEMO_FORM_NAME = "Demo signup"
WEBINAR_FORM_NAME = "Webinar registration"
DEFAULT_DEMO_PORT = 8000
DEFAULT_SEED = 7


@dataclass(frozen=True)
class DemoSetup:
    """The demo's site and forms, as the demo landing site and the simulator need them."""

    site_key: str
    form_key: str
    webinar_form_key: str
    site_url: str
    admin_email: str = DEMO_EMAIL
    admin_password: str = DEMO_PASSWORD


def ensure_demo_setup(demo_port: int | None = None) -> DemoSetup:
    """Create (or bring up to date) the demo admin, site and forms; safe to run again.

    ``demo_port`` is where the demo landing site runs: the forms' thank-you pages follow it.
    Without it, existing forms keep theirs and new ones use the default port.
    """
    user = db.session.scalar(sa.select(User).filter_by(email=DEMO_EMAIL))
    if user is None:
        user = User(email=DEMO_EMAIL, role="admin")
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)

    site = db.session.scalar(sa.select(Site).filter_by(name=DEMO_SITE_NAME).order_by(Site.id))
    if site is None:
        site = Site(name=DEMO_SITE_NAME, domains=list(DEMO_DOMAINS))
        db.session.add(site)
    missing = [domain for domain in DEMO_DOMAINS if domain not in (site.domains or [])]
    if missing:
        site.domains = list(site.domains or []) + missing

    thanks = f"http://localhost:{demo_port or DEFAULT_DEMO_PORT}/thanks"
    forms = {}
    for name in (DEMO_FORM_NAME, WEBINAR_FORM_NAME):
        # The query flushes a new site first, so filtering by it is safe.
        form = db.session.scalar(sa.select(Form).filter_by(site=site, name=name).order_by(Form.id))
        if form is None:
            form = Form(site=site, name=name, redirect_url=thanks)
            db.session.add(form)
        elif demo_port:
            form.redirect_url = thanks
        forms[name] = form
    db.session.commit()
    return DemoSetup(
        site_key=site.key,
        form_key=forms[DEMO_FORM_NAME].key,
        webinar_form_key=forms[WEBINAR_FORM_NAME].key,
        site_url=origin_of(forms[DEMO_FORM_NAME].redirect_url),
    )


def origin_of(url: str) -> str:
    """scheme://host:port of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --- The traffic: where visits come from ------------------------------------------------------

BLOG_POST = "/blog/utm-naming-guide"


@dataclass(frozen=True)
class TrafficSource:
    """Where a visit comes from: how often, the URL parameters it brings, the referrer it sends."""

    name: str
    weight: int  # relative share of first visits
    utm: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each visit picks one of each
    referrers: tuple[str, ...] = ()
    landing_pages: tuple[str, ...] = ("/", "/pricing", "/signup")
    click_id: str | None = None  # the ad platform's click id parameter, added on every click
    deal_odds: float = 0.15  # how likely a lead from this source becomes a deal


TRAFFIC_SOURCES = (
    TrafficSource("google organic", 22, referrers=("https://www.google.com/",),
                  landing_pages=(BLOG_POST, "/", "/pricing"), deal_odds=0.18),
    TrafficSource("bing organic", 3, referrers=("https://www.bing.com/",),
                  landing_pages=(BLOG_POST, "/")),
    TrafficSource("duckduckgo organic", 2, referrers=("https://duckduckgo.com/",),
                  landing_pages=(BLOG_POST, "/")),
    TrafficSource("google ads", 14, utm={
        "source": ("google",), "medium": ("cpc",),
        "campaign": ("brand_search", "competitor_terms", "attribution_software"),
        "term": ("leadtrail", "utm tracking tool", "lead source tracking", "crm attribution"),
    }, referrers=("https://www.google.com/",), click_id="gclid", deal_odds=0.25),
    # Auto-tagging alone: a gclid and no utm values; the server infers google / cpc.
    TrafficSource("google ads, auto-tagged only", 4, referrers=("https://www.google.com/",),
                  landing_pages=("/pricing", "/signup"), click_id="gclid", deal_odds=0.22),
    TrafficSource("linkedin ads", 10, utm={
        "source": ("linkedin",), "medium": ("paid_social",),
        "campaign": ("webinar_sept", "abm_q3_enterprise", "attribution_ebook"),
        "content": ("carousel_v2", "video_30s", "single_image"),
    }, referrers=("https://www.linkedin.com/",), landing_pages=("/", "/signup"),
        click_id="li_fat_id", deal_odds=0.3),
    TrafficSource("facebook ads", 7, utm={
        "source": ("facebook",), "medium": ("paid_social",),
        "campaign": ("retarget_pricing", "lookalike_trial"),
        "content": ("testimonial", "feature_grid"),
    }, referrers=("https://l.facebook.com/",), landing_pages=("/pricing", "/signup"),
        click_id="fbclid", deal_odds=0.1),
    TrafficSource("linkedin posts", 5, referrers=("https://www.linkedin.com/feed/",),
                  landing_pages=(BLOG_POST, "/")),
    # Mail clients send no referrer: only the utm values say where the visit came from.
    TrafficSource("newsletter", 9, utm={
        "source": ("newsletter",), "medium": ("email",),
        "campaign": ("monthly_2026_09", "monthly_2026_10", "monthly_2026_11",
                     "product_update_v2"),
    }, landing_pages=("/", BLOG_POST, "/signup"), deal_odds=0.2),
    TrafficSource("partner blogs", 6, referrers=(
        "https://growthnotes.blog/posts/attribution-tools-compared",
        "https://www.g2.com/categories/marketing-attribution",
        "https://martech-weekly.example.com/issue-142",
    ), landing_pages=("/", "/pricing")),
    TrafficSource("product hunt", 2, referrers=("https://www.producthunt.com/",)),
    # ChatGPT tags its links with utm_source=chatgpt.com and nothing else.
    TrafficSource("chatgpt", 5, utm={"source": ("chatgpt.com",)},
                  referrers=("https://chatgpt.com/",), landing_pages=("/", "/pricing"),
                  deal_odds=0.2),
    TrafficSource("perplexity", 2, referrers=("https://www.perplexity.ai/",)),
    TrafficSource("youtube", 2, utm={
        "source": ("youtube",), "medium": ("video",), "campaign": ("demo_walkthrough",),
    }, referrers=("https://www.youtube.com/",)),
    TrafficSource("affiliates", 2, utm={
        "source": ("saasreviews",), "medium": ("affiliate",), "campaign": ("partner_program",),
    }, referrers=("https://saasreviews.example.net/",)),
    TrafficSource("direct", 15),
)
# Visitors who already know the site come back directly or through the newsletter more often;
# any other source gets the weight RETURNING_WEIGHT_OTHERS.
RETURNING_WEIGHTS = {"direct": 40, "newsletter": 15, "facebook ads": 10, "google organic": 10}
RETURNING_WEIGHT_OTHERS = 2

FIRST_NAMES = (
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Tim", "Barbara", "Ken", "Frances", "Dennis",
    "Radia", "Edsger", "Hedy", "John", "Katherine", "Donald", "Sophie", "Anders", "Ingrid",
    "Lars", "Maja", "Oskar", "Elin", "Nils", "Freja", "Emil", "Astrid", "Hugo", "Selma", "Karin",
)
LAST_NAMES = (
    "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Berners-Lee", "Liskov", "Thompson",
    "Allen", "Ritchie", "Perlman", "Dijkstra", "Lamarr", "Backus", "Johnson", "Knuth", "Wilson",
    "Lindqvist", "Berg", "Holm", "Nyström", "Ek", "Sandberg", "Wallin", "Lund", "Strand",
)
# Company names are one word of each list: "Northwind Analytics", "Blue Fjord Labs".
COMPANY_NAME_WORDS = (
    ("Northwind", "Blue Fjord", "Granite", "Aurora", "Copperleaf", "Lighthouse", "Pinecrest",
     "Silverline", "Redwood", "Kestrel", "Harbor", "Summit", "Meridian", "Tundra", "Juniper"),
    ("Analytics", "Logistics", "Software", "Health", "Studio", "Robotics", "Foods", "Energy",
     "Consulting", "Labs", "Media", "Finance"),
)
PERSONAL_DOMAINS = ("gmail.com", "outlook.com", "proton.me")
WEBINARS = ("Attribution 101", "UTM hygiene clinic")

# How many visits a journey has (the last one sends the form), and how often.
VISIT_COUNT_WEIGHTS = {1: 45, 2: 30, 3: 15, 4: 10}
COMPANY_SHARE = 0.8  # people who sign up with a company name
PHONE_SHARE = 0.3  # people who leave a phone number
RETURNING_SHARE = 0.15  # people who come back later and register for the webinar

DEAL_PLANS = (("Starter plan", 1200), ("Growth plan", 4800), ("Enterprise plan", 18000))
DEAL_SIZE_MULTIPLIERS = (1, 1, 1, 2, 3)  # seats: most deals are one, some two or three
DEAL_STAGE_WEIGHTS = {"open": 45, "won": 35, "lost": 20}
LEAD_STATUS_OF_DEAL_STAGE = {"open": "opportunity", "won": "customer", "lost": "lost"}
LEAD_STATUS_WEIGHTS = {"new": 50, "contacted": 25, "qualified": 15, "lost": 10}  # no deal


def weighted_choice(rng: random.Random, weights: dict):
    """One key of ``weights``, each as likely as its weight says."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- One visitor, seen the way the browser script sees them -------------------------------------

# The script's own rules (tracker_js/src/leadtrail.js), as far as the simulated URLs need them.
UTM_KEYS = ("source", "medium", "campaign", "term", "content")
CLICK_ID_PARAMS = ("gclid", "fbclid", "li_fat_id", "msclkid")
HISTORY_LENGTH = 10


@dataclass
class BrowserState:
    """What the script keeps in one visitor's browser: first touch, latest touch, history."""

    first_touch: dict | None = None
    latest_touch: dict | None = None
    touch_history: list[dict] = field(default_factory=list)

    def view(self, url: str, referrer: str, at: datetime, site_host: str) -> None:
        """A page view, as the script records it (own-site referrers are no touch)."""
        touch = touch_of(url, referrer, at, site_host)
        if touch is None:
            # A direct visit only counts as the first touch; it never replaces the latest one.
            self.first_touch = self.first_touch or {
                "source": "(direct)", "medium": "(none)", "landing_page": url, "at": iso(at),
            }
            return
        self.first_touch = self.first_touch or touch
        self.latest_touch = touch
        if not self.touch_history or identity(self.touch_history[-1]) != identity(touch):
            self.touch_history = (self.touch_history + [touch])[-HISTORY_LENGTH:]

    def form_fields(self, page_url: str, referrer: str, submission_id: str) -> dict[str, str]:
        """The hidden fields the script adds to a form sent from ``page_url``."""
        return {
            "lt_first_touch": json.dumps(self.first_touch),
            "lt_latest_touch": json.dumps(self.latest_touch) if self.latest_touch else "",
            "lt_touch_history": json.dumps(self.touch_history),
            "lt_page_url": page_url,
            "lt_referrer": referrer,
            "lt_submission_id": submission_id,
        }


def touch_of(url: str, referrer: str, at: datetime, site_host: str) -> dict | None:
    """The touch the script stores for a page view: utm values, click id, external referrer."""
    query = dict(parse_qsl(urlsplit(url).query))
    touch: dict[str, Any] = {}
    for key in UTM_KEYS:
        if query.get(f"utm_{key}"):
            touch[key] = query[f"utm_{key}"]
    for param in CLICK_ID_PARAMS:
        if query.get(param):
            touch["click_id"], touch["click_id_param"] = query[param], param
            break
    if referrer and urlsplit(referrer).hostname != site_host:
        touch["referrer"] = referrer
    if not touch:
        return None
    touch.update(landing_page=url, at=iso(at))
    return touch


def identity(touch: dict) -> tuple:
    """Two touches in a row with the same identity are one history entry (as in the script)."""
    return (touch.get("source"), touch.get("medium"), touch.get("campaign"),
            touch.get("click_id"), urlsplit(touch.get("referrer") or "").hostname)


def iso(at: datetime) -> str:
    """A timestamp as the script writes it."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class PlannedSubmission:
    """A form post the simulator will make, at a simulated time."""

    at: datetime
    form_key: str
    body: dict[str, Any]
    deal_odds: float


@dataclass
class Person:
    """A simulated visitor who will become a lead."""

    first_name: str
    last_name: str
    email: str
    company: str | None


class JourneyPlanner:
    """Plans every visitor's visits and submissions, deterministically from one seed."""

    def __init__(self, setup: DemoSetup, seed: int, now: datetime):
        """A planner for ``setup``'s site, with journeys that end before ``now``."""
        self.setup = setup
        self.random = random.Random(seed)
        self.now = now
        self.site_host = urlsplit(setup.site_url).hostname
        self.emails: set[str] = set()
        self.companies = [" ".join(words) for words in itertools.product(*COMPANY_NAME_WORDS)]
        self.random.shuffle(self.companies)

    def plan(self, visitors: int) -> list[PlannedSubmission]:
        """All submissions of ``visitors`` journeys, oldest first."""
        # Fewer companies than people, so some companies get several contacts.
        company_pool = self.companies[: max(3, int(visitors * 0.45))]
        planned = []
        for _ in range(visitors):
            person = self.person(company_pool)
            browser = BrowserState()
            # The form is sent within the last 60 days, the visits up to four weeks before: the
            # newest touch stays inside the server's 90-day lookback.
            submit_at = self.now - timedelta(days=self.random.uniform(0.1, 60))
            start = submit_at - timedelta(days=self.random.uniform(0, 28))
            planned.append(self.journey(person, browser, start, submit_at, first=True))
            if self.random.random() < RETURNING_SHARE and submit_at < self.now - timedelta(days=2):
                # Days or weeks later the same browser comes back and registers for the webinar.
                again = submit_at + timedelta(
                    days=self.random.uniform(1, (self.now - submit_at).days))
                planned.append(self.journey(person, browser, submit_at + timedelta(hours=1),
                                            again, first=False))
        planned.sort(key=lambda submission: submission.at)
        return planned

    def person(self, company_pool: list[str]) -> Person:
        """A new person with a unique e-mail, usually working for a company."""
        first, last = self.random.choice(FIRST_NAMES), self.random.choice(LAST_NAMES)
        company = self.random.choice(company_pool) if self.random.random() < COMPANY_SHARE else None
        domain = (company.lower().replace(" ", "") + ".example" if company
                  else self.random.choice(PERSONAL_DOMAINS))
        local = f"{first}.{last}".lower().replace("ö", "o").replace("-", "")
        email, number = f"{local}@{domain}", 1
        while email in self.emails:
            number += 1
            email = f"{local}{number}@{domain}"
        self.emails.add(email)
        return Person(first, last, email, company)

    def traffic_source(self, returning: bool) -> TrafficSource:
        """Where the next visit comes from."""
        weights = [
            RETURNING_WEIGHTS.get(source.name, RETURNING_WEIGHT_OTHERS) if returning
            else source.weight
            for source in TRAFFIC_SOURCES
        ]
        return self.random.choices(TRAFFIC_SOURCES, weights=weights)[0]

    def landing(self, source: TrafficSource) -> tuple[str, str]:
        """The URL a visit from ``source`` lands on, and the referrer it sends."""
        path = self.random.choice(source.landing_pages)
        query = {f"utm_{key}": self.random.choice(values) for key, values in source.utm.items()}
        if source.click_id:
            query[source.click_id] = uuid.UUID(int=self.random.getrandbits(128)).hex[:24]
        url = self.setup.site_url + path + ("?" + urlencode(query) if query else "")
        referrer = self.random.choice(source.referrers) if source.referrers else ""
        return url, referrer

    def journey(self, person: Person, browser: BrowserState, start: datetime,
                submit_at: datetime, first: bool) -> PlannedSubmission:
        """One to four visits between ``start`` and ``submit_at``, the last one submits a form."""
        visits = weighted_choice(self.random, VISIT_COUNT_WEIGHTS)
        span = (submit_at - start).total_seconds()
        times = sorted(start + timedelta(seconds=self.random.uniform(0, span))
                       for _ in range(visits - 1)) + [submit_at]
        for number, at in enumerate(times):
            source = self.traffic_source(returning=number > 0 or not first)
            url, referrer = self.landing(source)
            browser.view(url, referrer, at, self.site_host)
            if number < visits - 1:
                # A look at another page before leaving: a self-referral, no touch.
                browser.view(self.setup.site_url + "/pricing", url, at, self.site_host)

        # The form is on the landing page, or one click away from it.
        form_path = "/signup" if first else "/webinar"
        if urlsplit(url).path == form_path:
            page_url, page_referrer = url, referrer
        else:
            page_url, page_referrer = self.setup.site_url + form_path, url
            browser.view(page_url, page_referrer, submit_at, self.site_host)

        submission_id = str(uuid.UUID(int=self.random.getrandbits(128)))
        body: dict[str, Any] = {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            **browser.form_fields(page_url, page_referrer, submission_id),
        }
        if person.company:
            body["company"] = person.company
        if self.random.random() < PHONE_SHARE:
            body["phone"] = f"+46 70 {self.random.randint(100, 999)} {self.random.randint(10, 99)}"
        if not first:
            body["webinar"] = self.random.choice(WEBINARS)
        form_key = self.setup.form_key if first else self.setup.webinar_form_key
        # The source of the visit that sent the form decides how likely a deal is.
        return PlannedSubmission(submit_at, form_key, body, source.deal_odds)


# --- Sending the posts -------------------------------------------------------------------------

Post = Callable[[str, dict], tuple[int, dict]]  # (path, JSON body) -> (status, JSON answer)


class PostError(click.ClickException):
    """The form endpoint did not accept a simulated submission (or could not be reached)."""


def poster(server_url: str | None, origin: str) -> Post:
    """How to post: to a running server at ``server_url``, else through the app's test client."""
    if server_url:
        return lambda path, body: post_over_http(server_url, path, body, origin)
    client = current_app.test_client()
    return lambda path, body: post_through_test_client(client, path, body, origin)


def post_over_http(server_url: str, path: str, body: dict, origin: str) -> tuple[int, dict]:
    """POST JSON to a running Leadtrail server; waits out its rate limit when it answers 429."""
    data = json.dumps(body).encode()
    while True:
        request = urllib.request.Request(
            server_url.rstrip("/") + path, data=data, method="POST",
            headers={"Content-Type": "application/json", "Origin": origin},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 429:
                # One client posting hundreds of forms is what the limit is for; wait it out.
                time.sleep(float(error.headers.get("Retry-After") or 5))
                continue
            raise PostError(f"{error.code} from {path}: {error.read()[:300]!r}") from error
        except urllib.error.URLError as error:
            raise PostError(f"cannot reach {server_url}: {error.reason}") from error


def post_through_test_client(client, path: str, body: dict, origin: str) -> tuple[int, dict]:
    """POST JSON through the app's own routes, as a visitor with its own address."""
    response = client.post(path, json=body, headers={"Origin": origin},
                           environ_base={"REMOTE_ADDR": visitor_address(body["email"])})
    if response.status_code >= 400:
        raise PostError(f"{response.status_code} from {path}: {response.get_data(as_text=True)}")
    return response.status_code, response.get_json()


def visitor_address(email: str) -> str:
    """A stable private IP address per visitor, so per-client rate limits see many clients."""
    number = uuid.uuid5(uuid.NAMESPACE_URL, email).int
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


@contextlib.contextmanager
def quiet_ingest_log() -> Iterator[None]:
    """Hold back the form endpoint's line per submission, which would break the progress bar."""
    logger = logging.getLogger("server.ingest")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# --- After the posts: dates, lead statuses and deals --------------------------------------------


def backdate(result: dict, at: datetime) -> None:
    """Move the rows one post created to the simulated time, so reports show months of traffic."""
    submission = db.session.scalar(
        sa.select(Submission).filter_by(public_id=result["submission_id"]))
    submission.created_at = at
    if submission.conversion is not None and (submission.conversion.at or at) > at:
        submission.conversion.at = at
    if result["created_contact"]:
        submission.contact.created_at = at
        lead_creation = submission.contact.lead_creation
        if lead_creation is not None and (lead_creation.at or at) > at:
            lead_creation.at = at
    if result["created_company"] and result["company_id"]:
        db.session.get(Company, result["company_id"]).created_at = at


def add_sales_outcome(rng: random.Random, contact: Contact, deal_odds: float,
                      now: datetime) -> Deal | None:
    """Give a new lead a status and, for some, a deal; better sources convert more often."""
    if rng.random() >= deal_odds:
        contact.lead_status = weighted_choice(rng, LEAD_STATUS_WEIGHTS)
        return None
    plan, price = rng.choice(DEAL_PLANS)
    stage = weighted_choice(rng, DEAL_STAGE_WEIGHTS)
    created = min(contact.created_at + timedelta(days=rng.uniform(1, 21)), now)
    deal = Deal(
        title=f"{contact.company.name if contact.company else contact.name}: {plan}",
        contact=contact,
        company=contact.company,
        value=Decimal(price) * rng.choice(DEAL_SIZE_MULTIPLIERS),
        stage=stage,
        created_at=created,
        closed_at=(min(created + timedelta(days=rng.uniform(3, 30)), now)
                   if stage != "open" else None),
    )
    contact.lead_status = LEAD_STATUS_OF_DEAL_STAGE[stage]
    db.session.add(deal)
    return deal


@dataclass
class DemoSummary:
    """What one run of the simulator added."""

    submissions: int = 0
    contacts: int = 0
    companies: int = 0
    deals: int = 0
    replayed: int = 0

    def lines(self) -> list[str]:
        """The summary, for the terminal."""
        lines = [
            f"Submissions: {self.submissions}",
            f"Contacts created: {self.contacts}",
            f"Companies created: {self.companies}",
            f"Deals created: {self.deals}",
        ]
        if self.replayed:
            lines.append(f"Already there (same seed as an earlier run): {self.replayed}")
        return lines


def run_demo(visitors: int = 300, server_url: str | None = None, seed: int = DEFAULT_SEED,
             demo_port: int | None = None) -> DemoSummary:
    """Simulate ``visitors`` journeys and post their submissions; print a summary.

    Posts go to ``server_url`` when given (a Leadtrail serving this same database), else
    through the app's test client. The same seed plans the same journeys, and the posts carry
    the same submission ids, so running again with one seed adds nothing twice.
    """
    setup = ensure_demo_setup(demo_port)
    now = datetime.now(UTC)
    planned = JourneyPlanner(setup, seed, now).plan(visitors)
    # Sales outcomes draw from their own generator, so they do not shift the journeys.
    outcomes = random.Random(seed + 1)
    post = poster(server_url, origin=setup.site_url)
    summary = DemoSummary()

    with quiet_ingest_log(), click.progressbar(
            planned, label="Simulating journeys", file=sys.stderr) as bar:
        for submission in bar:
            status, result = post(f"/f/{submission.form_key}", submission.body)
            if status != 201:  # 200: this submission id was stored by an earlier run
                summary.replayed += 1
                continue
            # The post was written by another session (the server's, or the test client's
            # request): read the rows fresh.
            db.session.expire_all()
            backdate(result, submission.at)
            summary.submissions += 1
            summary.companies += result["created_company"]
            if result["created_contact"]:
                summary.contacts += 1
                contact = db.session.get(Contact, result["contact_id"])
                if add_sales_outcome(outcomes, contact, submission.deal_odds, now):
                    summary.deals += 1
            db.session.commit()

    for line in summary.lines():
        click.echo(line)
    return summary
