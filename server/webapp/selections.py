"""Selections (saved searches, static or dynamic) and the lead-status board."""

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from server.extensions import db
from server.models import LEAD_STATUSES, Selection
from server.search import (
    CriteriaError,
    Criterion,
    count_contacts,
    count_query,
    may_change_selection,
    new_selection,
    selection_contacts,
    selection_criteria,
    with_lead_details,
)
from server.webapp import bp
from server.webapp.forms import ColumnsForm, RenameForm, SelectionForm
from server.webapp.helpers import lead_columns, paginate_contacts
from server.webapp.search_views import read_search

# Beyond this a board stops being a board; the members table pages through the rest.
BOARD_LIMIT = 1000


@bp.route("/selections")
def selections():
    """All saved selections with their size."""
    rows = db.session.scalars(
        sa.select(Selection).options(so.joinedload(Selection.owner)).order_by(Selection.name)
    ).all()
    return render_template("selections/list.html", selections=rows, sizes=selection_sizes(rows))


def selection_sizes(selections: list[Selection]) -> dict[int, int | None]:
    """How many contacts each selection holds now, counted in one query (not one per row);
    None for a selection whose criteria no longer validate."""
    counts = {}
    for selection in selections:
        try:
            counts[selection.id] = count_query(selection_contacts(selection)).scalar_subquery()
        except CriteriaError:
            continue
    sizes: dict[int, int | None] = dict.fromkeys(selection.id for selection in selections)
    if counts:
        row = db.session.execute(sa.select(*(
            count.label(f"size_{selection_id}") for selection_id, count in counts.items()
        ))).one()
        sizes.update(zip(counts, row, strict=True))
    return sizes


@bp.route("/selections", methods=["POST"])
def save_selection() -> Response:
    """Save the search in the form's ``c`` fields as a static or dynamic selection."""
    form = SelectionForm()
    search = read_search(request.form.getlist("c"))
    if not form.validate_on_submit() or search.errors or not search.criteria:
        flash("The selection was not saved: give it a name and at least one valid criterion.",
              "error")
        return redirect(url_for("webapp.search", c=request.form.getlist("c")))
    selection = new_selection(db.session, form.name.data.strip(), form.kind.data,
                              search.criteria, owner=current_user._get_current_object())
    db.session.commit()
    flash(f"Saved the {selection.kind} selection “{selection.name}”.", "success")
    return redirect(url_for("webapp.selection", selection_id=selection.id))


@dataclass
class OpenedSelection:
    """A selection as its pages show it: criteria, contact query, and what stops it running."""

    selection: Selection
    criteria: list[Criterion]
    contacts: sa.Select | None
    errors: list[str]


def open_selection(selection_id: int) -> OpenedSelection:
    """A selection with its criteria validated again; a static one lists its members even when
    its criteria no longer validate (they only describe it), a dynamic one then cannot run."""
    selection = db.get_or_404(Selection, selection_id)
    try:
        criteria, errors = selection_criteria(selection), []
    except CriteriaError as error:
        criteria, errors = [], [str(error)]
    runs = selection.kind == "static" or not errors
    return OpenedSelection(selection, criteria, selection_contacts(selection) if runs else None,
                           errors)


@bp.route("/selections/<int:selection_id>")
def selection(selection_id: int):
    """A selection's members, with the lead columns the user picked."""
    opened = open_selection(selection_id)
    selection = opened.selection
    return render_template(
        "selections/detail.html",
        selection=selection,
        criteria=opened.criteria,
        criteria_texts=[criterion.to_text() for criterion in opened.criteria],
        errors=opened.errors,
        page=paginate_contacts(opened.contacts) if opened.contacts is not None else None,
        columns=lead_columns("selection"),
        columns_form=ColumnsForm(table="selection", next=request.full_path),
        rename_form=RenameForm(name=selection.name),
        can_change=may_change_selection(selection, current_user),
    )


def changeable_selection(selection_id: int) -> Selection:
    """A selection the current user may rename or delete; 404 or 403 otherwise."""
    selection = db.get_or_404(Selection, selection_id)
    if not may_change_selection(selection, current_user):
        abort(403, description="Only the owner of a selection or an admin can change it.")
    return selection


@bp.route("/selections/<int:selection_id>/rename", methods=["POST"])
def rename_selection(selection_id: int) -> Response:
    """Give a selection a new name."""
    selection = changeable_selection(selection_id)
    form = RenameForm()
    if form.validate_on_submit():
        selection.name = form.name.data.strip()
        db.session.commit()
        flash("Selection renamed.", "success")
    else:
        flash("A selection needs a name of at most 200 characters.", "error")
    return redirect(url_for("webapp.selection", selection_id=selection.id))


@bp.route("/selections/<int:selection_id>/delete", methods=["POST"])
def delete_selection(selection_id: int) -> Response:
    """Delete a selection (its contacts stay)."""
    selection = changeable_selection(selection_id)
    db.session.delete(selection)
    db.session.commit()
    flash(f"Deleted the selection “{selection.name}”.", "success")
    return redirect(url_for("webapp.selections"))


@bp.route("/selections/<int:selection_id>/board")
def board(selection_id: int):
    """The selection's contacts as columns of lead status, moved by drag and drop."""
    opened = open_selection(selection_id)
    columns: dict[str, list] = {status: [] for status in LEAD_STATUSES}
    total = 0
    if opened.contacts is not None:
        total = count_contacts(db.session, opened.contacts)
        for contact in db.session.scalars(with_lead_details(opened.contacts).limit(BOARD_LIMIT)):
            columns.setdefault(contact.lead_status, []).append(contact)
    return render_template("selections/board.html", selection=opened.selection, columns=columns,
                           errors=opened.errors, total=total, limit=BOARD_LIMIT)
