"""Build the browser tracker: fill in its configuration and minify it. No Flask here."""

import base64
import gzip
import hashlib
import json
from importlib import metadata, resources
from pathlib import Path

import rjsmin

from server.attribution import SCRIPT_EXCLUDED_DOMAINS

CONFIG_PLACEHOLDER = "__LEADTRAIL_CONFIG__"
HISTORY_LENGTH = 10
# The one canonical source, edited in the repository. An installed wheel carries a copy as
# package data (server/tracker/leadtrail.js, a symlink to this file in the repository).
REPOSITORY_SOURCE = Path(__file__).resolve().parents[2] / "tracker_js" / "src" / "leadtrail.js"


def read_source() -> str:
    """Return the tracker's JavaScript source: the repository file, else the packaged copy."""
    if REPOSITORY_SOURCE.is_file():
        return REPOSITORY_SOURCE.read_text(encoding="utf-8")
    return resources.files(__package__).joinpath("leadtrail.js").read_text(encoding="utf-8")


def default_excluded_domains() -> tuple[str, ...]:
    """Return the referrer domains the script treats as no touch (payment gateways, log-ins)."""
    return SCRIPT_EXCLUDED_DOMAINS


def leadtrail_version() -> str:
    """Return the installed Leadtrail version, or "dev" when running from a bare checkout."""
    try:
        return metadata.version("leadtrail")
    except metadata.PackageNotFoundError:
        return "dev"


def default_config() -> dict:
    """Return the configuration the served script is built with."""
    return {
        "history": HISTORY_LENGTH,
        "excluded": sorted({domain.lower() for domain in default_excluded_domains()}),
        "version": leadtrail_version(),
    }


def build_script(source_text: str, config: dict) -> str:
    """Return the minified script with ``config`` written in place of the placeholder."""
    if source_text.count(CONFIG_PLACEHOLDER) != 1:
        raise ValueError(f"the tracker source must contain {CONFIG_PLACEHOLDER} exactly once")
    # ensure_ascii also escapes U+2028/U+2029; "<\/" keeps the text safe to inline in HTML.
    config_js = json.dumps(config, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    script = rjsmin.jsmin(source_text.replace(CONFIG_PLACEHOLDER, config_js)).strip()
    return script + "\n"


def script_integrity(js_bytes: bytes) -> str:
    """Return the Subresource Integrity value (``sha384-...``) of the served bytes."""
    digest = hashlib.sha384(js_bytes).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


def gzip_bytes(data: bytes) -> bytes:
    """Return ``data`` gzipped at the highest level, byte-for-byte reproducible."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def size_report(js_text: str) -> dict:
    """Return the script's size in bytes: raw, gzip, and brotli when the module is installed."""
    data = js_text.encode("utf-8")
    report = {"raw": len(data), "gzip": len(gzip_bytes(data))}
    try:
        import brotli
    except ImportError:
        return report
    report["brotli"] = len(brotli.compress(data, quality=11))
    return report
