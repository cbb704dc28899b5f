"""The ``leadtrail`` command line."""

import os
import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from server.demo import DEFAULT_SEED
from server.extensions import db
from server.models import ROLES, ApiToken, Form, Site, User


def _create_app(*args, **kwargs):
    """App factory for the command line."""
    from server import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Leadtrail: conversion tracking that shows where every lead came from."""


def register_commands(app) -> None:
    """Also expose the commands through ``flask --app server``."""
    for command in (init, create_user, create_token, create_site, create_form, serve, demo):
        app.cli.add_command(command)


def upgrade_database() -> None:
    """Create the database or bring it to the newest schema."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


@main.command()
@with_appcontext
def init() -> None:
    """Create the database, or migrate it to the newest schema."""
    upgrade_database()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@main.command("create-user")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(ROLES), default="marketer", show_default=True)
@with_appcontext
def create_user(email: str, password: str, role: str) -> None:
    """Create a user who can log in to the marketer app (or reset their password and role)."""
    from server.validation import MIN_PASSWORD_LENGTH, clean_email

    email = clean_email(email)
    if email is None:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password"
        )
    user = db.session.scalar(sa.select(User).filter_by(email=email))
    verb = "Updated"
    if user is None:
        user, verb = User(email=email), "Created"
        db.session.add(user)
    user.role = role
    user.set_password(password)
    db.session.commit()
    click.echo(f"{verb} {role} {email}")


@main.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for.")
@with_appcontext
def create_token(email: str, name: str) -> None:
    """Print a new API token for a user (shown once)."""
    user = db.session.scalar(sa.select(User).filter_by(email=email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {email}; create it with leadtrail create-user")
    api_token, plain = ApiToken.issue(user, name)
    db.session.add(api_token)
    db.session.commit()
    click.echo(plain)


@main.command("create-site")
@click.argument("name")
@click.option("--domain", "domains", multiple=True, required=True,
              help="A domain the site runs on (repeatable); subdomains are included.")
@with_appcontext
def create_site(name: str, domains: tuple[str, ...]) -> None:
    """Create a site and print its key for the script tag."""
    from server.validation import clean_domain

    cleaned = []
    for domain in domains:
        value = clean_domain(domain)
        if value is None:
            raise click.BadParameter(f"{domain!r} is not a domain", param_hint="--domain")
        cleaned.append(value)
    site = Site(name=name.strip()[:200], domains=cleaned)
    db.session.add(site)
    db.session.commit()
    click.echo(site.key)


@main.command("create-form")
@click.argument("site_key")
@click.argument("name")
@click.option("--redirect-url", required=True, help="The thank-you page after a submission.")
@click.option("--no-track-utm", is_flag=True, help="Store submissions without attribution.")
@with_appcontext
def create_form(site_key: str, name: str, redirect_url: str, no_track_utm: bool) -> None:
    """Create a form on a site and print its key for the form's action URL."""
    from server.validation import clean_redirect_url

    site = db.session.scalar(sa.select(Site).filter_by(key=site_key))
    if site is None:
        raise click.ClickException(f"no site with key {site_key}")
    url = clean_redirect_url(redirect_url)
    if url is None:
        raise click.BadParameter("must be an http(s) URL", param_hint="--redirect-url")
    form = Form(site=site, name=name.strip()[:200], redirect_url=url, track_utm=not no_track_utm)
    db.session.add(form)
    db.session.commit()
    click.echo(form.key)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=lambda: int(os.environ.get("WEB_CONCURRENCY", 2)),
              show_default="WEB_CONCURRENCY or 2", type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app with gunicorn."""
    from gunicorn.app.base import BaseApplication

    class LeadtrailServer(BaseApplication):
        """gunicorn, configured from the command line instead of a config file."""

        def load_config(self):
            """Bind address, workers and logging."""
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))

        def load(self):
            """The WSGI app, one per worker."""
            from server import create_app

            return create_app()

    click.echo(f"Leadtrail on http://{host}:{port}/", err=True)
    LeadtrailServer().run()
    sys.exit(0)


@main.command()
@click.option("--visitors", default=300, show_default=True, help="How many journeys to simulate.")
@click.option("--server-url", default=None, help="Send the journeys to a running server instead.")
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int,
              help="The same seed simulates the same journeys.")
@with_appcontext
def demo(visitors: int, server_url: str | None, seed: int) -> None:
    """Fill the database with a demo site, form, users and simulated journeys."""
    from server.demo import run_demo

    run_demo(visitors=visitors, server_url=server_url, seed=seed)
