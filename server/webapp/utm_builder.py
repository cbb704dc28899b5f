"""The UTM builder: campaign links with consistent names."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import render_template, request

from server.webapp import bp

UTM_PARTS = ("source", "medium", "campaign", "term", "content")


def campaign_url(base: str, values: dict[str, str]) -> str:
    """``base`` with the non-empty utm_* values set (trimmed, lower case), other params kept."""
    parts = urlsplit(base.strip())
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not key.startswith("utm_")]
    query += [(f"utm_{name}", value.strip().lower()) for name, value in values.items()
              if value.strip()]
    return urlunsplit(parts._replace(query=urlencode(query)))


@bp.route("/utm-builder")
def utm_builder():
    """Build a campaign link from a page URL and its utm_* values (a GET form, nothing stored)."""
    values = {name: request.args.get(name, "")[:255] for name in UTM_PARTS}
    base = request.args.get("url", "")[:2000]
    error, link = None, None
    if base:
        if urlsplit(base.strip()).scheme not in ("http", "https"):
            error = "The page URL must start with http:// or https://."
        elif not all(values[name].strip() for name in ("source", "medium", "campaign")):
            error = "Source, medium and campaign are needed."
        else:
            link = campaign_url(base, values)
    return render_template("utm_builder.html", base=base, values=values, link=link, error=error)
