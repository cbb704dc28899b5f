"""``POST /f/FORM_KEY``: HTTP in, HTTP out; the work is in schemas and service."""

import json
import logging
from datetime import UTC, datetime
from http import HTTPStatus

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Response, current_app, jsonify, redirect, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, HTTPException

from server.extensions import csrf, db, limiter
from server.ingest import bp
from server.ingest.schemas import SubmissionSchema
from server.ingest.service import record_submission
from server.models import Form

log = logging.getLogger(__name__)
submission_schema = SubmissionSchema()
# text/plain lets a page post JSON cross-origin without a CORS preflight.
JSON_MIMETYPES = ("application/json", "text/plain")

# Customer sites post from their own origins, so there is no session and no CSRF token here:
# the Origin check against the site's domains does that job for browsers.
csrf.exempt(bp)


def form_rate_limit() -> str:
    """The per-client limit on form posts, from the configuration."""
    return current_app.config["LEADTRAIL_FORM_RATE_LIMIT"]


@bp.route("/f/<form_key>", methods=["POST", "OPTIONS"])
@limiter.limit(form_rate_limit, methods=["POST"])
def submit(form_key: str) -> Response:
    """Receive a form submission from a customer site."""
    form = db.session.scalar(
        sa.select(Form).filter_by(key=form_key[:64]).options(so.joinedload(Form.site))
    )
    if form is None:
        return error_response(404, "Unknown form.")
    origin = request.headers.get("Origin")
    origin_allowed = origin in (None, "null") or form.site.allows_origin(origin)
    if not origin_allowed:
        log.warning("form %s: rejected post from origin %r", form.key, origin)
        return error_response(403, "This form does not accept posts from this origin.")
    if request.method == "OPTIONS":
        return with_cors(Response(status=204), origin, preflight=True)

    body = read_body()
    try:
        data = submission_schema.load(body)
    except ValidationError as error:
        return with_cors(error_response(422, "The form has errors.", error.messages), origin)

    result = record_submission(
        form, data, fallback_page_url=request.referrer, now=datetime.now(UTC)
    )
    log.info(
        "form %s: submission %s contact %s%s",
        form.key, result.submission_id, result.contact_id,
        " (replayed)" if result.replayed else "",
    )
    if client_wants_json():
        response = jsonify(result.as_json())
        response.status_code = 200 if result.replayed else 201
        return with_cors(response, origin)
    # The thank-you URL comes from the form's configuration, never from the request.
    return with_cors(redirect(form.redirect_url, code=303), origin)


def read_body() -> dict:
    """The posted fields, from a form or a JSON body."""
    if request.mimetype in JSON_MIMETYPES:
        try:
            body = json.loads(request.get_data(cache=False) or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest("The body is not valid JSON.") from exc
        if not isinstance(body, dict):
            raise BadRequest("The JSON body must be an object.")
        return body
    return {key: request.form.get(key) for key in request.form.keys()}


def with_cors(response: Response, origin: str | None, *, preflight=False) -> Response:
    """Allow the site's own origin to read the answer (the caller has checked it)."""
    if origin and origin != "null":
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
        if preflight:
            response.headers["Access-Control-Allow-Methods"] = "POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def client_wants_json() -> bool:
    """JSON errors for JSON posts and API-style clients, an HTML page for browsers' form posts."""
    if request.mimetype in JSON_MIMETYPES:
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


def error_response(status: int, message: str, errors: dict | None = None) -> Response:
    """One error shape: JSON ``{code, status, message, errors}`` or an HTML page listing them."""
    status_name = HTTPStatus(status).phrase
    if client_wants_json():
        payload = {"code": status, "status": status_name, "message": message}
        if errors:
            payload["errors"] = errors
        response = jsonify(payload)
    else:
        response = Response(
            render_template(
                "ingest/error.html", status=status, status_name=status_name,
                message=message, errors=flatten_errors(errors or {}),
            ),
            mimetype="text/html",
        )
    response.status_code = status
    return response


def flatten_errors(errors: dict) -> list[tuple[str, str]]:
    """(field, message) pairs from marshmallow's nested error dict."""
    pairs = []
    for field, messages in errors.items():
        if isinstance(messages, dict):
            pairs.extend((f"{field}.{sub}", msg) for sub, msg in flatten_errors(messages))
        else:
            for message in messages if isinstance(messages, list) else [messages]:
                pairs.append((field, str(message)))
    return pairs


@bp.errorhandler(413)
def too_large(error: HTTPException) -> Response:
    """Bodies over the 64 KiB cap."""
    return error_response(413, "The submission is too large.")


@bp.errorhandler(BadRequest)
def bad_request(error: BadRequest) -> Response:
    """Malformed bodies."""
    return error_response(400, error.description or "Bad request.")


@bp.errorhandler(429)
def too_many(error: HTTPException) -> Response:
    """Rate-limited clients."""
    return error_response(429, "Too many submissions; try again in a minute.")
