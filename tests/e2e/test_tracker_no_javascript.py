"""With JavaScript switched off the form is a plain HTML form: it still posts and is stored."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def page_without_javascript(browser):
    """A page in a fresh profile with JavaScript disabled."""
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_form_posts_without_javascript(page_without_javascript, customer_site, journey):
    """No script, no hidden fields: the submission is stored, attributed as direct."""
    page = page_without_javascript
    page.goto(customer_site.url("/signup"))
    assert page.locator("input[name^=lt_]").count() == 0
    with page.expect_request(f"**/f/{customer_site.form_key}") as posted:
        journey.submit(page, "nojs@example.com", company="Plain Forms")
    assert "lt_" not in posted.value.post_data
    assert page.url == customer_site.url("/thanks")

    contact = journey.contact("nojs@example.com")
    assert contact["company"]["name"] == "Plain Forms"
    assert contact["first_touch"]["source"] == "(direct)"
    [submission] = journey.submissions(contact)
    assert submission["conversion"]["channel"] == "Direct"
    assert submission["fields"]["email"] == "nojs@example.com"
