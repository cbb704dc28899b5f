"""GET /t.js: the built tracker, cacheable, revalidated by ETag, gzipped, loadable anywhere."""

import gzip
import json
import re

import pytest

from server.tracker import get_built_script
from server.tracker.build import CONFIG_PLACEHOLDER, default_config, script_integrity


@pytest.fixture
def built(app):
    """The app's built script."""
    return get_built_script(app)


def test_serves_the_built_script(client, built):
    """A plain GET gets the minified script with the headers a cross-site script needs."""
    response = client.get("/t.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/javascript; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True) == built.text


def test_config_is_filled_in(client):
    """The served script carries the build config and no placeholder."""
    text = client.get("/t.js").get_data(as_text=True)
    assert CONFIG_PLACEHOLDER not in text
    assert "__" not in text
    config = json.loads(re.search(r'(\{"excluded":.*?"version":"[^"]*"\})', text).group(1))
    assert config == default_config()
    assert "paypal.com" in config["excluded"]


def test_strong_etag_and_304(client, built):
    """A client that has the script revalidates it with If-None-Match and gets an empty 304."""
    first = client.get("/t.js")
    etag = first.headers["ETag"]
    assert etag == f'"{built.etag}"' and not etag.startswith("W/")
    again = client.get("/t.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=3600"
    assert client.get("/t.js", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_gzip_when_accepted(client, built):
    """Clients that accept gzip get the precompressed body, with its own strong ETag."""
    response = client.get("/t.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.data == built.gzip_bytes
    assert gzip.decompress(response.data).decode("utf-8") == built.text
    assert int(response.headers["Content-Length"]) == len(built.gzip_bytes)
    etag = response.headers["ETag"]
    assert etag == f'"{built.gzip_etag}"' != f'"{built.etag}"'
    revalidated = client.get(
        "/t.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag}
    )
    assert revalidated.status_code == 304


def test_no_gzip_when_refused(client, built):
    """gzip;q=0 means no gzip."""
    response = client.get("/t.js", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data(as_text=True) == built.text


def test_built_once_per_app(app, built):
    """The script is built once and then served from memory."""
    assert get_built_script(app) is built


def test_integrity_matches_the_served_bytes(client, built):
    """The SRI hash shown with the snippet is the hash of what /t.js serves."""
    body = client.get("/t.js", headers={"Accept-Encoding": "identity"}).data
    assert built.integrity == script_integrity(body)
    assert built.integrity.startswith("sha384-")


def test_head_request(client, built):
    """HEAD answers like GET without a body."""
    response = client.head("/t.js", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(built.text.encode("utf-8"))
    assert response.data == b""


def test_public_endpoints_set_no_cookie_and_no_vary_cookie(client, site):
    """The script and the form endpoint never touch a session, so caches can keep /t.js."""
    for response in (client.get("/t.js"), client.post(site.form_url, json={"email": "a@b.test"})):
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
