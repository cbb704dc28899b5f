"""Form posts per second through the app, as a ratio to baselines measured in the same run.

Absolute numbers depend on the machine; the ratio to a bare Flask route (the framework's own
cost) and to ``/health`` (the app's request stack) does not, much. Nothing here is asserted
against a time: run ``make bench`` and read the printed table.
"""

import json
import time
import uuid
from collections.abc import Callable

from flask import Flask

POSTS = 300
PINGS = 1000
WARM_UP = 20
ROUNDS = 3  # the best of a few rounds: a pause of the machine in one round does not count


def rate(action: Callable[[int], None], count: int) -> float:
    """Calls per second of ``action(n)``, the best of ROUNDS rounds of ``count`` calls.

    Every call gets its own ``n`` (negative in the warm-up), so posts of new leads stay new.
    """
    for number in range(WARM_UP):
        action(-1 - number)
    best = 0.0
    for round_number in range(ROUNDS):
        numbers = range(round_number * count, (round_number + 1) * count)
        start = time.perf_counter()
        for number in numbers:
            action(number)
        best = max(best, count / (time.perf_counter() - start))
    return best


def attribution() -> dict:
    """The payload the script adds: a LinkedIn first touch, a newsletter latest touch, history."""
    first = {"source": "linkedin", "medium": "paid_social", "campaign": "webinar_sept",
             "landing_page": "https://site.test/?utm_source=linkedin&utm_medium=paid_social",
             "referrer": "https://www.linkedin.com/", "at": "2026-11-01T10:00:00.000Z"}
    latest = {"source": "newsletter", "medium": "email", "campaign": "monthly_2026_11",
              "landing_page": "https://site.test/?utm_source=newsletter&utm_medium=email",
              "at": "2026-11-20T09:30:00.000Z"}
    return {
        "lt_first_touch": json.dumps(first),
        "lt_latest_touch": json.dumps(latest),
        "lt_touch_history": json.dumps([first, latest]),
        "lt_page_url": "https://site.test/signup?utm_source=google&utm_medium=cpc&gclid=abc",
        "lt_referrer": "https://www.google.com/",
        "lt_submission_id": uuid.uuid4().hex,
    }


def test_form_posts_per_second(app, client, site):
    """JSON posts of new leads and HTML posts of returning ones, against two baselines."""
    bare = Flask("baseline")
    bare.add_url_rule("/ping", "ping", lambda: "ok")
    bare_client = bare.test_client()
    headers = {"Origin": "https://site.test"}

    def ping(number):
        """The framework's own cost: a route that does nothing."""
        assert bare_client.get("/ping").status_code == 200

    def health(number):
        """The app's request stack: /health."""
        assert client.get("/health").status_code == 200

    def new_lead_json(number):
        """A new lead from a fetch-based form: JSON in, 201 out."""
        body = {"email": f"lead{number}@example.com", "name": "Ada Lovelace",
                "company": f"Company {number % 50}", **attribution()}
        response = client.post(site.form_url, json=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)

    def returning_lead_html(number):
        """A returning lead from an HTML form: a second submission, 303."""
        body = {"email": f"lead{number % 100}@example.com", "name": "Ada Lovelace",
                **attribution()}
        response = client.post(site.form_url, data=body, headers=headers)
        assert response.status_code == 303, response.get_data(as_text=True)

    rates = {
        "bare Flask route": rate(ping, PINGS),
        "/health": rate(health, PINGS),
        "form post, new lead (JSON)": rate(new_lead_json, POSTS),
        "form post, returning lead (HTML)": rate(returning_lead_html, POSTS),
    }
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    bare, health = rates["bare Flask route"], rates["/health"]
    print(f"\ningest throughput ({backend}, test client, one thread, best of {ROUNDS} rounds)")
    print(f"  {'':34s} {'per second':>10s} {'÷ bare route':>13s} {'÷ /health':>10s}")
    for name, value in rates.items():
        print(f"  {name:34s} {value:10.0f} {value / bare:13.3f} {value / health:10.3f}")
    print("  (÷: calls per second divided by the baseline's, both measured in this run)")
