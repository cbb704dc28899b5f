"""Selections (static and dynamic), their pages, and the lead-status board."""

import sqlalchemy as sa

from server.extensions import db
from server.models import Contact, Selection
from tests.webapp.conftest import recorded_queries

LINKEDIN = "first_touch.source:eq:linkedin"


def save(client, csrf, name, kind, criteria=(LINKEDIN,)):
    """Save a search as a selection through the form; returns the new selection."""
    response = client.post("/selections", data={
        "name": name, "kind": kind, "c": list(criteria), "csrf_token": csrf})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(sa.select(Selection).filter_by(name=name))


def member_emails(client, selection) -> set[str]:
    """The e-mails listed on a selection's page."""
    html = client.get(f"/selections/{selection.id}").get_data(as_text=True)
    return {email for email in ("ada@example.com", "bob@example.com", "cyd@example.com")
            if email in html}


def test_static_selection_is_frozen_and_dynamic_reruns(logged_in, csrf, submit):
    """A contact who matches after saving joins the dynamic selection, not the static one."""
    submit("ada@example.com", first=("linkedin", "paid_social", "webinar"))
    submit("bob@example.com", first=("google", "cpc", "brand"))
    static = save(logged_in, csrf, "Frozen LinkedIn", "static")
    dynamic = save(logged_in, csrf, "Live LinkedIn", "dynamic")
    assert [member.contact_id for member in static.members] == [
        db.session.scalar(sa.select(Contact.id).filter_by(email="ada@example.com"))]

    submit("cyd@example.com", first=("linkedin", "organic", "post"))
    assert member_emails(logged_in, static) == {"ada@example.com"}
    assert member_emails(logged_in, dynamic) == {"ada@example.com", "cyd@example.com"}
    listing = logged_in.get("/selections").get_data(as_text=True)
    assert "Frozen LinkedIn" in listing and "Live LinkedIn" in listing


def test_selection_is_renamed_and_deleted(logged_in, csrf, submit):
    """Rename and delete work with the CSRF token; the contacts stay."""
    submit("ada@example.com", first=("linkedin", "paid_social", "webinar"))
    selection = save(logged_in, csrf, "Old name", "static")
    selection_id = selection.id
    logged_in.post(f"/selections/{selection_id}/rename",
                   data={"name": "New name", "csrf_token": csrf})
    db.session.expire_all()
    assert db.session.get(Selection, selection_id).name == "New name"
    assert logged_in.post(f"/selections/{selection_id}/delete").status_code == 400  # no token
    logged_in.post(f"/selections/{selection_id}/delete", data={"csrf_token": csrf})
    db.session.expire_all()
    assert db.session.get(Selection, selection_id) is None
    assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 1


def test_saving_needs_a_name_and_valid_criteria(logged_in, csrf):
    """Nothing is saved from a bad request; the user goes back to the search."""
    for data in ({"name": "", "kind": "dynamic", "c": [LINKEDIN]},
                 {"name": "x", "kind": "dynamic", "c": ["bogus:eq:x"]},
                 {"name": "x", "kind": "frozen", "c": [LINKEDIN]},
                 {"name": "x", "kind": "dynamic"}):
        response = logged_in.post("/selections", data={**data, "csrf_token": csrf})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/search")
    assert db.session.scalar(sa.select(sa.func.count(Selection.id))) == 0


def test_selection_members_use_their_own_column_choice(logged_in, csrf, submit):
    """The members table has the gear menu, remembered apart from the company card's."""
    submit("ada@example.com", first=("linkedin", "paid_social", "webinar_sept"))
    selection = save(logged_in, csrf, "LinkedIn", "dynamic")
    logged_in.post("/preferences/columns", data={
        "table": "selection", "columns": ["first_touch.campaign"], "csrf_token": csrf})
    html = logged_in.get(f"/selections/{selection.id}").get_data(as_text=True)
    assert 'data-column="first_touch.campaign"' in html and "webinar_sept" in html
    assert 'data-column="first_touch.source"' not in html


def test_board_shows_contacts_in_status_columns(logged_in, csrf, submit):
    """Each contact sits in the column of its lead status."""
    ada = submit("ada@example.com", first=("linkedin", "paid_social", "webinar"))
    selection = save(logged_in, csrf, "LinkedIn", "dynamic")
    db.session.get(Contact, ada["contact_id"]).lead_status = "qualified"
    db.session.commit()
    html = logged_in.get(f"/selections/{selection.id}/board").get_data(as_text=True)
    column = html[html.index('data-testid="column-qualified"'):
                  html.index('data-testid="column-opportunity"')]
    assert f'data-contact-id="{ada["contact_id"]}"' in column
    assert "/static/js/board.js" in html


def test_board_status_change_needs_csrf_and_persists(logged_in, csrf, submit):
    """The board's JSON request changes the status with X-CSRFToken, and only with it."""
    contact_id = submit("ada@example.com")["contact_id"]
    path = f"/contacts/{contact_id}/status"
    json_accept = {"Accept": "application/json"}
    refused = logged_in.post(path, data={"lead_status": "customer"}, headers=json_accept)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"
    response = logged_in.post(path, data={"lead_status": "customer"},
                              headers={**json_accept, "X-CSRFToken": csrf})
    assert response.status_code == 200
    assert response.get_json() == {"id": contact_id, "lead_status": "customer"}
    db.session.expire_all()
    assert db.session.get(Contact, contact_id).lead_status == "customer"
    bad = logged_in.post(path, data={"lead_status": "won"},
                         headers={**json_accept, "X-CSRFToken": csrf})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_status"


def test_board_with_hundreds_of_cards_runs_a_fixed_number_of_queries(logged_in, csrf, app):
    """Companies and touches load with the contacts: no query per card."""
    db.session.add_all([Contact(email=f"lead{n}@example.com", lead_status="new")
                        for n in range(300)])
    db.session.commit()
    selection = save(logged_in, csrf, "Everyone", "dynamic", ["created:after:2000-01-01"])
    with recorded_queries() as statements:
        response = logged_in.get(f"/selections/{selection.id}/board")
    assert response.get_data(as_text=True).count('class="board-card"') == 300
    assert len(statements) < 10


def test_only_the_owner_or_an_admin_changes_a_selection(client, auth, user, admin, submit):
    """Everyone sees a selection; another marketer can neither rename nor delete it."""
    from tests.conftest import add_user

    add_user("other@leadtrail.test", "marketer")
    auth.login()
    selection = save(client, auth.csrf_token("/contacts"), "Mine", "dynamic")
    selection_id = selection.id
    auth.logout()

    auth.login(email="other@leadtrail.test")
    csrf = auth.csrf_token("/contacts")
    page = client.get(f"/selections/{selection_id}").get_data(as_text=True)
    assert "Mine" in page and "Delete selection" not in page
    assert "only they or an admin can rename or delete it" in page
    rename = client.post(f"/selections/{selection_id}/rename",
                         data={"name": "Taken", "csrf_token": csrf})
    delete = client.post(f"/selections/{selection_id}/delete", data={"csrf_token": csrf})
    assert rename.status_code == delete.status_code == 403
    db.session.expire_all()
    assert db.session.get(Selection, selection_id).name == "Mine"
    auth.logout()

    auth.login(email="admin@leadtrail.test")
    csrf = auth.csrf_token("/contacts")
    assert "Delete selection" in client.get(f"/selections/{selection_id}").get_data(as_text=True)
    assert client.post(f"/selections/{selection_id}/delete",
                       data={"csrf_token": csrf}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Selection, selection_id) is None


def test_selections_whose_criteria_no_longer_validate(logged_in, csrf, submit):
    """A static one still lists its members; a dynamic one says why it cannot run."""
    submit("ada@example.com", first=("linkedin", "paid_social", "webinar"))
    static = save(logged_in, csrf, "Frozen", "static")
    dynamic = save(logged_in, csrf, "Live", "dynamic")
    for selection in (static, dynamic):
        selection.criteria = [{"field": "retired.field", "op": "eq", "value": "x"}]
    db.session.commit()
    for path in (f"/selections/{static.id}", f"/selections/{static.id}/board"):
        response = logged_in.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "no longer apply" in html and "ada@example.com" in html, path
    html = logged_in.get(f"/selections/{dynamic.id}").get_data(as_text=True)
    assert "This selection cannot run: Unknown search field" in html
    assert "ada@example.com" not in html
    listing = logged_in.get("/selections").get_data(as_text=True)
    assert "Frozen" in listing and "Live" in listing
