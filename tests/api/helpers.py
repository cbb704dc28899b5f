"""Small builders for form posts in API tests."""

import json
import uuid
from datetime import UTC, datetime, timedelta


def browser_touch(url=None, referrer=None, days_ago=0, **fields) -> dict:
    """A touch as the browser script stores it."""
    touch = {key: value for key, value in fields.items() if value is not None}
    if url:
        touch["landing_page"] = url
    if referrer:
        touch["referrer"] = referrer
    touch["at"] = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
    return touch


def attribution_fields(page_url, first_touch=None, latest_touch=None, history=None,
                       referrer="", submission_id=None) -> dict:
    """The hidden fields the script adds to a form, as strings."""
    return {
        "lt_first_touch": json.dumps(first_touch) if first_touch else "",
        "lt_latest_touch": json.dumps(latest_touch) if latest_touch else "",
        "lt_touch_history": json.dumps(history or []),
        "lt_page_url": page_url,
        "lt_referrer": referrer,
        "lt_submission_id": submission_id or uuid.uuid4().hex,
    }
