"""Output and query schemas of the JSON API; the OpenAPI document is built from them."""

from marshmallow import Schema, fields, validate

from server.models import DEAL_STAGES, LEAD_STATUSES
from server.reports import ATTRIBUTIONS as REPORT_ATTRIBUTIONS
from server.reports import DIMENSIONS as REPORT_DIMENSIONS
from server.reports import PERIODS as REPORT_PERIODS
from server.search import MAX_CRITERIA, SELECTION_KINDS


class TouchSchema(Schema):
    """Where a visit came from."""

    source = fields.String(allow_none=True)
    medium = fields.String(allow_none=True)
    campaign = fields.String(allow_none=True)
    term = fields.String(allow_none=True)
    content = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    click_id = fields.String(allow_none=True)
    click_id_param = fields.String(allow_none=True)
    landing_page = fields.String(allow_none=True)
    referrer = fields.String(allow_none=True)
    at = fields.DateTime(allow_none=True)


class CompanyRefSchema(Schema):
    """A company named from another object."""

    id = fields.Integer()
    name = fields.String()


class ContactSchema(Schema):
    """A contact with its first touch and lead creation."""

    id = fields.Integer()
    email = fields.String()
    first_name = fields.String(allow_none=True)
    last_name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    lead_status = fields.String()
    created_at = fields.DateTime()
    company = fields.Nested(CompanyRefSchema, allow_none=True)
    first_touch = fields.Nested(TouchSchema, allow_none=True)
    lead_creation = fields.Nested(TouchSchema, allow_none=True)


class ContactListSchema(Schema):
    """A page of contacts."""

    items = fields.List(fields.Nested(ContactSchema))


class ContactQuerySchema(Schema):
    """Filters for the contact list."""

    email = fields.String(validate=validate.Length(max=254))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class FormRefSchema(Schema):
    """A form named from a submission."""

    id = fields.Integer()
    name = fields.String()
    key = fields.String()


class SubmissionSchema(Schema):
    """A form submission with its conversion and the touch history that came with it."""

    id = fields.Integer()
    submission_id = fields.String(attribute="public_id")
    form = fields.Nested(FormRefSchema)
    contact_id = fields.Integer()
    created_at = fields.DateTime()
    page_url = fields.String(allow_none=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields")
    created_contact = fields.Boolean()
    created_company = fields.Boolean()
    conversion = fields.Nested(TouchSchema, allow_none=True)
    touch_history = fields.List(fields.Nested(TouchSchema))


class SubmissionListSchema(Schema):
    """A contact's submissions, newest first."""

    items = fields.List(fields.Nested(SubmissionSchema))


class CompanySchema(Schema):
    """A company with the source saved when a submission created it."""

    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    source = fields.Nested(TouchSchema, allow_none=True)
    contact_ids = fields.Method("get_contact_ids")

    def get_contact_ids(self, company) -> list[int]:
        """Ids of the company's contacts."""
        return [contact.id for contact in company.contacts]


class CriterionSchema(Schema):
    """One search criterion: a whitelisted field, an operator and (for most operators) a value."""

    field = fields.String(required=True, metadata={"example": "first_touch.source"})
    op = fields.String(required=True, metadata={
        "description": "eq, ne, contains, empty, in (comma-separated), before, after (dates)"})
    value = fields.String(load_default="", metadata={"example": "linkedin"})


class SearchRequestSchema(Schema):
    """A lead search: criteria combined with AND, and the page wanted."""

    criteria = fields.List(fields.Nested(CriterionSchema), required=True,
                           validate=validate.Length(max=MAX_CRITERIA))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class PageQuerySchema(Schema):
    """A page of a list."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class ContactPageSchema(Schema):
    """A page of contacts and how many match in all."""

    total = fields.Integer()
    items = fields.List(fields.Nested(ContactSchema))


class SelectionSchema(Schema):
    """A saved search: static (members frozen when saved) or dynamic (criteria re-run)."""

    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    criteria = fields.List(fields.Nested(CriterionSchema))
    owner = fields.Function(lambda selection: selection.owner.email if selection.owner else None)
    created_at = fields.DateTime()


class SelectionListSchema(Schema):
    """All selections."""

    items = fields.List(fields.Nested(SelectionSchema))


class SelectionCreateSchema(Schema):
    """A new selection."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(load_default="dynamic", validate=validate.OneOf(SELECTION_KINDS))
    criteria = fields.List(fields.Nested(CriterionSchema), required=True,
                           validate=validate.Length(min=1, max=MAX_CRITERIA))


class SelectionUpdateSchema(Schema):
    """A selection's new name."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ContactUpdateSchema(Schema):
    """The fields of a contact the API may change."""

    lead_status = fields.String(required=True, validate=validate.OneOf(LEAD_STATUSES))


class DealSchema(Schema):
    """A deal, linked to a contact and the contact's company."""

    id = fields.Integer()
    title = fields.String()
    contact_id = fields.Integer()
    company_id = fields.Integer(allow_none=True)
    value = fields.Decimal(as_string=True)
    currency = fields.String()
    stage = fields.String()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class DealCreateSchema(Schema):
    """A new deal for a contact; its company is the contact's."""

    contact_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    value = fields.Decimal(load_default=0, validate=validate.Range(min=0, max=10**12),
                           places=2, as_string=True)
    currency = fields.String(load_default="EUR", validate=validate.Length(equal=3))
    stage = fields.String(load_default="open", validate=validate.OneOf(DEAL_STAGES))


class DealListSchema(Schema):
    """A contact's deals, newest first."""

    items = fields.List(fields.Nested(DealSchema))


class ReportQuerySchema(Schema):
    """What a report counts: a dimension, an attribution model and a date range (UTC days)."""

    dimension = fields.String(load_default="source", validate=validate.OneOf(REPORT_DIMENSIONS))
    attribution = fields.String(load_default="conversion",
                                validate=validate.OneOf(REPORT_ATTRIBUTIONS))
    start = fields.Date(metadata={"description": "First day, included; default: 29 days "
                                                 "before the end (with period: the preset)."})
    end = fields.Date(metadata={"description": "Last day, included; default: today (UTC)."})
    period = fields.String(validate=validate.OneOf(REPORT_PERIODS), metadata={
        "description": "A preset used when neither start nor end is given: 7, 30, 90 or all."})


class ReportTotalsSchema(Schema):
    """The numbers of a whole report."""

    submissions = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "Of all submissions, 0-1."})
    new_leads = fields.Integer(metadata={"description": "Submissions that created the contact."})
    deals = fields.Integer(metadata={"description": "Deals of those new leads, any stage."})
    won_deals = fields.Integer()
    conversion_rate = fields.Float(allow_none=True, metadata={
        "description": "New leads with at least one deal / new leads, 0-1."})
    deal_value = fields.Dict(keys=fields.String(), values=fields.Decimal(as_string=True),
                             metadata={"description": "Sum of won deal values per currency."})


class ReportRowSchema(ReportTotalsSchema):
    """The numbers of one value of the dimension (value null: not set)."""

    value = fields.String(allow_none=True)


class ReportSchema(Schema):
    """A report: its request, the totals and one row per value, most submissions first."""

    dimension = fields.String()
    attribution = fields.String()
    start = fields.Date(allow_none=True)
    end = fields.Date()
    totals = fields.Nested(ReportTotalsSchema)
    rows = fields.List(fields.Nested(ReportRowSchema))
