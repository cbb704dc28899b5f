"""Blocked or broken storage: the script falls back to memory and never throws."""

import pytest

pytestmark = pytest.mark.e2e

# Every way to reach localStorage throws, as with blocked site data or a full quota.
THROWING_STORAGE = """
(() => {
  const fail = () => { throw new DOMException('storage is blocked', 'SecurityError'); };
  for (const name of ['getItem', 'setItem', 'removeItem', 'clear', 'key']) {
    Storage.prototype[name] = fail;
  }
  Object.defineProperty(window, 'localStorage', {get: fail, configurable: true});
  Object.defineProperty(window, 'sessionStorage', {get: fail, configurable: true});
})();
"""

# Storage that is there but refuses every read and write (a proxy that throws on any access).
REFUSING_STORAGE = """
(() => {
  const fail = () => { throw new DOMException('quota exceeded', 'QuotaExceededError'); };
  const refusing = new Proxy({}, {get: fail, set: fail, has: fail, deleteProperty: fail,
                                  ownKeys: fail, getOwnPropertyDescriptor: fail});
  Object.defineProperty(window, 'localStorage', {get: () => refusing, configurable: true});
})();
"""


@pytest.mark.parametrize("storage", [THROWING_STORAGE, REFUSING_STORAGE],
                         ids=["getter-throws", "every-access-throws"])
def test_form_submits_with_attribution_when_storage_throws(
        page, customer_site, journey, storage):
    """The campaign of the current page view still reaches the server, and nothing is logged."""
    console_errors = []
    # The test site has no icon; its 404 would be the only console error of the page.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.on("console", lambda message: message.type == "error" and console_errors.append(
        message.text))
    page.add_init_script(storage)

    journey.visit(page, customer_site.url(
        "/signup?utm_source=linkedin&utm_medium=paid_social&utm_campaign=webinar_sept"))
    assert page.evaluate("() => { try { localStorage.length } catch { return 'throws' } }") == (
        "throws")
    payload = page.evaluate("leadtrail.attribution()")
    assert '"linkedin"' in payload["lt_first_touch"]

    with page.expect_request(f"**/f/{customer_site.form_key}") as posted:
        journey.submit(page, "blocked@example.com")
    sent = posted.value.post_data
    assert "lt_first_touch=" in sent and "linkedin" in sent

    contact = journey.contact("blocked@example.com")
    assert contact["first_touch"]["source"] == "linkedin"
    assert contact["lead_creation"]["campaign"] == "webinar_sept"
    assert console_errors == []
