"""The tracker build: config filled in, minified, hashed, measured, and small."""

import base64
import gzip
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from server.ingest.schemas import ATTRIBUTION_FIELDS
from server.tracker import build
from server.tracker.build import (
    CONFIG_PLACEHOLDER,
    build_script,
    default_config,
    read_source,
    script_integrity,
    size_report,
)

REPOSITORY = Path(__file__).resolve().parents[2]
GZIP_BUDGET = 2000
# The script must fill exactly the fields the form endpoint reads.
HIDDEN_FIELDS = ATTRIBUTION_FIELDS


@pytest.fixture(scope="module")
def built() -> str:
    """The script exactly as /t.js serves it."""
    return build_script(read_source(), default_config())


def embedded_config(script: str) -> dict:
    """Return the config object the build wrote into ``script``."""
    match = re.search(r'(\{"excluded":.*?"version":"[^"]*"\})', script)
    assert match, "config object not found in the built script"
    return json.loads(match.group(1))


def test_source_has_exactly_one_placeholder():
    """The source carries the placeholder once, so the build has one place to write."""
    assert read_source().count(CONFIG_PLACEHOLDER) == 1


def test_packaged_copy_is_the_repository_source():
    """server/tracker/leadtrail.js (package data for wheels) is the same file as the source."""
    packaged = REPOSITORY / "server" / "tracker" / "leadtrail.js"
    assert packaged.read_text(encoding="utf-8") == read_source()


def test_read_source_falls_back_to_the_packaged_copy(monkeypatch, tmp_path):
    """Installed without the repository, the build reads the copy inside the package."""
    monkeypatch.setattr(build, "REPOSITORY_SOURCE", tmp_path / "missing.js")
    assert read_source() == (REPOSITORY / "tracker_js" / "src" / "leadtrail.js").read_text(
        encoding="utf-8"
    )


def test_build_fills_in_the_config_and_leaves_no_placeholder(built):
    """The placeholder is gone and the config is the one given."""
    assert CONFIG_PLACEHOLDER not in built
    assert embedded_config(built) == default_config()


def test_default_config_carries_the_common_excluded_domains():
    """The script excludes the common gateways and log-ins, a subset of the server's list."""
    from server.attribution import DEFAULT_EXCLUDED_DOMAINS

    config = default_config()
    assert config["history"] == 10
    assert set(config["excluded"]) <= set(DEFAULT_EXCLUDED_DOMAINS)
    assert {"paypal.com", "stripe.com", "accounts.google.com"} <= set(config["excluded"])
    assert config["version"]


def test_build_minifies(built):
    """Comments and indentation are stripped."""
    source = read_source()
    assert len(built) < len(source) * 0.75
    assert "/*" not in built and "\n  " not in built
    assert built.endswith("\n") and built.count("\n") <= 5


def test_build_keeps_the_public_contract(built):
    """The names the server and the install snippet rely on survive minification."""
    for name in HIDDEN_FIELDS + ("w.leadtrail", "attribution:", "consent:", "currentScript"):
        assert name in built
    for attribute in ("'cookie-domain'", "'consent'", "'required'", "'data-leadtrail'"):
        assert attribute in built
    assert "'/f/'" in built and "'submit'" in built and "'(direct)'" in built


def test_build_is_deterministic():
    """The same source and config give the same bytes, so the ETag and SRI hash are stable."""
    assert build_script(read_source(), default_config()) == build_script(
        read_source(), default_config()
    )


def test_config_is_escaped_for_script_context():
    """A config value cannot close a <script> element or break the JavaScript string."""
    script = build_script(
        "var cfg = __LEADTRAIL_CONFIG__;",
        {"version": "</script><script>alert(1)</script>\u2028", "excluded": [], "history": 1},
    )
    assert "</script" not in script
    assert "\u2028" not in script
    assert script.startswith("var cfg={")


@pytest.mark.parametrize(
    "source", ["var a = 1;", "var a = __LEADTRAIL_CONFIG__, b = __LEADTRAIL_CONFIG__;"]
)
def test_build_rejects_a_source_without_exactly_one_placeholder(source):
    """A renamed or duplicated placeholder fails loudly instead of serving a broken script."""
    with pytest.raises(ValueError, match=CONFIG_PLACEHOLDER):
        build_script(source, default_config())


def test_script_integrity_is_sha384_of_the_bytes():
    """The SRI value is 'sha384-' and the base64 SHA-384 digest."""
    data = b"console.log(1)"
    expected = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    assert script_integrity(data) == expected


def test_size_report_measures_raw_and_gzip(built):
    """The report gives raw and gzip byte counts (and brotli when the module is installed)."""
    report = size_report(built)
    assert report["raw"] == len(built.encode("utf-8"))
    assert report["gzip"] == len(gzip.compress(built.encode("utf-8"), 9, mtime=0))
    assert set(report) <= {"raw", "gzip", "brotli"}


def test_minified_script_gzips_under_budget(built):
    """Size first: the minified, gzipped script stays under 2,000 bytes."""
    size = size_report(built)["gzip"]
    assert size < GZIP_BUDGET, f"tracker is {size} bytes gzipped; the budget is {GZIP_BUDGET}"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_built_script_is_valid_javascript(built, tmp_path):
    """The minified output still parses (rjsmin is not a parser; node checks it)."""
    path = tmp_path / "t.js"
    path.write_text(built, encoding="utf-8")
    result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
