"""The spec's reference journey through POST /f/... and read back through /api/..."""

from tests.api.helpers import attribution_fields, browser_touch

LINKEDIN_URL = (
    "https://site.test/?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"
)
FACEBOOK_URL = (
    "https://site.test/signup?utm_source=facebook&utm_medium=paid_social&utm_campaign=retarget"
)
NEWSLETTER_URL = "https://site.test/pricing?utm_source=newsletter&utm_medium=email"


def linkedin_touch(days_ago=60):
    """The browser's stored first touch from the LinkedIn ad."""
    return browser_touch(LINKEDIN_URL, source="linkedin", medium="paid_social",
                         campaign="webinar_sept", days_ago=days_ago)


def facebook_touch(days_ago=0):
    """The browser's latest touch from the Facebook ad."""
    return browser_touch(FACEBOOK_URL, source="facebook", medium="paid_social",
                         campaign="retarget", days_ago=days_ago)


def post_signup(client, site, page_url, first_touch, latest_touch, history, **fields):
    """Submit the signup form as the script would, following no redirect."""
    body = {"email": "Ada@Example.com", "name": "Ada Lovelace", "company": "Acme"}
    body.update(fields)
    body.update(attribution_fields(page_url, first_touch, latest_touch, history))
    return client.post(site.form_url, data=body, headers={"Origin": "https://site.test"})


def get_json(client, path, headers):
    """GET an API path and return its JSON, asserting 200."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_reference_journey(client, site, api_headers):
    """LinkedIn first, Facebook converts, a newsletter months later changes only the conversion."""
    first, latest = linkedin_touch(), facebook_touch()
    response = post_signup(client, site, FACEBOOK_URL, first, latest, [first, latest])
    assert response.status_code == 303
    assert response.headers["Location"] == "https://site.test/thanks"

    found = get_json(client, "/api/contacts?email=ada@example.com", api_headers)["items"]
    assert len(found) == 1
    contact = get_json(client, f"/api/contacts/{found[0]['id']}", api_headers)
    assert contact["email"] == "ada@example.com"
    assert (contact["first_name"], contact["last_name"]) == ("Ada", "Lovelace")
    ft, lc = contact["first_touch"], contact["lead_creation"]
    assert (ft["source"], ft["medium"], ft["campaign"]) == ("linkedin", "paid_social",
                                                            "webinar_sept")
    assert ft["channel"] == "Paid Social"
    assert (lc["source"], lc["medium"], lc["campaign"]) == ("facebook", "paid_social", "retarget")
    assert contact["company"]["name"] == "Acme"

    company = get_json(client, f"/api/companies/{contact['company']['id']}", api_headers)
    assert company["source"]["source"] == "facebook"
    assert company["source"]["campaign"] == "retarget"

    submissions = get_json(client, f"/api/contacts/{contact['id']}/submissions",
                           api_headers)["items"]
    assert len(submissions) == 1
    assert submissions[0]["conversion"]["source"] == "facebook"
    assert [t["source"] for t in submissions[0]["touch_history"]] == ["linkedin", "facebook"]
    assert submissions[0]["created_contact"] and submissions[0]["created_company"]

    # Months later: the newsletter brings the same person back to another form post.
    newsletter = browser_touch(NEWSLETTER_URL, source="newsletter", medium="email")
    response = post_signup(client, site, NEWSLETTER_URL, first, newsletter,
                           [first, latest, newsletter], email="ada@EXAMPLE.com",
                           company="ACME Inc")
    assert response.status_code == 303

    submissions = get_json(client, f"/api/contacts/{contact['id']}/submissions",
                           api_headers)["items"]
    assert len(submissions) == 2
    assert submissions[0]["conversion"]["source"] == "newsletter"
    assert submissions[0]["conversion"]["channel"] == "Email"
    assert not submissions[0]["created_contact"] and not submissions[0]["created_company"]

    again = get_json(client, f"/api/contacts/{contact['id']}", api_headers)
    assert again["first_touch"] == contact["first_touch"]
    assert again["lead_creation"] == contact["lead_creation"]
    company_again = get_json(client, f"/api/companies/{company['id']}", api_headers)
    assert company_again["source"] == company["source"]


def test_first_visit_is_the_submitting_one(client, site, api_headers):
    """No stored first touch: first touch and lead creation are both the page's UTM values."""
    response = post_signup(client, site, FACEBOOK_URL, None, None, [])
    assert response.status_code == 303
    contact = get_json(client, "/api/contacts?email=ada@example.com", api_headers)["items"][0]
    assert contact["first_touch"]["source"] == "facebook"
    assert contact["lead_creation"]["source"] == "facebook"


def test_direct_first_touch_then_search(client, site, api_headers):
    """A first direct visit stays the first touch; the later organic search converts."""
    direct = browser_touch("https://site.test/", source="(direct)", medium="(none)", days_ago=3)
    search = browser_touch("https://site.test/pricing", referrer="https://www.google.com/")
    response = post_signup(client, site, "https://site.test/signup", direct, search,
                           [direct, search], referrer="https://site.test/pricing")
    assert response.status_code == 303
    contact = get_json(client, "/api/contacts?email=ada@example.com", api_headers)["items"][0]
    assert contact["first_touch"]["source"] == "(direct)"
    assert contact["first_touch"]["channel"] == "Direct"
    assert (contact["lead_creation"]["source"], contact["lead_creation"]["medium"]) == (
        "google", "organic")
    assert contact["lead_creation"]["channel"] == "Organic Search"


def test_no_attribution_at_all_is_direct(client, site, api_headers):
    """A plain post without the script (JavaScript off) is stored with a direct conversion."""
    response = client.post(site.form_url, data={"email": "bob@example.com"})
    assert response.status_code == 303
    contact = get_json(client, "/api/contacts?email=bob@example.com", api_headers)["items"][0]
    assert contact["first_touch"]["source"] == "(direct)"
    assert contact["lead_creation"]["medium"] == "(none)"
    assert contact["company"] is None
