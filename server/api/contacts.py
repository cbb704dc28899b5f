"""Contacts, their submissions, and companies."""

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from server.api.schemas import (
    CompanySchema,
    ContactListSchema,
    ContactQuerySchema,
    ContactSchema,
    SubmissionListSchema,
)
from server.attribution import normalise_email
from server.extensions import db
from server.models import Company, Contact, Submission

blp = Blueprint("contacts", __name__, url_prefix="/api", description="Contacts and companies")


@blp.route("/contacts")
class Contacts(MethodView):
    """The contact list."""

    @blp.arguments(ContactQuerySchema, location="query")
    @blp.response(200, ContactListSchema)
    def get(self, query):
        """List contacts, newest first; ``email`` finds one by e-mail (case-insensitive)."""
        statement = sa.select(Contact).order_by(Contact.id.desc())
        if query.get("email"):
            statement = statement.filter_by(email=normalise_email(query["email"]))
        statement = statement.limit(query["limit"]).offset(query["offset"])
        return {"items": db.session.scalars(statement).all()}


@blp.route("/contacts/<int:contact_id>")
class ContactById(MethodView):
    """One contact."""

    @blp.response(200, ContactSchema)
    def get(self, contact_id):
        """A contact with first touch, lead creation and company."""
        return db.get_or_404(Contact, contact_id, description="No such contact.")


@blp.route("/contacts/<int:contact_id>/submissions")
class ContactSubmissions(MethodView):
    """A contact's form submissions."""

    @blp.response(200, SubmissionListSchema)
    def get(self, contact_id):
        """The contact's submissions, newest first, each with conversion and touch history."""
        if db.session.get(Contact, contact_id) is None:
            abort(404, message="No such contact.")
        statement = (
            sa.select(Submission)
            .filter_by(contact_id=contact_id)
            .order_by(Submission.created_at.desc(), Submission.id.desc())
        )
        return {"items": db.session.scalars(statement).all()}


@blp.route("/companies/<int:company_id>")
class CompanyById(MethodView):
    """One company."""

    @blp.response(200, CompanySchema)
    def get(self, company_id):
        """A company with its source."""
        return db.get_or_404(Company, company_id, description="No such company.")
