"""Forms get the attribution: late-inserted forms, fetch-based forms, forms posting elsewhere."""

import json
from urllib.parse import parse_qs

import pytest

pytestmark = pytest.mark.e2e

AD = "utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"

INSERT_FORM = """([action]) => {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.innerHTML = '<input name="email" type="email"><input name="name">' +
    '<input name="company"><button type="submit">Send</button>';
  document.body.appendChild(form);
}"""


def test_form_inserted_after_load_gets_the_hidden_fields(page, customer_site, journey):
    """A form the page adds long after the script ran is still filled in at submit time."""
    journey.visit(page, customer_site.url(f"/?{AD}"))
    page.evaluate(INSERT_FORM, [f"{customer_site.leadtrail_url}/f/{customer_site.form_key}"])
    with page.expect_request(f"**/f/{customer_site.form_key}") as posted:
        journey.submit(page, "late@example.com", company="Acme")

    sent = parse_qs(posted.value.post_data, keep_blank_values=True)
    assert sorted(name for name in sent if name.startswith("lt_")) == sorted(journey.FORM_FIELDS)
    assert json.loads(sent["lt_first_touch"][0])["source"] == "linkedin"
    contact = journey.contact("late@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["campaign"] == "webinar_sept"


def test_resubmitted_form_gets_a_fresh_submission_id(page, customer_site, journey):
    """Each submit refreshes the hidden fields instead of adding a second set."""
    journey.visit(page, customer_site.url(f"/?{AD}"))
    page.evaluate(INSERT_FORM, ["/thanks"])
    page.evaluate("document.forms[0].setAttribute('data-leadtrail', '')")
    page.evaluate("document.forms[0].addEventListener('submit', e => e.preventDefault())")
    ids = []
    for _ in range(2):
        page.click("button[type=submit]")
        ids.append(page.eval_on_selector_all(
            "input[name=lt_submission_id]", "inputs => inputs.map(input => input.value)"))
    assert [len(found) for found in ids] == [1, 1]
    assert ids[0] != ids[1]


def test_fetch_form_posts_the_attribution_as_json(page, customer_site, journey):
    """A page that posts with fetch spreads leadtrail.attribution() into its JSON body: 201."""
    journey.visit(page, customer_site.url(f"/?{AD}"))
    journey.visit(page, customer_site.url("/fetch-signup?utm_source=newsletter&utm_medium=email"))
    page.fill("input[name=email]", "fetcher@example.com")
    page.fill("input[name=company]", "Fetch Ltd")
    with page.expect_response(
            lambda response: response.request.method == "POST"
            and f"/f/{customer_site.form_key}" in response.url) as answered:
        page.click("button[type=submit]")
    response = answered.value
    assert response.status == 201
    body = response.json()
    assert body["created_contact"] and body["created_company"]
    page.wait_for_function("document.getElementById('result').textContent.startsWith('201')")

    contact = journey.contact("fetcher@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "newsletter"
    [submission] = journey.submissions(contact)
    assert submission["submission_id"] == body["submission_id"]
    assert submission["page_url"].endswith("/fetch-signup?utm_source=newsletter&utm_medium=email")
    assert [touch["source"] for touch in submission["touch_history"]] == [
        "linkedin", "newsletter"]


def test_form_posting_to_the_site_backend_is_filled_when_marked(page, customer_site, journey):
    """A form marked data-leadtrail that posts to the site's own backend gets the fields too."""
    journey.visit(page, customer_site.url(f"/own-backend?{AD}"))
    page.fill("input[name=email]", "backend@example.com")
    with page.expect_request("**/thanks") as posted:
        page.click("button[type=submit]")
    sent = parse_qs(posted.value.post_data, keep_blank_values=True)
    assert json.loads(sent["lt_latest_touch"][0])["campaign"] == "webinar_sept"
    assert sent["lt_page_url"][0] == customer_site.url(f"/own-backend?{AD}")


def test_unmarked_form_posting_elsewhere_is_left_alone(page, customer_site, journey):
    """A search box or login form that does not post to Leadtrail gets no hidden fields."""
    journey.visit(page, customer_site.url(f"/?{AD}"))
    page.evaluate(INSERT_FORM, ["/thanks"])
    page.fill("input[name=email]", "nobody@example.com")
    with page.expect_request("**/thanks") as posted:
        page.click("button[type=submit]")
    sent = parse_qs(posted.value.post_data, keep_blank_values=True)
    assert sorted(sent) == ["company", "email", "name"]


def test_form_sent_with_form_submit_carries_the_attribution(page, customer_site, journey):
    """form.submit() fires no submit event; the formdata event still adds the fields."""
    journey.visit(page, customer_site.url(f"/?{AD}"))
    journey.visit(page, customer_site.url("/signup?utm_source=newsletter&utm_medium=email"))
    page.fill("input[name=email]", "scripted@example.com")
    with page.expect_request(f"**/f/{customer_site.form_key}") as posted:
        with page.expect_navigation(url="**/thanks"):
            page.evaluate("document.forms[0].submit()")

    sent = parse_qs(posted.value.post_data, keep_blank_values=True)
    assert sorted(name for name in sent if name.startswith("lt_")) == sorted(journey.FORM_FIELDS)
    contact = journey.contact("scripted@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["source"] == "newsletter"


def test_new_form_data_of_a_tracked_form_includes_the_fields(page, customer_site, journey):
    """Pages that post new FormData(form) with fetch get the fields without calling the API."""
    journey.visit(page, customer_site.url(f"/signup?{AD}"))
    names = page.evaluate(
        "() => [...new FormData(document.forms[0]).keys()].filter(k => k.startsWith('lt_'))")
    assert sorted(names) == sorted(journey.FORM_FIELDS)
