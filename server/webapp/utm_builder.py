"""The UTM builder: preview a campaign link (GET), save it (POST), list the links built."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from server import utm
from server.attribution import channel_for
from server.extensions import db
from server.models import Touch, User, UtmLink
from server.webapp import bp
from server.webapp.forms import UtmLinkForm

RECENT_LINKS = 25
# Enough distinct earlier values to catch near-duplicates; past that, the most recently used.
EARLIER_VALUES_LIMIT = 5000


def earlier_values() -> dict[str, list[str]]:
    """Campaign, term and content values of saved links and recorded touches, newest first."""
    values = {}
    for name in utm.FREE_PARTS:
        link_column, touch_column = getattr(UtmLink, name), getattr(Touch, name)
        used = sa.union_all(
            sa.select(link_column.label("value"), UtmLink.created_at.label("at"))
            .where(link_column.is_not(None)),
            sa.select(touch_column.label("value"), Touch.at.label("at"))
            .where(touch_column.is_not(None)),
        ).subquery()
        query = (
            sa.select(used.c.value)
            .group_by(used.c.value)
            .order_by(sa.func.max(used.c.at).desc().nulls_last(), used.c.value)
            .limit(EARLIER_VALUES_LIMIT)
        )
        values[name] = list(db.session.scalars(query))
    return values


def check_form(form: UtmLinkForm) -> utm.LinkCheck | None:
    """Validate the form and apply the naming rules; field errors land on the form."""
    if not form.validate():
        return None
    check = utm.check_link(
        form.url.data, {name: getattr(form, name).data for name in utm.PARTS}, earlier_values()
    )
    for name, message in check.errors.items():
        getattr(form, name).errors.append(message)
    if check.url is not None and len(check.url) > 2000:
        form.url.errors.append("The link would be longer than 2,000 characters.")
        check.url = None
    return check if check.url else None


def recent_links() -> list[tuple[UtmLink, str | None]]:
    """The newest saved links, each with its creator's e-mail."""
    return db.session.execute(
        sa.select(UtmLink, User.email)
        .outerjoin(User, User.id == UtmLink.created_by_id)
        .order_by(UtmLink.created_at.desc(), UtmLink.id.desc())
        .limit(RECENT_LINKS)
    ).all()


@bp.route("/utm-builder", methods=["GET", "POST"])
def utm_builder():
    """GET with a page URL previews the link; POST (with CSRF) saves it."""
    if request.method == "POST":
        form = UtmLinkForm()
    else:
        # A preview changes nothing, so it is a plain GET form without a CSRF token.
        form = UtmLinkForm(request.args, meta={"csrf": False})
    check = None
    if request.method == "POST" or request.args.get("url"):
        check = check_form(form)
    if request.method == "POST" and check is not None:
        values = check.values
        link = UtmLink(
            url=check.url,
            source=values["source"],
            medium=values["medium"],
            campaign=values["campaign"],
            term=values["term"] or None,
            content=values["content"] or None,
            created_by_id=current_user.id,
        )
        db.session.add(link)
        db.session.commit()
        flash("Link saved.", "success")
        return redirect(url_for("webapp.utm_builder"))
    return render_template(
        "utm_builder.html",
        form=form,
        check=check,
        links=recent_links(),
        sources=utm.SOURCES,
        media=utm.MEDIA,
        channel_for=channel_for,
    ), 400 if request.method == "POST" else 200
