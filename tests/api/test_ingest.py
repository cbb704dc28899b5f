"""POST /f/FORM_KEY: formats, matching, idempotency, switches and every kind of bad input."""

import json

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Company, Contact, Submission, Touch
from tests.api.helpers import attribution_fields, browser_touch

ORIGIN = {"Origin": "https://site.test"}
UTM_URL = "https://site.test/signup?utm_source=Google&utm_medium=CPC&utm_campaign=Brand&gclid=AbC"


def count(model) -> int:
    """Rows of a model."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def post_json(client, site, body, **kwargs):
    """A fetch-style JSON post from the site's origin."""
    return client.post(site.form_url, json=body, headers={**ORIGIN, **kwargs.pop("headers", {})},
                       **kwargs)


def test_json_post_answers_201_with_ids(client, site):
    """JSON posts get 201 and the ids of what was stored or found."""
    body = {"email": "jo@example.com", "company": "Initech", **attribution_fields(UTM_URL)}
    response = post_json(client, site, body)
    assert response.status_code == 201
    result = response.get_json()
    assert result["submission_id"] == body["lt_submission_id"]
    assert result["created_contact"] is True and result["created_company"] is True
    contact = db.session.get(Contact, result["contact_id"])
    assert contact.company_id == result["company_id"]
    assert response.headers["Access-Control-Allow-Origin"] == "https://site.test"


def test_text_plain_json_is_accepted(client, site):
    """JSON sent as text/plain (no CORS preflight) is read like JSON."""
    body = json.dumps({"email": "plain@example.com", **attribution_fields(UTM_URL)})
    response = client.post(site.form_url, data=body, content_type="text/plain;charset=UTF-8",
                           headers=ORIGIN)
    assert response.status_code == 201
    assert db.session.scalar(sa.select(Contact.email)) == "plain@example.com"


def test_multipart_post_keeps_extra_fields(client, site):
    """Multipart posts work, and fields we don't know are kept on the submission."""
    data = {"email": "m@example.com", "first_name": "Max", "last_name": "Mustermann",
            "phone": "+46 8 123", "message": "Call me", "budget": "10k"}
    response = client.post(site.form_url, data=data, content_type="multipart/form-data",
                           headers=ORIGIN)
    assert response.status_code == 303
    submission = db.session.scalar(sa.select(Submission))
    assert submission.fields["message"] == "Call me"
    assert submission.fields["budget"] == "10k"
    contact = submission.contact
    assert (contact.first_name, contact.last_name, contact.phone) == (
        "Max", "Mustermann", "+46 8 123")


def test_utm_values_normalised_and_click_id_kept(client, site):
    """Values are lower-cased; the click id keeps its case; the raw payload is kept."""
    post_json(client, site, {"email": "n@example.com", **attribution_fields(UTM_URL)})
    submission = db.session.scalar(sa.select(Submission))
    conversion = submission.conversion
    assert (conversion.source, conversion.medium, conversion.campaign) == ("google", "cpc",
                                                                          "brand")
    assert (conversion.click_id_param, conversion.click_id) == ("gclid", "AbC")
    assert conversion.channel == "Paid Search"
    assert submission.raw_attribution["page_url"] == UTM_URL


def test_site_aliases_and_case_switch(client, make_site):
    """A site's alias table maps variants; with lower-casing off, case is kept."""
    setup = make_site(aliases={"lnkd.in": "linkedin", "LinkedIn": "linkedin"},
                      lowercase_values=False)
    url = "https://site.test/?utm_source=lnkd.in&utm_medium=Social&utm_campaign=Q4-Launch"
    post_json(client, setup, {"email": "a@example.com", **attribution_fields(url)})
    conversion = db.session.scalar(sa.select(Submission)).conversion
    assert conversion.source == "linkedin"
    assert (conversion.medium, conversion.campaign) == ("Social", "Q4-Launch")


def test_existing_contact_keeps_first_touch_and_lead_creation(client, site):
    """A second submission adds a conversion only."""
    first = post_json(client, site, {"email": "x@example.com", **attribution_fields(UTM_URL)})
    later_url = "https://site.test/?utm_source=newsletter&utm_medium=email&utm_campaign=dec"
    second = post_json(client, site, {"email": " X@Example.COM ", "company": "Globex",
                                      **attribution_fields(later_url)})
    assert second.status_code == 201
    assert second.get_json()["contact_id"] == first.get_json()["contact_id"]
    assert second.get_json()["created_contact"] is False
    contact = db.session.get(Contact, first.get_json()["contact_id"])
    assert contact.first_touch.source == "google"
    assert contact.lead_creation.source == "google"
    assert [s.conversion.source for s in contact.submissions] == ["newsletter", "google"]
    assert count(Contact) == 1


def test_existing_company_matched_by_normalised_name(client, site):
    """'Acme AB' and ' acme ' are one company, whose source stays from its creation."""
    first = post_json(client, site, {"email": "a@acme.test", "company": "Acme AB",
                                     **attribution_fields(UTM_URL)})
    other_url = "https://site.test/?utm_source=bing&utm_medium=organic"
    second = post_json(client, site, {"email": "b@acme.test", "company": " acme ",
                                      **attribution_fields(other_url)})
    assert second.get_json()["company_id"] == first.get_json()["company_id"]
    assert second.get_json()["created_company"] is False
    assert second.get_json()["created_contact"] is True
    company = db.session.get(Company, first.get_json()["company_id"])
    assert company.name == "Acme AB"
    assert company.source.source == "google"
    assert len(company.contacts) == 2


def test_retry_with_same_submission_id_stores_nothing_twice(client, site):
    """A retried post returns the first result and adds no rows."""
    body = {"email": "retry@example.com", "company": "Retry Co", **attribution_fields(UTM_URL)}
    first = post_json(client, site, body)
    rows = (count(Contact), count(Company), count(Submission), count(Touch))
    second = post_json(client, site, body)
    assert second.status_code == 200
    assert second.get_json() == first.get_json()
    assert (count(Contact), count(Company), count(Submission), count(Touch)) == rows


def test_tracking_switched_off_stores_without_attribution(client, make_site):
    """With the form's switch off the lead is stored, but no touch at all."""
    setup = make_site(track_utm=False)
    response = post_json(client, setup, {"email": "off@example.com", "company": "Quiet",
                                         **attribution_fields(UTM_URL)})
    assert response.status_code == 201
    submission = db.session.scalar(sa.select(Submission))
    assert submission.conversion is None
    assert submission.raw_attribution == {}
    assert submission.contact.first_touch is None and submission.contact.lead_creation is None
    assert submission.contact.company.source is None
    assert count(Touch) == 0


def test_history_rows_are_stored_in_order(client, site):
    """The browser's touch history becomes ordered rows."""
    history = [
        browser_touch("https://site.test/?utm_source=a&utm_medium=cpc", source="a",
                      medium="cpc", days_ago=9),
        browser_touch("https://site.test/", referrer="https://www.bing.com/", days_ago=5),
        browser_touch("https://site.test/?utm_source=c&utm_medium=email", source="c",
                      medium="email", days_ago=1),
    ]
    post_json(client, site, {"email": "h@example.com",
                             **attribution_fields(UTM_URL, history[0], history[-1], history)})
    submission = db.session.scalar(sa.select(Submission))
    assert [t.source for t in submission.touch_history] == ["a", "bing", "c"]


@pytest.mark.parametrize(
    ("body", "field", "message_part"),
    [
        ({}, "email", "required"),
        ({"email": "not-an-email"}, "email", "valid e-mail"),
        ({"email": "a@b.test", "first_name": "x" * 101}, "first_name", "100"),
        ({"email": "a@b.test", "company": "c" * 201}, "company", "200"),
        ({"email": "a@b.test", "lt_page_url": "https://site.test/" + "p" * 2100},
         "lt_page_url", "2000"),
        ({"email": "a@b.test", "notes": "n" * 5001}, "notes", "5000"),
        ({"email": "a@b.test", **{f"f{i}": "v" for i in range(51)}}, "extra_fields", "50"),
    ],
    ids=["missing-email", "bad-email", "long-name", "long-company", "long-url",
         "long-extra-field", "too-many-fields"],
)
def test_bad_input_gets_422_with_field_messages_and_stores_nothing(client, site, body, field,
                                                                   message_part):
    """Each invalid body is refused with a message on the field at fault."""
    response = post_json(client, site, body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["code"] == 422
    assert message_part in " ".join(payload["errors"][field])
    assert (count(Contact), count(Submission), count(Company), count(Touch)) == (0, 0, 0, 0)


def test_bad_html_post_gets_a_page_listing_the_errors(client, site):
    """Browsers get a readable page, not JSON."""
    response = client.post(site.form_url, data={"email": "nope"},
                           headers={**ORIGIN, "Accept": "text/html"})
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "email" in page and "Not a valid e-mail address." in page


def test_malformed_json_is_400(client, site):
    """A body that is not JSON is refused clearly."""
    response = client.post(site.form_url, data="{not json", content_type="application/json",
                           headers=ORIGIN)
    assert response.status_code == 400
    assert "JSON" in response.get_json()["message"]


def test_body_over_64_kib_is_413(client, site):
    """Oversized posts are refused before they are read."""
    response = client.post(site.form_url, data={"email": "a@b.test", "x": "y" * 70_000},
                           headers={**ORIGIN, "Accept": "application/json"})
    assert response.status_code == 413
    assert response.get_json()["message"] == "The submission is too large."
    assert count(Submission) == 0


def test_unknown_form_is_404(client, site):
    """A form key that does not exist."""
    response = client.post("/f/form_doesnotexist", json={"email": "a@b.test"})
    assert response.status_code == 404
    assert response.get_json()["message"] == "Unknown form."


def test_post_from_another_origin_is_403(client, site):
    """A browser on another site cannot post to this site's form."""
    response = client.post(site.form_url, json={"email": "a@b.test"},
                           headers={"Origin": "https://evil.test"})
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    assert count(Submission) == 0


def test_subdomain_origin_is_allowed(client, site):
    """www. and other subdomains of the site's domains are the site's own."""
    response = client.post(site.form_url, json={"email": "a@b.test"},
                           headers={"Origin": "https://www.site.test"})
    assert response.status_code == 201


def test_cors_preflight_for_own_origin_only(client, site):
    """Preflight answers the site's origin and refuses others."""
    ok = client.options(site.form_url, headers={
        "Origin": "https://shop.site.test", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == "https://shop.site.test"
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    refused = client.options(site.form_url, headers={"Origin": "https://evil.test",
                                                     "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused.headers


def test_redirect_never_comes_from_the_request(client, site):
    """A 'redirect' or 'next' field cannot send the visitor elsewhere."""
    response = client.post(site.form_url, data={"email": "a@b.test",
                                                "redirect": "https://evil.test/",
                                                "next": "https://evil.test/"}, headers=ORIGIN)
    assert response.status_code == 303
    assert response.headers["Location"] == "https://site.test/thanks"


def test_garbage_attribution_never_loses_the_lead(client, site):
    """Broken hidden fields are ignored; the lead is stored with what can be known."""
    body = {"email": "g@example.com", "lt_first_touch": "{broken", "lt_latest_touch": "[1,2]",
            "lt_touch_history": "\"str\"", "lt_page_url": "javascript:alert(1)",
            "lt_referrer": "\x00\x01", "lt_submission_id": "'; DROP TABLE contacts;--"}
    response = post_json(client, site, body)
    assert response.status_code == 201
    contact = db.session.get(Contact, response.get_json()["contact_id"])
    assert contact.first_touch.source == "(direct)"
    # A malformed submission id is replaced, never stored as given.
    assert response.get_json()["submission_id"] != body["lt_submission_id"]


def test_form_posts_are_rate_limited_per_client(database_url):
    """Past the configured limit a client gets 429 with a clear message."""
    from server import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(database_url), "RATELIMIT_ENABLED": True,
                      "LEADTRAIL_FORM_RATE_LIMIT": "2/minute"})
    with app.app_context():
        from server.models import Form, Site

        form = Form(site=Site(name="s", domains=["site.test"]), name="f",
                    redirect_url="https://site.test/thanks")
        db.session.add(form)
        db.session.commit()
        client = app.test_client()
        statuses = [client.post(f"/f/{form.key}", json={"email": f"r{i}@example.com"}).status_code
                    for i in range(3)]
        assert statuses == [201, 201, 429]
        response = client.post(f"/f/{form.key}", json={"email": "late@example.com"})
        assert "Too many submissions" in response.get_json()["message"]
        assert count(Submission) == 2
        db.session.remove()
        db.engine.dispose()
