"""Settings: everyone may look, only admins may change; changes reach ingestion."""

import html

import pytest
import sqlalchemy as sa

from server.api.auth import user_from_bearer_token
from server.extensions import db
from server.models import ApiToken, Form, Site, Submission, User, UtmLink
from server.tracker import get_built_script
from tests.api.helpers import attribution_fields


@pytest.fixture
def as_admin(client, admin, auth):
    """A test client with an admin logged in, and a CSRF token: ``(client, token)``."""
    assert auth.login(email=admin.email).status_code == 302
    return client, auth.csrf_token("/contacts")


def page_text(response) -> str:
    """The response body with HTML entities decoded."""
    return html.unescape(response.get_data(as_text=True))


def post(as_admin, path, **data):
    """POST a settings change with the CSRF token; follow the redirect back."""
    client, token = as_admin
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=True)


def fresh(model, key):
    """A row read again from the database (the session may hold an old copy)."""
    db.session.expire_all()
    return db.session.get(model, key)


def test_everyone_sees_the_sites_forms_and_snippet(logged_in, site, app):
    """A marketer sees the snippet with its SRI hash and a form example, but no edit controls."""
    page = page_text(logged_in.get("/settings"))
    integrity = get_built_script(app).integrity
    assert (f'<script async src="http://localhost/t.js" data-site="{site.site.key}" '
            f'integrity="{integrity}" crossorigin="anonymous"></script>') in page
    assert f'<form method="post" action="http://localhost/f/{site.form.key}">' in page
    assert "site.test" in page and "paypal.com" in page  # a built-in excluded domain
    assert "Create site" not in page and "Add alias" not in page
    assert logged_in.get("/settings/users").status_code == 403


@pytest.mark.parametrize(("path", "data"), [
    ("/settings/sites", {"name": "X", "domain": "x.test"}),
    ("/settings/sites/{site}/name", {"name": "X"}),
    ("/settings/sites/{site}/domains", {"domain": "x.test"}),
    ("/settings/sites/{site}/domains/remove", {"domain": "site.test"}),
    ("/settings/sites/{site}/excluded", {"domain": "x.test"}),
    ("/settings/sites/{site}/excluded/remove", {"domain": "x.test"}),
    ("/settings/sites/{site}/options", {"lookback_days": "30"}),
    ("/settings/sites/{site}/aliases", {"raw": "a", "canonical": "b"}),
    ("/settings/sites/{site}/aliases/remove", {"raw": "a"}),
    ("/settings/sites/{site}/forms", {"name": "F", "redirect_url": "https://x.test/"}),
    ("/settings/forms/{form}", {"name": "F", "redirect_url": "https://x.test/"}),
    ("/settings/users", {"email": "a@b.test", "role": "admin", "password": "long enough"}),
    ("/settings/users/{user}/role", {"role": "admin"}),
    ("/settings/users/{user}/password", {"password": "long enough"}),
    ("/settings/users/{user}/delete", {}),
    ("/settings/tokens", {"name": "t", "user_id": "{user}"}),
    ("/settings/tokens/{token}/revoke", {}),
])
def test_marketers_cannot_change_anything(logged_in, csrf, site, user, api_headers, path, data):
    """Every change answers 403 to a marketer, and nothing changes."""
    token_id = db.session.scalar(sa.select(ApiToken.id))
    ids = {"site": site.site.id, "form": site.form.id, "user": user.id, "token": token_id}
    data = {key: value.format(**ids) for key, value in data.items()}
    before = settings_state()
    response = logged_in.post(path.format(**ids), data={**data, "csrf_token": csrf})
    assert response.status_code == 403
    assert settings_state() == before


def settings_state() -> list:
    """Every value a settings page can change, read again from the database."""
    db.session.expire_all()
    rows = []
    for model in (Site, Form, User, ApiToken):
        for row in db.session.scalars(sa.select(model).order_by(model.id)):
            rows.append({column.key: getattr(row, column.key)
                         for column in sa.inspect(model).column_attrs})
    return rows


def test_changes_need_the_csrf_token(as_admin, site):
    """Without the token nothing is written."""
    client, _ = as_admin
    client.post(f"/settings/sites/{site.site.id}/name", data={"name": "Hacked"})
    assert fresh(Site, site.site.id).name == "Acme site"


def test_create_site_cleans_the_domain(as_admin):
    """The domain is cleaned like the command line does; bad input says what is wrong."""
    page = page_text(post(as_admin, "/settings/sites", name=" Shop ",
                          domain="https://www.Shop.Example.com/path"))
    assert "Site “Shop” created." in page
    site = db.session.scalar(sa.select(Site).filter_by(name="Shop"))
    assert site.domains == ["shop.example.com"]
    page = page_text(post(as_admin, "/settings/sites", name="", domain="not a domain"))
    assert "Site name: Give the site a name." in page
    assert "Domain: “not a domain” is not a domain" in page
    assert db.session.scalar(sa.select(sa.func.count(Site.id))) == 1


def test_rename_and_domains(as_admin, site):
    """Rename; add and remove domains; duplicates, bad values and the last domain are refused."""
    site_id = site.site.id
    post(as_admin, f"/settings/sites/{site_id}/name", name="Acme EU")
    assert fresh(Site, site_id).name == "Acme EU"
    assert "Name: This field is required." in page_text(
        post(as_admin, f"/settings/sites/{site_id}/name", name="  "))
    post(as_admin, f"/settings/sites/{site_id}/domains", domain="WWW.acme.eu")
    assert fresh(Site, site_id).domains == ["site.test", "acme.eu"]
    assert "already listed" in page_text(
        post(as_admin, f"/settings/sites/{site_id}/domains", domain="acme.eu"))
    assert "is not a domain" in page_text(
        post(as_admin, f"/settings/sites/{site_id}/domains", domain="acme..eu"))
    post(as_admin, f"/settings/sites/{site_id}/domains/remove", domain="site.test")
    assert fresh(Site, site_id).domains == ["acme.eu"]
    assert "at least one domain" in page_text(
        post(as_admin, f"/settings/sites/{site_id}/domains/remove", domain="acme.eu"))
    assert fresh(Site, site_id).domains == ["acme.eu"]


def test_options_are_validated_whole(as_admin, site):
    """Lookback outside 1–730 is refused and the switch is not half-saved with it."""
    site_id = site.site.id
    page = page_text(post(as_admin, f"/settings/sites/{site_id}/options", lookback_days="731"))
    assert "Acme site · Lookback days: Use a number of days from 1 to 730." in page
    assert (fresh(Site, site_id).lowercase_values, fresh(Site, site_id).lookback_days) == (True, 90)
    post(as_admin, f"/settings/sites/{site_id}/options", lookback_days="30")
    site = fresh(Site, site_id)
    assert (site.lowercase_values, site.lookback_days) == (False, 30)
    post(as_admin, f"/settings/sites/{site_id}/options", lookback_days="1", lowercase_values="y")
    assert (fresh(Site, site_id).lowercase_values, fresh(Site, site_id).lookback_days) == (True, 1)


def test_excluded_domains_and_aliases(as_admin, site):
    """Excluded domains are validated and not duplicated with the defaults; alias rows."""
    site_id = site.site.id
    post(as_admin, f"/settings/sites/{site_id}/excluded", domain="pay.example.net")
    assert "already excluded by default" in page_text(
        post(as_admin, f"/settings/sites/{site_id}/excluded", domain="paypal.com"))
    assert fresh(Site, site_id).excluded_domains == ["pay.example.net"]
    post(as_admin, f"/settings/sites/{site_id}/excluded/remove", domain="pay.example.net")
    assert fresh(Site, site_id).excluded_domains == []

    post(as_admin, f"/settings/sites/{site_id}/aliases", raw=" lnkd.in ", canonical="linkedin")
    post(as_admin, f"/settings/sites/{site_id}/aliases", raw="LNKD.IN", canonical="LinkedIn")
    assert fresh(Site, site_id).aliases == {"LNKD.IN": "LinkedIn"}
    assert "Canonical value: Type the value to use." in page_text(
        post(as_admin, f"/settings/sites/{site_id}/aliases", raw="fb", canonical=""))
    post(as_admin, f"/settings/sites/{site_id}/aliases/remove", raw="LNKD.IN")
    assert fresh(Site, site_id).aliases == {}


def test_alias_rows_match_the_way_ingestion_looks_them_up(as_admin, site):
    """A row differing only in spaces or case is replaced; a "no value" sentinel is refused."""
    site_id = site.site.id
    fresh(Site, site_id).aliases = {"lnkd  in": "linkedin"}  # as an older version stored it
    db.session.commit()
    post(as_admin, f"/settings/sites/{site_id}/aliases", raw="LNKD IN", canonical="LinkedIn")
    assert fresh(Site, site_id).aliases == {"LNKD IN": "LinkedIn"}
    page = page_text(post(as_admin, f"/settings/sites/{site_id}/aliases", raw="(Direct)",
                          canonical="google"))
    assert "Alias: (Direct) means “no value” and is never renamed." in page
    assert fresh(Site, site_id).aliases == {"LNKD IN": "LinkedIn"}
    too_long = "x" * 256
    post(as_admin, f"/settings/sites/{site_id}/aliases", raw=too_long, canonical="y")
    post(as_admin, f"/settings/sites/{site_id}/aliases", raw="y", canonical=too_long)
    assert fresh(Site, site_id).aliases == {"LNKD IN": "LinkedIn"}


def test_forms_create_and_edit(as_admin, site):
    """Create a form on a site, then rename it, change its thank-you page and UTM switch."""
    site_id = site.site.id
    page = page_text(post(as_admin, f"/settings/sites/{site_id}/forms", name="Demo request",
                          redirect_url="https://site.test/demo-thanks", track_utm="y"))
    assert "Form “Demo request” created." in page
    form = db.session.scalar(sa.select(Form).filter_by(name="Demo request"))
    assert (form.site_id, form.redirect_url, form.track_utm) == (
        site_id, "https://site.test/demo-thanks", True)
    assert f"/f/{form.key}" in page
    page = page_text(post(as_admin, f"/settings/forms/{form.id}", name="Demo",
                          redirect_url="javascript:alert(1)"))
    assert "Thank-you page: Use an address that starts with http:// or https://." in page
    assert fresh(Form, form.id).name == "Demo request"
    post(as_admin, f"/settings/forms/{form.id}", name="Demo", redirect_url="https://site.test/t")
    form = fresh(Form, form.id)
    assert (form.name, form.redirect_url, form.track_utm) == ("Demo", "https://site.test/t", False)


def test_users_create_role_and_password(as_admin, admin):
    """Create a user; change a role; reset a password; the last admin stays admin."""
    page = page_text(post(as_admin, "/settings/users", email=" Bo@Example.com ",
                          role="admin", password="short"))
    assert "Password: Use at least 8 characters." in page
    post(as_admin, "/settings/users", email=" Bo@Example.com ", role="marketer",
         password="long enough")
    bo = db.session.scalar(sa.select(User).filter_by(email="bo@example.com"))
    assert bo.role == "marketer" and bo.check_password("long enough")
    assert "already has an account" in page_text(post(
        as_admin, "/settings/users", email="bo@example.com", role="marketer",
        password="long enough"))

    assert "Use at least 8 characters" in page_text(
        post(as_admin, f"/settings/users/{bo.id}/password", password="short"))
    post(as_admin, f"/settings/users/{bo.id}/password", password="new password")
    assert fresh(User, bo.id).check_password("new password")
    assert not fresh(User, bo.id).check_password("long enough")

    page = page_text(post(as_admin, f"/settings/users/{admin.id}/role", role="marketer"))
    assert "is the last admin" in page
    assert fresh(User, admin.id).role == "admin"
    post(as_admin, f"/settings/users/{bo.id}/role", role="admin")
    post(as_admin, f"/settings/users/{admin.id}/role", role="marketer")
    assert (fresh(User, bo.id).role, fresh(User, admin.id).role) == ("admin", "marketer")


def test_tokens_are_shown_once_and_can_be_revoked(as_admin, admin, client, app):
    """A new token is on the response page only; it works on the API until revoked."""
    api = app.test_client()  # no session cookie: only the token counts
    response = post(as_admin, "/settings/tokens", name="CRM sync", user_id=str(admin.id))
    assert response.status_code == 201
    plain = response.get_data(as_text=True).split('aria-label="New API token"')[0]
    plain = plain.rsplit('value="', 1)[1].split('"')[0]
    assert plain.startswith("lt_")
    headers = {"Authorization": f"Bearer {plain}"}
    assert api.get("/api/contacts", headers=headers).status_code == 200
    listing = page_text(client.get("/settings/users"))
    assert "CRM sync" in listing and plain not in listing
    token = db.session.scalar(sa.select(ApiToken).filter_by(name="CRM sync"))
    assert "revoked" in page_text(post(as_admin, f"/settings/tokens/{token.id}/revoke"))
    # The shared app context caches the admin's log-in, so ask the API's token check directly.
    assert user_from_bearer_token(headers["Authorization"]) is None
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def submit_from(client, site, page_url, referrer=None):
    """Post a submission to the site's form and return the stored submission."""
    body = {"email": "ada@example.com", **attribution_fields(page_url, referrer=referrer or "")}
    response = client.post(site.form_url, data=body, headers={"Origin": "https://site.test"})
    assert response.status_code in (201, 302, 303), response.get_data(as_text=True)
    db.session.expire_all()
    return db.session.scalars(sa.select(Submission).order_by(Submission.id.desc())).first()


def test_changes_take_effect_on_ingestion(as_admin, site):
    """Alias, lower-case switch, excluded domain and track switch change the stored touch."""
    client, _ = as_admin
    site_id = site.site.id
    post(as_admin, f"/settings/sites/{site_id}/aliases", raw="lnkd", canonical="LinkedIn")
    post(as_admin, f"/settings/sites/{site_id}/options", lookback_days="90")  # lower-case off
    stored = submit_from(client, site, "https://site.test/?utm_source=LNKD&utm_medium=Paid_Social"
                                       "&utm_campaign=Webinar")
    assert (stored.conversion.source, stored.conversion.medium, stored.conversion.campaign) == (
        "LinkedIn", "Paid_Social", "Webinar")

    post(as_admin, f"/settings/sites/{site_id}/options", lookback_days="90", lowercase_values="y")
    stored = submit_from(client, site, "https://site.test/?utm_source=LNKD&utm_medium=Paid_Social"
                                       "&utm_campaign=Webinar")
    assert (stored.conversion.source, stored.conversion.medium) == ("linkedin", "paid_social")

    before = submit_from(client, site, "https://site.test/signup",
                         referrer="https://pay.example.net/checkout")
    assert before.conversion.source == "pay.example.net"
    post(as_admin, f"/settings/sites/{site_id}/excluded", domain="pay.example.net")
    after = submit_from(client, site, "https://site.test/signup",
                        referrer="https://pay.example.net/checkout")
    assert after.conversion.source != "pay.example.net"

    post(as_admin, f"/settings/forms/{site.form.id}", name="Signup",
         redirect_url="https://site.test/thanks")  # track switch off
    untracked = submit_from(client, site, "https://site.test/?utm_source=google&utm_medium=cpc")
    assert untracked.conversion is None and untracked.raw_attribution == {}


def test_delete_user_keeps_their_links(as_admin, admin, user):
    """A deleted user's links stay without a creator; nobody deletes their own account."""
    assert "cannot delete your own account" in page_text(
        post(as_admin, f"/settings/users/{admin.id}/delete"))
    api_token, _ = ApiToken.issue(user, "old")
    link = UtmLink(url="https://x.test/?utm_source=google", source="google", medium="cpc",
                   campaign="brand", created_by_id=user.id)
    db.session.add_all([api_token, link])
    db.session.commit()
    page = page_text(post(as_admin, f"/settings/users/{user.id}/delete"))
    assert f"User {user.email} deleted." in page
    assert fresh(User, user.id) is None
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    assert fresh(UtmLink, link.id).created_by_id is None


def test_an_admin_who_steps_down_lands_on_settings(as_admin, admin):
    """With another admin around, an admin may become marketer, and is sent to /settings."""
    other = User(email="other@leadtrail.test", role="admin")
    other.set_password("long enough")
    db.session.add(other)
    db.session.commit()
    client, token = as_admin
    response = client.post(f"/settings/users/{admin.id}/role",
                           data={"role": "marketer", "csrf_token": token})
    assert response.headers["Location"].endswith("/settings")
    assert client.get("/settings/users").status_code == 403


def test_destructive_buttons_ask_first(as_admin, admin, user, api_headers):
    """Deleting a user and revoking a token carry data-confirm, and every page loads confirm.js."""
    client, _ = as_admin
    page = page_text(client.get("/settings/users"))
    assert 'data-confirm="Delete the user marketer@leadtrail.test? ' in page
    assert 'data-confirm="Revoke the token “tests”? ' in page
    assert '<script src="/static/js/confirm.js" defer></script>' in page


def test_a_user_created_twice_at_once_is_refused_not_a_500(as_admin, admin, monkeypatch):
    """If the address is taken between the check and the commit, the page says so."""
    monkeypatch.setattr("server.webapp.settings.email_taken", lambda email: False)
    page = page_text(post(as_admin, "/settings/users", email="admin@leadtrail.test",
                          role="marketer", password="long enough"))
    assert "E-mail: admin@leadtrail.test already has an account." in page
    assert fresh(User, admin.id).role == "admin"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
