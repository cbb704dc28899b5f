"""The ``leadtrail`` command line, run against the test database."""

import sqlalchemy as sa

from server.extensions import db
from server.models import ApiToken, Form, Site, User


def test_create_user_site_form_and_token(runner, client):
    """The set-up commands produce a working user, site, form and API token."""
    result = runner.invoke(args=["create-user", "Ann@Example.com", "--password", "s3cret-pass",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.role) == ("ann@example.com", "admin")
    assert user.check_password("s3cret-pass")

    result = runner.invoke(args=["create-site", "Shop", "--domain", "https://www.Shop.test/",
                                 "--domain", "shop.example"])
    assert result.exit_code == 0, result.output
    site_key = result.output.strip()
    site = db.session.scalar(sa.select(Site).filter_by(key=site_key))
    assert site.domains == ["shop.test", "shop.example"]

    result = runner.invoke(args=["create-form", site_key, "Newsletter",
                                 "--redirect-url", "https://shop.test/thanks"])
    assert result.exit_code == 0, result.output
    form = db.session.scalar(sa.select(Form).filter_by(key=result.output.strip()))
    assert form.site_id == site.id and form.track_utm

    result = runner.invoke(args=["create-token", "ann@example.com"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert db.session.scalar(sa.select(ApiToken.token_hash)) == ApiToken.hash(token)
    response = client.get("/api/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_create_user_refuses_short_password(runner):
    """A weak password is refused with a message and creates nobody."""
    result = runner.invoke(args=["create-user", "a@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_create_site_refuses_bad_domain(runner):
    """A domain that is not a host name is refused."""
    result = runner.invoke(args=["create-site", "Shop", "--domain", "not a domain"])
    assert result.exit_code != 0
    assert "is not a domain" in result.output


def test_create_form_needs_known_site_and_http_url(runner, site):
    """Unknown site keys and non-http thank-you URLs are refused."""
    result = runner.invoke(args=["create-form", "site_nope", "X", "--redirect-url", "https://a.b/"])
    assert result.exit_code != 0 and "no site with key" in result.output
    result = runner.invoke(args=["create-form", site.site.key, "X",
                                 "--redirect-url", "javascript:alert(1)"])
    assert result.exit_code != 0 and "http(s) URL" in result.output


def test_create_token_for_unknown_user(runner):
    """Tokens are only issued to existing users."""
    result = runner.invoke(args=["create-token", "ghost@example.com"])
    assert result.exit_code != 0
    assert "no user ghost@example.com" in result.output


def test_init_is_idempotent(runner):
    """``init`` on an up-to-date database changes nothing and succeeds."""
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output


def test_secret_key_is_made_once_and_kept(tmp_path, monkeypatch):
    """Without LEADTRAIL_SECRET_KEY a private random key is made and reused on the next start."""
    from server.config import config_from_environment

    monkeypatch.delenv("LEADTRAIL_SECRET_KEY", raising=False)
    first = config_from_environment(str(tmp_path))["SECRET_KEY"]
    second = config_from_environment(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("LEADTRAIL_SECRET_KEY", "from-the-environment")
    assert config_from_environment(str(tmp_path))["SECRET_KEY"] == "from-the-environment"
