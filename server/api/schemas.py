"""Output and query schemas of the JSON API; the OpenAPI document is built from them."""

from marshmallow import Schema, fields, validate


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
