"""Validation and capping of a form submission, at the edge."""

import json
import re
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

KNOWN_FIELDS = ("email", "name", "first_name", "last_name", "company", "phone")
ATTRIBUTION_FIELDS = (
    "lt_first_touch",
    "lt_latest_touch",
    "lt_touch_history",
    "lt_page_url",
    "lt_referrer",
    "lt_submission_id",
)
MAX_EXTRA_FIELDS = 50
MAX_EXTRA_NAME_LENGTH = 100
MAX_EXTRA_VALUE_LENGTH = 5000
MAX_URL_LENGTH = 2000
MAX_TOUCH_JSON_LENGTH = 8000
MAX_HISTORY_JSON_LENGTH = 40000
SUBMISSION_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _text(max_length: int, **kwargs) -> fields.String:
    """An optional, length-capped text field."""
    return fields.String(load_default=None, validate=validate.Length(max=max_length), **kwargs)


class SubmissionSchema(Schema):
    """The body of ``POST /f/FORM_KEY``: contact fields, attribution payload and extra fields."""

    class Meta:
        unknown = EXCLUDE

    email = fields.Email(
        required=True,
        validate=validate.Length(max=254),
        error_messages={
            "required": "E-mail is required.",
            "invalid": "Not a valid e-mail address.",
        },
    )
    name = _text(200)
    first_name = _text(100)
    last_name = _text(100)
    company = _text(200)
    phone = _text(50)

    # The browser's payload: kept lenient, since a broken payload must never lose a lead.
    lt_first_touch = fields.Raw(load_default=None)
    lt_latest_touch = fields.Raw(load_default=None)
    lt_touch_history = fields.Raw(load_default=None)
    lt_page_url = _text(MAX_URL_LENGTH)
    lt_referrer = _text(MAX_URL_LENGTH)
    lt_submission_id = fields.String(load_default=None)

    extra_fields = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)

    @pre_load
    def split_extra_fields(self, data: dict[str, Any], **kwargs) -> dict[str, Any]:
        """Strip whitespace and gather every field we don't know into ``extra_fields``."""
        known = set(KNOWN_FIELDS) | set(ATTRIBUTION_FIELDS)
        loaded: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
            if key in known:
                if value in ("", None) and key not in ("email",):
                    continue
                loaded[key] = value
            elif key != "extra_fields" and value not in ("", None):
                extra[key] = value if isinstance(value, str) else json.dumps(value)
        loaded["extra_fields"] = extra
        return loaded

    @validates_schema
    def check_extra_fields(self, data: dict[str, Any], **kwargs) -> None:
        """Cap the number and size of the fields we keep without knowing them."""
        extra = data.get("extra_fields") or {}
        if len(extra) > MAX_EXTRA_FIELDS:
            raise ValidationError(
                f"Too many fields: at most {MAX_EXTRA_FIELDS} besides the known ones.",
                "extra_fields",
            )
        errors: dict[str, list[str]] = {}
        for key, value in extra.items():
            if len(key) > MAX_EXTRA_NAME_LENGTH:
                errors[key[:MAX_EXTRA_NAME_LENGTH]] = [
                    f"Field name longer than {MAX_EXTRA_NAME_LENGTH} characters."
                ]
            elif len(value) > MAX_EXTRA_VALUE_LENGTH:
                errors[key] = [f"Longer than maximum length {MAX_EXTRA_VALUE_LENGTH}."]
        if errors:
            raise ValidationError(errors)


def parse_payload_json(value: Any, max_length: int) -> Any:
    """Decode a JSON-encoded attribution value from a form field; junk becomes None."""
    if value is None or isinstance(value, dict | list):
        return value
    if not isinstance(value, str) or not value or len(value) > max_length:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def clean_submission_id(value: Any) -> str | None:
    """The browser's submission id when it has a sane shape, else None."""
    if isinstance(value, str) and SUBMISSION_ID_PATTERN.match(value):
        return value
    return None
