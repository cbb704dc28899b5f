"""Flask-WTF forms of the marketer app; each carries the CSRF token."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
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

from server.models import DEAL_STAGES, LEAD_STATUSES, ROLES
from server.validation import MIN_PASSWORD_LENGTH, clean_domain, clean_email, clean_redirect_url


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


def domain_name(form, field) -> None:
    """A host name, cleaned the way ``leadtrail create-site --domain`` cleans it."""
    cleaned = clean_domain(field.data or "")
    if cleaned is None:
        raise ValidationError(f"“{field.data}” is not a domain (example: shop.example.com).")
    field.data = cleaned


def email_address(form, field) -> None:
    """Lower-case and trimmed, as ``leadtrail create-user`` accepts it."""
    cleaned = clean_email(field.data)
    if cleaned is None:
        raise ValidationError("Type a valid e-mail address.")
    field.data = cleaned


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token (remove, revoke)."""


class SiteForm(FlaskForm):
    """A new site and its first domain."""

    name = StringField("Site name", validators=[DataRequired("Give the site a name."),
                                                Length(max=200)])
    domain = StringField("Domain", validators=[DataRequired("A site needs a domain."),
                                               Length(max=253), domain_name])


class DomainForm(FlaskForm):
    """One domain, added to or removed from a site's list."""

    domain = StringField("Domain", validators=[DataRequired("Type a domain."), Length(max=253),
                                               domain_name])


class SiteOptionsForm(FlaskForm):
    """How a site's touches are normalised and how far back a first touch may lie."""

    lowercase_values = BooleanField("Lower-case UTM values")
    lookback_days = IntegerField(
        "Lookback days",
        validators=[InputRequired("Give the lookback in days."),
                    NumberRange(1, 730, "Use a number of days from 1 to 730.")],
    )


class AliasForm(FlaskForm):
    """One row of the alias table: a raw value and the value it stands for."""

    raw = StringField("Raw value", validators=[DataRequired("Type the raw value."),
                                               Length(max=255)])
    canonical = StringField("Canonical value", validators=[DataRequired("Type the value to use."),
                                                           Length(max=255)])


class AliasRemoveForm(FlaskForm):
    """The raw value of the alias row to remove."""

    raw = HiddenField(validators=[DataRequired()])


class TrackedFormForm(FlaskForm):
    """A form on a site: name, thank-you page and whether submissions are attributed."""

    name = StringField("Form name", validators=[DataRequired("Give the form a name."),
                                                Length(max=200)])
    redirect_url = StringField(
        "Thank-you page",
        validators=[DataRequired("A thank-you page URL is needed."), Length(max=2000), http_url],
    )
    track_utm = BooleanField("Track UTM for form submissions", default=True)


ROLE_CHOICES = [SelectChoice(role, role.title()) for role in ROLES]


class UserForm(FlaskForm):
    """A new user who logs in to the app."""

    email = EmailField("E-mail", validators=[DataRequired("Type an e-mail address."),
                                             email_address,
                                             Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="marketer")
    password = PasswordField("Password", validators=[
        DataRequired("Choose a password."),
        Length(MIN_PASSWORD_LENGTH, 200, f"Use at least {MIN_PASSWORD_LENGTH} characters.")])


class RoleForm(FlaskForm):
    """A user's new role."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class PasswordResetForm(FlaskForm):
    """A user's new password."""

    password = PasswordField("New password", validators=[
        DataRequired("Choose a password."),
        Length(MIN_PASSWORD_LENGTH, 200, f"Use at least {MIN_PASSWORD_LENGTH} characters.")])


class TokenForm(FlaskForm):
    """A new API token: what it is for and whose it is."""

    name = StringField("Name", validators=[DataRequired("Say what the token is for."),
                                           Length(max=100)])
    user_id = SelectField("User", coerce=int)
