"""Shared fixtures: an app on a fresh database (SQLite, and PostgreSQL when available)."""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from server import create_app
from server.extensions import db
from server.models import ApiToken, Form, Site, User

POSTGRES_URL = os.environ.get("LEADTRAIL_TEST_POSTGRES_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def pytest_report_header(config):
    """Say which databases the suite runs on."""
    return f"leadtrail databases: {', '.join(BACKENDS)}"


def base_config(database_url: str) -> dict:
    """Configuration shared by every test app."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
    }


def migrate_to_head(database_url: str) -> None:
    """Build the schema the way production does: through the migrations."""
    from flask_migrate import upgrade

    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A migrated SQLite file that each test copies, so every test starts empty."""
    path = tmp_path_factory.mktemp("template") / "leadtrail.sqlite3"
    migrate_to_head(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, migrated from scratch, dropped at the end.

    A database per run lets several runs (a developer's and CI's) share one server.
    """
    from server.config import normalise_database_url

    server_url = sa.make_url(normalise_database_url(POSTGRES_URL))
    name = f"leadtrail_test_{os.getpid()}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        # Databases left by runs that were killed: their process is gone.
        for (stale,) in connection.execute(sa.text(
            "SELECT datname FROM pg_database WHERE datname LIKE 'leadtrail\\_test\\_%'"
        )):
            pid = stale.rsplit("_", 1)[-1]
            if stale == name or (pid.isdigit() and not os.path.exists(f"/proc/{pid}")):
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = server_url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate_to_head(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """An empty, migrated database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "leadtrail.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_schema")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"
        )).scalars().all()
        if tables:
            names = ", ".join(f'"{name}"' for name in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def app(database_url):
    """A Leadtrail app on an empty database."""
    app = create_app(base_config(database_url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's command-line commands."""
    return app.test_cli_runner()


@dataclass
class SiteSetup:
    """A site with one tracked form, as an admin would set it up."""

    site: Site
    form: Form

    @property
    def form_url(self) -> str:
        """The form's action path."""
        return f"/f/{self.form.key}"


@pytest.fixture
def make_site(app):
    """Build sites and forms: ``make_site(domains=[...], track_utm=True, **site_fields)``."""

    def build(name="Acme site", domains=("site.test",), track_utm=True,
              redirect_url="https://site.test/thanks", **site_fields) -> SiteSetup:
        site = Site(name=name, domains=list(domains), **site_fields)
        form = Form(site=site, name="Signup", redirect_url=redirect_url, track_utm=track_utm)
        db.session.add_all([site, form])
        db.session.commit()
        return SiteSetup(site=site, form=form)

    return build


@pytest.fixture
def site(make_site) -> SiteSetup:
    """The default test site (domain site.test) with a tracked signup form."""
    return make_site()


PASSWORD = "correct horse"


def add_user(email: str, role: str) -> User:
    """Store a user who logs in with ``PASSWORD``."""
    user = User(email=email, role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def user(app) -> User:
    """A marketer who can log in with password 'correct horse'."""
    return add_user("marketer@leadtrail.test", "marketer")


@pytest.fixture
def admin(app) -> User:
    """An admin who can log in with password 'correct horse'."""
    return add_user("admin@leadtrail.test", "admin")


@pytest.fixture
def api_headers(user) -> dict:
    """Authorization headers with a fresh API token for ``user``."""
    api_token, plain = ApiToken.issue(user, "tests")
    db.session.add(api_token)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}
