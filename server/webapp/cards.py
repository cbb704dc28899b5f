"""Contacts and companies: lists, cards, lead status, deals and the column picker."""


import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from server.extensions import db
from server.models import Company, Contact, Deal, Submission
from server.search import DEFAULT_LEAD_COLUMNS, LEAD_COLUMNS, newest_first
from server.webapp import bp
from server.webapp.forms import ColumnsForm, DealForm, LeadStatusForm
from server.webapp.helpers import (
    COLUMN_TABLES,
    back_to,
    lead_columns,
    paginate,
    paginate_contacts,
    remember_lead_columns,
    wants_json,
)

CONTACT_TABS = ("overview", "submissions", "deals", "privacy")


@bp.route("/")
def index():
    """The home page is the contact list."""
    return redirect(url_for("webapp.contacts"))


@bp.route("/contacts")
def contacts():
    """All contacts, newest first, a page at a time."""
    page = paginate_contacts(newest_first(sa.select(Contact)))
    return render_template("contacts/list.html", page=page)


@bp.route("/contacts/<int:contact_id>")
def contact(contact_id: int):
    """A contact's card: overview, submissions, deals and the Privacy tab."""
    contact = db.get_or_404(Contact, contact_id, options=[
        so.joinedload(Contact.company), so.joinedload(Contact.first_touch),
        so.joinedload(Contact.lead_creation), so.selectinload(Contact.deals),
    ])
    tab = request.args.get("tab", "overview")
    if tab not in CONTACT_TABS:
        tab = "overview"
    submissions = db.session.scalars(
        sa.select(Submission)
        .filter_by(contact_id=contact.id)
        .options(so.joinedload(Submission.conversion), so.joinedload(Submission.form))
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    ).all()
    return render_template(
        "contacts/card.html",
        contact=contact,
        tab=tab,
        tabs=CONTACT_TABS,
        submissions=submissions,
        status_form=LeadStatusForm(lead_status=contact.lead_status),
        deal_form=DealForm(),
    )


@bp.route("/contacts/<int:contact_id>/status", methods=["POST"])
def contact_status(contact_id: int) -> Response:
    """Change a contact's lead status: from the card's select, or the board's drag and drop."""
    contact = db.get_or_404(Contact, contact_id)
    form = LeadStatusForm()
    if not form.validate_on_submit():
        if wants_json():
            return jsonify(error="bad_status", message="Unknown lead status."), 400
        abort(400, description="Unknown lead status.")
    contact.lead_status = form.lead_status.data
    db.session.commit()
    if wants_json():
        return jsonify(id=contact.id, lead_status=contact.lead_status)
    flash(f"Lead status set to {contact.lead_status}.", "success")
    return redirect(back_to("webapp.contact", contact_id=contact.id))


@bp.route("/contacts/<int:contact_id>/deals", methods=["POST"])
def add_deal(contact_id: int) -> Response:
    """Create a deal for the contact and its company."""
    contact = db.get_or_404(Contact, contact_id)
    form = DealForm()
    if form.validate_on_submit():
        db.session.add(Deal.for_contact(
            contact,
            title=form.title.data,
            value=form.value.data,
            currency=form.currency.data,
            stage=form.stage.data,
        ))
        db.session.commit()
        flash("Deal added.", "success")
    else:
        flash("The deal was not added: " + "; ".join(
            f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()
        ), "error")
    return redirect(url_for("webapp.contact", contact_id=contact.id, tab="deals"))


@bp.route("/companies")
def companies():
    """All companies, newest first, with their source and number of contacts."""
    page = paginate(
        sa.select(Company)
        .options(so.joinedload(Company.source))
        .order_by(Company.created_at.desc(), Company.id.desc())
    )
    contact_counts = dict(db.session.execute(
        sa.select(Contact.company_id, sa.func.count(Contact.id))
        .where(Contact.company_id.in_([company.id for company in page.items]))
        .group_by(Contact.company_id)
    ).all())
    return render_template("companies/list.html", page=page, contact_counts=contact_counts)


@bp.route("/companies/<int:company_id>")
def company(company_id: int):
    """A company's card: its source and its contacts with the lead columns the user picked."""
    company = db.get_or_404(Company, company_id)
    page = paginate_contacts(newest_first(sa.select(Contact).filter_by(company_id=company.id)))
    return render_template(
        "companies/card.html",
        company=company,
        page=page,
        columns=lead_columns("company"),
        columns_form=ColumnsForm(table="company", next=request.full_path),
    )


@bp.route("/preferences/columns", methods=["POST"])
def save_columns() -> Response:
    """Remember which lead columns the user wants in a contact table."""
    form = ColumnsForm()
    if not form.validate_on_submit() or form.table.data not in COLUMN_TABLES:
        abort(400, description="Unknown table.")
    remember_lead_columns(form.table.data, request.form.getlist("columns"))
    flash("Columns saved.", "success")
    return redirect(back_to("webapp.contacts"))


@bp.context_processor
def lead_column_context() -> dict:
    """The lead columns' labels and the default choice, for every page's templates."""
    return {"lead_column_labels": LEAD_COLUMNS, "default_lead_columns": DEFAULT_LEAD_COLUMNS}
