"""Lead search, selections, lead status and deals in the JSON API."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from server.api.schemas import (
    ContactPageSchema,
    ContactSchema,
    ContactUpdateSchema,
    DealCreateSchema,
    DealListSchema,
    DealSchema,
    PageQuerySchema,
    SearchRequestSchema,
    SelectionCreateSchema,
    SelectionListSchema,
    SelectionSchema,
    SelectionUpdateSchema,
)
from server.extensions import db
from server.models import Contact, Deal, Selection
from server.search import (
    CriteriaError,
    Criterion,
    contacts_matching,
    count_contacts,
    criteria_from_dicts,
    may_change_selection,
    new_selection,
    selection_contacts,
    with_lead_details,
)

blp = Blueprint("search", __name__, url_prefix="/api",
                description="Lead search, selections, lead status and deals")


def valid_criteria(items: list[dict]) -> list[Criterion]:
    """Criteria from a request body, or a 422 naming what is wrong."""
    try:
        return criteria_from_dicts(items)
    except CriteriaError as error:
        abort(422, message="Invalid search criteria.", errors={"json": {"criteria": [str(error)]}})


def contact_page(statement: sa.Select, limit: int, offset: int) -> dict:
    """A page of a contact query, with the total."""
    items = db.session.scalars(with_lead_details(statement).limit(limit).offset(offset)).all()
    return {"total": count_contacts(db.session, statement), "items": items}


def changeable_selection(selection_id: int) -> Selection:
    """A selection the token's user may rename or delete; 404 or 403 otherwise."""
    selection = db.get_or_404(Selection, selection_id, description="No such selection.")
    if not may_change_selection(selection, g.api_user):
        abort(403, message="Only the owner of a selection or an admin can change it.")
    return selection


def contacts_of(selection: Selection) -> sa.Select:
    """A selection's contact query, or a 409 when its stored criteria no longer validate."""
    try:
        return selection_contacts(selection)
    except CriteriaError as error:
        abort(409, message=f"The selection's criteria cannot run: {error}")


@blp.route("/search", methods=["POST"])
@blp.arguments(SearchRequestSchema)
@blp.response(200, ContactPageSchema)
def search(body):
    """Contacts matching every criterion, newest first."""
    statement = contacts_matching(valid_criteria(body["criteria"]))
    return contact_page(statement, body["limit"], body["offset"])


@blp.route("/selections")
class Selections(MethodView):
    """Saved searches."""

    @blp.response(200, SelectionListSchema)
    def get(self):
        """All selections, by name."""
        return {"items": db.session.scalars(
            sa.select(Selection).options(so.joinedload(Selection.owner)).order_by(Selection.name)
        ).all()}

    @blp.arguments(SelectionCreateSchema)
    @blp.response(201, SelectionSchema)
    def post(self, body):
        """Save a search; a static selection keeps the contacts that match now."""
        selection = new_selection(db.session, body["name"].strip(), body["kind"],
                                  valid_criteria(body["criteria"]), owner=g.api_user)
        db.session.commit()
        return selection


@blp.route("/selections/<int:selection_id>")
class SelectionById(MethodView):
    """One selection."""

    @blp.response(200, SelectionSchema)
    def get(self, selection_id):
        """A selection with its criteria."""
        return db.get_or_404(Selection, selection_id, description="No such selection.")

    @blp.arguments(SelectionUpdateSchema)
    @blp.response(200, SelectionSchema)
    def patch(self, body, selection_id):
        """Rename a selection (its owner or an admin)."""
        selection = changeable_selection(selection_id)
        selection.name = body["name"].strip()
        db.session.commit()
        return selection

    @blp.response(204)
    def delete(self, selection_id):
        """Delete a selection (its owner or an admin); its contacts stay."""
        db.session.delete(changeable_selection(selection_id))
        db.session.commit()


@blp.route("/selections/<int:selection_id>/contacts")
@blp.arguments(PageQuerySchema, location="query")
@blp.response(200, ContactPageSchema)
def selection_members(query, selection_id):
    """A selection's contacts: frozen members if static, criteria re-run if dynamic."""
    selection = db.get_or_404(Selection, selection_id, description="No such selection.")
    return contact_page(contacts_of(selection), query["limit"], query["offset"])


@blp.route("/contacts/<int:contact_id>", methods=["PATCH"])
@blp.arguments(ContactUpdateSchema)
@blp.response(200, ContactSchema)
def update_contact(body, contact_id):
    """Change a contact's lead status."""
    contact = db.get_or_404(Contact, contact_id, description="No such contact.")
    contact.lead_status = body["lead_status"]
    db.session.commit()
    return contact


@blp.route("/deals", methods=["POST"])
@blp.arguments(DealCreateSchema)
@blp.response(201, DealSchema)
def create_deal(body):
    """Create a deal for a contact, linked to the contact's company."""
    contact = db.session.get(Contact, body["contact_id"])
    if contact is None:
        abort(422, message="No such contact.",
              errors={"json": {"contact_id": ["No contact with this id."]}})
    deal = Deal.for_contact(contact, title=body["title"], value=body["value"],
                            currency=body["currency"], stage=body["stage"])
    db.session.add(deal)
    db.session.commit()
    return deal


@blp.route("/contacts/<int:contact_id>/deals")
@blp.response(200, DealListSchema)
def contact_deals(contact_id):
    """A contact's deals, newest first."""
    contact = db.get_or_404(Contact, contact_id, description="No such contact.")
    return {"items": contact.deals}
