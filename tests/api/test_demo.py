"""The journey simulator behind ``leadtrail demo``: real form posts, varied journeys."""

from collections import Counter

import click
import pytest
import sqlalchemy as sa

from server.demo import DEMO_EMAIL, ensure_demo_setup, run_demo
from server.extensions import db
from server.models import Company, Contact, Deal, Form, Site, Submission, User


def test_demo_setup_is_idempotent(app):
    """Running the setup twice leaves one admin, one demo site and the same form keys."""
    first = ensure_demo_setup(demo_port=8000)
    second = ensure_demo_setup(demo_port=8001)
    assert (second.site_key, second.form_key) == (first.site_key, first.form_key)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Form)) == 2
    admin = db.session.scalar(sa.select(User).filter_by(email=DEMO_EMAIL))
    assert admin.is_admin and admin.check_password("leadtrail-demo")
    site = db.session.scalar(sa.select(Site))
    assert site.domains == ["localhost", "127.0.0.1"]
    assert {form.redirect_url for form in site.forms} == {"http://localhost:8001/thanks"}
    # The simulator names no port: the demo site's port stays as it was set.
    assert ensure_demo_setup().site_url == "http://localhost:8001"


def test_demo_fills_the_database_with_varied_journeys(app, capsys):
    """Contacts from many channels, returning leads, shared companies, deals, and a summary."""
    summary = run_demo(visitors=60, seed=3)

    contacts = db.session.scalars(sa.select(Contact)).all()
    assert len(contacts) == 60 == summary.contacts
    submissions = db.session.scalar(sa.select(sa.func.count()).select_from(Submission))
    assert submissions == summary.submissions > 60
    channels = Counter(contact.lead_creation.channel for contact in contacts)
    assert {"Organic Search", "Paid Search", "Paid Social", "Email", "Direct"} <= set(channels)
    assert len(channels) >= 6

    returning = [contact for contact in contacts if len(contact.submissions) == 2]
    assert returning
    for contact in returning:
        newest, oldest = contact.submissions
        assert oldest.created_contact and not newest.created_contact
        assert oldest.created_at < newest.created_at
        assert contact.lead_creation_id == oldest.conversion_id

    assert any(contact.first_touch.source != contact.lead_creation.source
               for contact in contacts)
    companies = db.session.scalars(sa.select(Company)).all()
    assert len(companies) == summary.companies
    assert any(len(company.contacts) > 1 for company in companies)
    assert all(company.source is not None for company in companies)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Deal)) == summary.deals > 0
    assert len({contact.lead_status for contact in contacts}) >= 3
    # Backdated to the simulated journeys: weeks of traffic, not one afternoon.
    days = {contact.created_at.date() for contact in contacts}
    assert len(days) > 10

    printed = capsys.readouterr()
    assert f"Contacts created: {summary.contacts}" in printed.out
    assert "Simulating journeys" in printed.err


def test_demo_is_deterministic_and_adds_nothing_twice(app, capsys):
    """The same seed plans the same journeys; their submission ids make the rerun a no-op."""
    first = run_demo(visitors=10, seed=5)
    emails = set(db.session.scalars(sa.select(Contact.email)))
    again = run_demo(visitors=10, seed=5)
    assert again.submissions == 0 and again.replayed == first.submissions
    assert set(db.session.scalars(sa.select(Contact.email))) == emails


def test_demo_site_pages_carry_the_install(app):
    """Every demo page has the script tag; the signup and webinar forms post to Leadtrail."""
    from examples.demo_site import PAGES, create_demo_site

    setup = ensure_demo_setup(demo_port=8000)
    site = create_demo_site("http://localhost:5000/", setup).test_client()
    for path in PAGES:
        html = site.get(path).get_data(as_text=True)
        assert f'src="http://localhost:5000/t.js" data-site="{setup.site_key}"' in html, path
    assert f'action="http://localhost:5000/f/{setup.form_key}"' in site.get("/signup").text
    assert f'action="http://localhost:5000/f/{setup.webinar_form_key}"' in site.get(
        "/webinar").text
    with site.get("/static/demo.css") as stylesheet:
        assert stylesheet.status_code == 200


def test_demo_names_a_server_it_cannot_reach(app):
    """--server-url with nothing listening: a one-line error for the terminal, no traceback."""
    with pytest.raises(click.ClickException, match="cannot reach http://127.0.0.1:9"):
        run_demo(visitors=1, server_url="http://127.0.0.1:9")
