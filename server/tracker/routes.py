"""Serve the built tracker at ``GET /t.js`` from a per-app in-memory cache."""

import hashlib
from dataclasses import dataclass

from flask import Flask, Response, current_app, request

from server.tracker import bp
from server.tracker.build import (
    build_script,
    default_config,
    gzip_bytes,
    read_source,
    script_integrity,
)

EXTENSION_KEY = "leadtrail_tracker"
# The URL /t.js is pasted into customers' pages and cannot carry a version, so a long max-age
# would pin an old script in browsers and CDNs for days. An hour bounds that staleness, and the
# strong ETag turns each revalidation after it into a body-less 304.
CACHE_CONTROL = "public, max-age=3600"


@dataclass(frozen=True)
class BuiltScript:
    """The minified tracker as served, with its validators and the precompressed body."""

    text: str
    etag: str  # strong ETag of the identity body, without quotes
    integrity: str  # "sha384-...", for an integrity attribute on the snippet
    gzip_bytes: bytes

    @property
    def gzip_etag(self) -> str:
        """Return the ETag of the gzip body: a strong ETag names one exact byte sequence."""
        return self.etag + "-gzip"


def make_built_script(text: str) -> BuiltScript:
    """Return the served form of the minified script ``text``."""
    data = text.encode("utf-8")
    return BuiltScript(
        text=text,
        etag=hashlib.sha256(data).hexdigest()[:32],
        integrity=script_integrity(data),
        gzip_bytes=gzip_bytes(data),
    )


def get_built_script(app: Flask) -> BuiltScript:
    """Return the app's built tracker, building it on first use."""
    built = app.extensions.get(EXTENSION_KEY)
    if built is None:
        # Two threads racing here build the same bytes; either result is correct.
        built = make_built_script(build_script(read_source(), default_config()))
        app.extensions[EXTENSION_KEY] = built
    return built


@bp.get("/t.js")
def tracker_script() -> Response:
    """Serve the tracker: cacheable, revalidated by ETag, gzipped when the client accepts it."""
    built = get_built_script(current_app._get_current_object())
    if request.accept_encodings["gzip"] > 0:
        response = Response(built.gzip_bytes)
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(built.gzip_etag)
    else:
        response = Response(built.text.encode("utf-8"))
        response.set_etag(built.etag)
    response.content_type = "application/javascript; charset=utf-8"
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Vary"] = "Accept-Encoding"
    # Any site may load it, also with crossorigin="anonymous" for SRI or under COEP.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)
