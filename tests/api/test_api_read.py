"""The read side of the JSON API: authentication, errors, the OpenAPI document."""

import pytest

from server.extensions import db
from server.models import ApiToken


def test_api_refuses_requests_without_a_token(client, site):
    """Every API path answers 401 with the API's JSON error shape."""
    for path in ("/api/contacts", "/api/contacts/1", "/api/contacts/1/submissions",
                 "/api/companies/1", "/api/openapi.json"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.get_json()["code"] == 401


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", "Bearer ", "lt_x"])
def test_api_refuses_bad_tokens(client, user, header):
    """Unknown tokens and other schemes are refused."""
    assert client.get("/api/contacts", headers={"Authorization": header}).status_code == 401


def test_deleted_token_stops_working(client, user, api_headers):
    """Revoking a token (deleting its row) locks it out at once."""
    assert client.get("/api/contacts", headers=api_headers).status_code == 200
    db.session.query(ApiToken).delete()
    db.session.commit()
    assert client.get("/api/contacts", headers=api_headers).status_code == 401


def test_missing_objects_are_404_json(client, api_headers):
    """Unknown ids give a JSON 404 with a message."""
    for path in ("/api/contacts/999", "/api/contacts/999/submissions", "/api/companies/999"):
        response = client.get(path, headers=api_headers)
        assert response.status_code == 404, path
        assert response.get_json()["status"] == "Not Found"


def test_contact_list_filters_and_validates(client, site, api_headers):
    """``email`` matches case-insensitively; bad paging is a 422 with field messages."""
    for email in ("one@example.com", "two@example.com"):
        client.post(site.form_url, json={"email": email})
    items = client.get("/api/contacts?email=ONE@example.com", headers=api_headers).get_json()
    assert [item["email"] for item in items["items"]] == ["one@example.com"]
    everyone = client.get("/api/contacts", headers=api_headers).get_json()["items"]
    assert [item["email"] for item in everyone] == ["two@example.com", "one@example.com"]
    response = client.get("/api/contacts?limit=0", headers=api_headers)
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]["query"]


def test_openapi_document_describes_the_api(client, api_headers):
    """The document lists the paths and the touch shape, and a bearer security scheme."""
    document = client.get("/api/openapi.json", headers=api_headers).get_json()
    for path in ("/api/contacts", "/api/contacts/{contact_id}",
                 "/api/contacts/{contact_id}/submissions", "/api/companies/{company_id}"):
        assert path in document["paths"], path
    touch = document["components"]["schemas"]["Touch"]["properties"]
    assert {"source", "medium", "campaign", "term", "content", "channel", "click_id",
            "landing_page", "referrer", "at"} <= set(touch)
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_non_api_errors_stay_html(client):
    """The API's JSON error handler does not take over the rest of the app."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
