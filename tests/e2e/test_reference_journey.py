"""The spec's reference journey, all five steps, in a real browser across two origins."""

import pytest

pytestmark = pytest.mark.e2e


def api_get(client, path, headers):
    """GET from the API through the test client, asserting 200."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def submit_signup(page, email, company):
    """Fill in and send the signup form, then wait for the thank-you page."""
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", "Ada Lovelace")
    page.fill("input[name=company]", company)
    with page.expect_navigation(url="**/thanks"):
        page.click("button[type=submit]")


def wait_for_tracker(page):
    """Wait until the script has run on the page."""
    page.wait_for_function("() => window.leadtrail && window.leadtrail.attribution")


def test_reference_journey(page, customer_site, client, api_headers):
    """LinkedIn first touch, Facebook lead creation and conversion, newsletter months later."""
    # 1. The LinkedIn ad: the first touch is stored in the browser; the visitor leaves.
    page.goto(customer_site.url(
        "/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    wait_for_tracker(page)
    page.goto("about:blank")

    # 2-3. The Facebook ad brings them back to the signup page, where they submit the form.
    page.goto(customer_site.url(
        "/signup?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget"))
    wait_for_tracker(page)
    submit_signup(page, "ada@example.com", "Acme")

    # 4. A new contact with first touch linkedin, lead creation facebook; company source facebook.
    contact = api_get(client, "/api/contacts?email=ada@example.com", api_headers)["items"][0]
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["first_touch"]["campaign"] == "webinar_sept"
    assert contact["lead_creation"]["source"] == "facebook"
    assert contact["lead_creation"]["campaign"] == "retarget"
    company = api_get(client, f"/api/companies/{contact['company']['id']}", api_headers)
    assert company["name"] == "Acme"
    assert company["source"]["source"] == "facebook"
    submissions = api_get(client, f"/api/contacts/{contact['id']}/submissions", api_headers)
    assert submissions["items"][0]["conversion"]["source"] == "facebook"

    # 5. The newsletter, months later: a second conversion; nothing else changes.
    page.goto(customer_site.url("/signup?utm_source=newsletter&utm_medium=email"))
    wait_for_tracker(page)
    submit_signup(page, "ada@example.com", "Acme")
    submissions = api_get(client, f"/api/contacts/{contact['id']}/submissions", api_headers)
    assert [s["conversion"]["source"] for s in submissions["items"]] == ["newsletter", "facebook"]
    again = api_get(client, f"/api/contacts/{contact['id']}", api_headers)
    assert again["first_touch"] == contact["first_touch"]
    assert again["lead_creation"] == contact["lead_creation"]
    assert api_get(client, f"/api/companies/{company['id']}", api_headers)["source"] == (
        company["source"])
