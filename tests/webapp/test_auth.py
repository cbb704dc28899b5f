"""Log-in, log-out, CSRF, security headers, and the proof that every private route needs a user."""

import re

import pytest
from werkzeug.routing import Rule

from server import create_app
from server.extensions import db
from tests.conftest import base_config

# The only routes that answer without a log-in.
PUBLIC_ENDPOINTS = {"tracker.tracker_script", "ingest.submit", "webapp.login", "webapp.health",
                    "static"}


def example_path(rule: Rule) -> str:
    """A concrete path for a rule, with 1 (or a name) for each variable."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>",
                  lambda match: "1" if "id" in match.group(1) else "x", rule.rule)


def private_routes(app):
    """(path, method) of every route that should need a user."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield example_path(rule), method


def test_every_private_route_needs_a_user(app, client, auth):
    """Anonymous requests to pages go to /login; to the API they get 401. Nothing leaks."""
    routes = list(private_routes(app))
    assert len(routes) > 20  # the enumeration really sees the app's routes
    # A valid CSRF token of the anonymous session, so a POST is refused for want of a user.
    token = auth.csrf_token()
    for path, method in routes:
        response = client.open(path, method=method, data={"csrf_token": token})
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 302, (method, path, response.status_code)
            assert response.headers["Location"].startswith("/login"), (method, path)


def test_public_routes_answer_without_log_in(client, site):
    """The script, the form endpoint, the log-in page and health need no user."""
    assert client.get("/health").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/t.js").status_code == 200
    with client.get("/static/css/app.css") as stylesheet:  # closes the file it streams
        assert stylesheet.status_code == 200
    response = client.post(site.form_url, json={"email": "a@example.com"},
                           headers={"Origin": "https://site.test"})
    assert response.status_code == 201


def test_login_and_logout(client, user, auth):
    """The right password logs in (session cookie expires), log-out ends the session."""
    assert client.get("/contacts").status_code == 302
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/contacts"
    cookie = client.get_cookie("session")
    assert cookie.expires is not None  # a permanent session: it expires after 12 hours
    page = client.get("/contacts")
    assert page.status_code == 200 and "marketer@leadtrail.test" in page.get_data(as_text=True)
    assert auth.logout().status_code == 302
    assert client.get("/contacts").status_code == 302


def test_wrong_password_is_refused(client, user, auth):
    """A wrong password gets 401 and the same message as an unknown e-mail."""
    wrong = auth.login(password="wrong horse")
    unknown = auth.login(email="nobody@leadtrail.test")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Wrong e-mail or password." in response.get_data(as_text=True)
    assert client.get("/contacts").status_code == 302


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(client, user, auth):
    """``next`` is followed when local; other hosts are ignored."""
    response = client.get("/companies")
    assert response.headers["Location"] == "/login?next=%2Fcompanies"
    token = auth.csrf_token()
    data = {"email": "marketer@leadtrail.test", "password": "correct horse", "csrf_token": token}
    assert client.post("/login?next=/companies", data=data).headers["Location"] == "/companies"
    client.post("/logout", data={"csrf_token": auth.csrf_token("/contacts")})
    for target in ("https://evil.test/", "//evil.test/", "/\\evil.test", "/\t/evil.test",
                   " //evil.test", "/x\r\nSet-Cookie: a=b", "javascript:alert(1)"):
        data["csrf_token"] = auth.csrf_token()
        response = client.post("/login", query_string={"next": target}, data=data)
        assert response.headers["Location"] == "/contacts", target
        client.post("/logout", data={"csrf_token": auth.csrf_token("/contacts")})


def test_forms_without_csrf_token_are_refused(logged_in):
    """Every app POST needs the CSRF token; without it nothing changes."""
    assert logged_in.post("/login", data={"email": "x@y.z", "password": "p"}).status_code == 400
    response = logged_in.post("/logout")
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert logged_in.get("/contacts").status_code == 200  # still logged in


def test_security_headers_on_app_pages_not_on_embedded_routes(client, user, auth, site):
    """App responses get CSP and friends; /t.js and /f/ keep their own headers."""
    for response in (client.get("/login"), client.get("/health")):
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    script = client.get("/t.js")
    form = client.post(site.form_url, data={"email": "a@example.com"})
    for response in (script, form):
        assert "Content-Security-Policy" not in response.headers
        assert "X-Frame-Options" not in response.headers
    auth.login()
    assert client.get("/contacts").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_scripts_or_styles(logged_in, csrf, submit):
    """The CSP forbids inline scripts, handlers and style attributes: no page may use them."""
    ids = submit("ada@example.com", first=("linkedin", "paid_social", "webinar"), company="Acme")
    logged_in.post("/selections", data={"name": "LinkedIn", "kind": "dynamic", "csrf_token": csrf,
                                         "c": ["first_touch.source:eq:linkedin"]})
    contact = f"/contacts/{ids['contact_id']}"
    paths = ["/contacts", contact, *(f"{contact}?tab={tab}" for tab in
                                     ("submissions", "deals", "privacy")),
             "/companies", f"/companies/{ids['company_id']}", "/search",
             "/search?c=first_touch.source:eq:linkedin", "/selections", "/selections/1",
             "/selections/1/board", "/reports", "/utm-builder", "/settings", "/contacts/999"]
    for path in paths:
        html = logged_in.get(path).get_data(as_text=True)
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], path
        assert re.findall(r"<[^>]*\s(?:on[a-z]+|style)\s*=", html) == [], path
        assert "javascript:" not in html, path


def test_settings_users_are_for_admins_only(client, user, admin, auth):
    """Marketers cannot see the user list; admins can."""
    auth.login()
    assert client.get("/settings/users").status_code == 403
    auth.logout()
    auth.login(email="admin@leadtrail.test")
    page = client.get("/settings/users")
    assert page.status_code == 200 and "marketer@leadtrail.test" in page.get_data(as_text=True)


def test_login_is_rate_limited(database_url, user):
    """Guessing passwords is slowed down: the 11th attempt in a minute gets 429."""
    app = create_app({**base_config(database_url), "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    with app.app_context():
        statuses = [client.post("/login", data={"email": "marketer@leadtrail.test",
                                                "password": "wrong"}).status_code
                    for _ in range(11)]
        db.session.remove()
        db.engine.dispose()
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


@pytest.mark.parametrize("path", ["/", "/contacts", "/companies", "/search", "/selections",
                                  "/reports", "/utm-builder", "/settings"])
def test_pages_render_with_the_nav_bar(logged_in, path):
    """Every top-level page answers (/ redirects to contacts) and shows the navigation."""
    response = logged_in.get(path, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for label in ("Contacts", "Companies", "Search", "Selections", "Reports", "UTM builder",
                  "Settings"):
        assert f">{label}</a>" in html
