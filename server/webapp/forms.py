"""Flask-WTF forms of the marketer app; each carries the CSRF token."""

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from server.models import DEAL_STAGES, LEAD_STATUSES
from server.validation import clean_redirect_url


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class LeadStatusForm(FlaskForm):
    """A contact's lead status."""

    lead_status = SelectField(
        "Lead status", choices=[SelectChoice(s, s.title()) for s in LEAD_STATUSES]
    )


class DealForm(FlaskForm):
    """A new deal for a contact."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    value = DecimalField("Value", places=2, default=0,
                         validators=[Optional(), NumberRange(min=0, max=10**12)])
    currency = StringField("Currency", default="EUR", validators=[DataRequired(), Length(3, 3)])
    stage = SelectField("Stage", choices=[SelectChoice(s, s.title()) for s in DEAL_STAGES])


class SelectionForm(FlaskForm):
    """Save the current search as a selection."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = RadioField(
        "Kind",
        choices=[SelectChoice("dynamic", "Dynamic: re-run the search when opened"),
                 SelectChoice("static", "Static: keep today's contacts")],
        default="dynamic",
    )


class RenameForm(FlaskForm):
    """A selection's new name."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])


class ColumnsForm(FlaskForm):
    """Which lead columns a contact table shows; the columns come from request.form lists."""

    table = HiddenField(validators=[InputRequired()])
    next = HiddenField()


def http_url(form, field) -> None:
    """An absolute http(s) URL (the same check as a form's thank-you page)."""
    if field.data and clean_redirect_url(field.data) is None:
        raise ValidationError("Use an address that starts with http:// or https://.")


class UtmLinkForm(FlaskForm):
    """A campaign link: the page and its utm_* values (normalised by server.utm)."""

    url = StringField("Page URL", validators=[DataRequired("The page URL is needed."),
                                              Length(max=2000), http_url])
    source = StringField("Source", validators=[Length(max=255)])
    medium = StringField("Medium", validators=[Length(max=255)])
    campaign = StringField("Campaign", validators=[Length(max=255)])
    term = StringField("Term", validators=[Length(max=255)])
    content = StringField("Content", validators=[Length(max=255)])
