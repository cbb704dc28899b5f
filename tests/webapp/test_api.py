"""The JSON API of the search: search, selections, lead status and deals, with bearer tokens."""

import pytest

LINKEDIN = {"field": "first_touch.source", "op": "eq", "value": "linkedin"}


@pytest.fixture
def people(submit):
    """Ada (first touch LinkedIn, company Acme) and Bob (Google)."""
    return {
        "ada": submit("ada@example.com", first=("linkedin", "paid_social", "webinar"),
                      last=("facebook", "paid_social", "retarget"), company="Acme"),
        "bob": submit("bob@example.com", first=("google", "cpc", "brand")),
    }


def emails(body) -> list[str]:
    """The e-mails of a page of contacts."""
    return [item["email"] for item in body["items"]]


def test_search(client, api_headers, people):
    """POST /api/search runs the criteria and pages the result."""
    response = client.post("/api/search", headers=api_headers, json={"criteria": [
        LINKEDIN, {"field": "lead_creation.source", "op": "in", "value": "facebook,x"}]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and emails(body) == ["ada@example.com"]
    assert body["items"][0]["first_touch"]["source"] == "linkedin"
    everyone = client.post("/api/search", headers=api_headers, json={"criteria": [], "limit": 1})
    assert everyone.get_json()["total"] == 2 and len(everyone.get_json()["items"]) == 1


def test_search_refuses_unknown_fields_clearly(client, api_headers):
    """Criteria outside the whitelist get a 422 that says which."""
    response = client.post("/api/search", headers=api_headers, json={"criteria": [
        {"field": "password_hash", "op": "eq", "value": "x"}]})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["criteria"] == [
        "Unknown search field 'password_hash'."]


def test_selections_crud_and_members(client, api_headers, people, submit):
    """Create static and dynamic selections, list, read, rename, read members, delete."""
    static = client.post("/api/selections", headers=api_headers, json={
        "name": "Frozen", "kind": "static", "criteria": [LINKEDIN]})
    dynamic = client.post("/api/selections", headers=api_headers, json={
        "name": "Live", "criteria": [LINKEDIN]})
    assert static.status_code == dynamic.status_code == 201
    static_id, dynamic_id = static.get_json()["id"], dynamic.get_json()["id"]
    assert dynamic.get_json()["kind"] == "dynamic"
    assert dynamic.get_json()["criteria"] == [LINKEDIN]
    assert dynamic.get_json()["owner"] == "marketer@leadtrail.test"

    submit("cyd@example.com", first=("linkedin", "organic_social", "post"))
    members = client.get(f"/api/selections/{static_id}/contacts", headers=api_headers)
    assert emails(members.get_json()) == ["ada@example.com"]
    members = client.get(f"/api/selections/{dynamic_id}/contacts", headers=api_headers)
    assert emails(members.get_json()) == ["cyd@example.com", "ada@example.com"]

    listing = client.get("/api/selections", headers=api_headers).get_json()
    assert [item["name"] for item in listing["items"]] == ["Frozen", "Live"]
    renamed = client.patch(f"/api/selections/{static_id}", headers=api_headers,
                           json={"name": "Frozen LinkedIn"})
    assert renamed.get_json()["name"] == "Frozen LinkedIn"
    assert client.get(f"/api/selections/{static_id}", headers=api_headers).get_json()[
        "name"] == "Frozen LinkedIn"
    assert client.delete(f"/api/selections/{static_id}", headers=api_headers).status_code == 204
    assert client.get(f"/api/selections/{static_id}", headers=api_headers).status_code == 404


def test_selection_input_is_validated(client, api_headers):
    """A kind outside static/dynamic, no criteria, or a bad criterion are refused."""
    for body in ({"name": "x", "kind": "frozen", "criteria": [LINKEDIN]},
                 {"name": "x", "criteria": []},
                 {"name": "x", "criteria": [{"field": "created", "op": "after", "value": "x"}]}):
        assert client.post("/api/selections", headers=api_headers, json=body).status_code == 422


def test_lead_status_is_patched(client, api_headers, people):
    """PATCH /api/contacts/ID changes the lead status; unknown statuses are refused."""
    path = f"/api/contacts/{people['ada']['contact_id']}"
    response = client.patch(path, headers=api_headers, json={"lead_status": "qualified"})
    assert response.status_code == 200 and response.get_json()["lead_status"] == "qualified"
    assert client.get(path, headers=api_headers).get_json()["lead_status"] == "qualified"
    bad = client.patch(path, headers=api_headers, json={"lead_status": "won"})
    assert bad.status_code == 422


def test_deals(client, api_headers, people):
    """A deal links to the contact and its company, and is listed on the contact."""
    ada = people["ada"]
    response = client.post("/api/deals", headers=api_headers, json={
        "contact_id": ada["contact_id"], "title": "Pilot", "value": "1200.50"})
    assert response.status_code == 201
    deal = response.get_json()
    assert (deal["contact_id"], deal["company_id"], deal["value"], deal["stage"]) == (
        ada["contact_id"], ada["company_id"], "1200.50", "open")
    assert deal["closed_at"] is None and deal["currency"] == "EUR"
    won = client.post("/api/deals", headers=api_headers, json={
        "contact_id": ada["contact_id"], "title": " Expansion ", "value": "99",
        "currency": "sek", "stage": "won"}).get_json()
    assert (won["title"], won["currency"]) == ("Expansion", "SEK")
    assert won["closed_at"] is not None
    deals = client.get(f"/api/contacts/{ada['contact_id']}/deals", headers=api_headers)
    assert [item["title"] for item in deals.get_json()["items"]] == ["Expansion", "Pilot"]
    missing = client.post("/api/deals", headers=api_headers,
                          json={"contact_id": 999, "title": "x"})
    assert missing.status_code == 422


def test_writes_need_a_token_even_with_a_session(logged_in, people):
    """A logged-in browser may read the API, but writes need a bearer token (no CSRF there)."""
    assert logged_in.get("/api/selections").status_code == 200
    assert logged_in.post("/api/search", json={"criteria": []}).status_code == 401
    path = f"/api/contacts/{people['ada']['contact_id']}"
    assert logged_in.patch(path, json={"lead_status": "lost"}).status_code == 401


def test_openapi_documents_the_operations(client, api_headers):
    """The OpenAPI file lists every operation with its schemas."""
    spec = client.get("/api/openapi.json", headers=api_headers).get_json()
    paths = spec["paths"]
    assert "post" in paths["/api/search"]
    assert {"get", "post"} <= set(paths["/api/selections"])
    assert {"get", "patch", "delete"} <= set(paths["/api/selections/{selection_id}"])
    assert "get" in paths["/api/selections/{selection_id}/contacts"]
    assert {"get", "patch"} <= set(paths["/api/contacts/{contact_id}"])
    assert "post" in paths["/api/deals"]
    assert "get" in paths["/api/contacts/{contact_id}/deals"]
    assert "Criterion" in spec["components"]["schemas"]


def test_only_the_owner_or_an_admin_changes_a_selection(client, api_headers, admin):
    """Another user's token may read a selection but not rename or delete it; an admin may."""
    from server.extensions import db
    from server.models import ApiToken
    from tests.conftest import add_user

    def headers_for(user) -> dict:
        """Bearer headers with a new token of ``user``."""
        api_token, plain = ApiToken.issue(user, "tests")
        db.session.add(api_token)
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    created = client.post("/api/selections", headers=api_headers,
                          json={"name": "Mine", "criteria": [LINKEDIN]}).get_json()
    path = f"/api/selections/{created['id']}"
    other = headers_for(add_user("other@leadtrail.test", "marketer"))
    assert client.get(path, headers=other).status_code == 200
    assert client.patch(path, headers=other, json={"name": "Taken"}).status_code == 403
    assert client.delete(path, headers=other).status_code == 403
    assert client.get(path, headers=api_headers).get_json()["name"] == "Mine"
    assert client.delete(path, headers=headers_for(admin)).status_code == 204
