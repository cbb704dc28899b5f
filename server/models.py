"""All Leadtrail database models, in one place."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from server.attribution import domain_matches, hostname_of
from server.extensions import db

LEAD_STATUSES = ("new", "contacted", "qualified", "opportunity", "customer", "lost")
ROLES = ("admin", "marketer")
DEAL_STAGES = ("open", "won", "lost")


def utcnow() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_key(prefix: str) -> str:
    """A public, unguessable key such as ``site_3kTz...``."""
    return f"{prefix}_{secrets.token_urlsafe(12)}"


class UTCDateTime(sa.types.TypeDecorator):
    """Store UTC datetimes and always hand back timezone-aware ones (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert to UTC before storing."""
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        """Attach UTC to naive values read back."""
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class User(UserMixin, db.Model):
    """A marketer or admin who logs in to the app."""

    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16), default="marketer")
    # UI choices remembered per user, e.g. {"company_contact_columns": [...]}.
    preferences: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    tokens: so.WriteOnlyMapped[ApiToken] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        """Admins manage sites, forms, users and tokens."""
        return self.role == "admin"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship(back_populates="tokens")

    @staticmethod
    def hash(token: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token row and return it with the plain token, shown once."""
        plain = "lt_" + secrets.token_urlsafe(32)
        return cls(user=user, name=name, token_hash=cls.hash(plain)), plain


class Site(db.Model):
    """A customer website that runs the script."""

    __tablename__ = "sites"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    key: so.Mapped[str] = so.mapped_column(
        sa.String(64), unique=True, default=lambda: new_key("site")
    )
    domains: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    excluded_domains: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    lowercase_values: so.Mapped[bool] = so.mapped_column(default=True)
    # Raw value (any case) -> canonical value, e.g. {"lnkd.in": "linkedin"}.
    aliases: so.Mapped[dict[str, str]] = so.mapped_column(sa.JSON, default=dict)
    lookback_days: so.Mapped[int] = so.mapped_column(default=90)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    forms: so.Mapped[list[Form]] = so.relationship(back_populates="site", order_by="Form.id")

    def allows_origin(self, origin: str | None) -> bool:
        """True when a browser Origin header belongs to one of the site's domains."""
        host = hostname_of(origin)
        return host is not None and any(domain_matches(host, domain) for domain in self.domains)


class Form(db.Model):
    """A form on a site, posting to ``/f/KEY``."""

    __tablename__ = "forms"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    key: so.Mapped[str] = so.mapped_column(
        sa.String(64), unique=True, default=lambda: new_key("form")
    )
    redirect_url: so.Mapped[str] = so.mapped_column(sa.String(2000))
    track_utm: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    site: so.Mapped[Site] = so.relationship(back_populates="forms")


class Touch(db.Model):
    """One marketing touch: where a visit came from. Searchable fields are indexed columns."""

    __tablename__ = "touches"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    source: so.Mapped[str | None] = so.mapped_column(sa.String(255), index=True)
    medium: so.Mapped[str | None] = so.mapped_column(sa.String(255), index=True)
    campaign: so.Mapped[str | None] = so.mapped_column(sa.String(255), index=True)
    term: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    content: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    channel: so.Mapped[str | None] = so.mapped_column(sa.String(40), index=True)
    click_id: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    click_id_param: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    landing_page: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    referrer: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)

    FIELDS = (
        "source", "medium", "campaign", "term", "content", "channel",
        "click_id", "click_id_param", "landing_page", "referrer", "at",
    )

    @classmethod
    def from_value(cls, value) -> Touch:
        """A row from an ``server.attribution.Touch`` value."""
        return cls(**{name: getattr(value, name) for name in cls.FIELDS})


class Company(db.Model):
    """A company; its source is set once, by the submission that created it."""

    __tablename__ = "companies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    normalised_name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    source_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("touches.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    source: so.Mapped[Touch | None] = so.relationship(foreign_keys=[source_id])
    contacts: so.Mapped[list[Contact]] = so.relationship(
        back_populates="company", order_by="Contact.id"
    )


class Contact(db.Model):
    """A person; first touch and lead creation are set once, when the contact is created."""

    __tablename__ = "contacts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    first_name: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    last_name: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(50))
    company_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("companies.id"), index=True)
    first_touch_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("touches.id"))
    lead_creation_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("touches.id"))
    lead_status: so.Mapped[str] = so.mapped_column(sa.String(20), default="new", index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    company: so.Mapped[Company | None] = so.relationship(back_populates="contacts")
    first_touch: so.Mapped[Touch | None] = so.relationship(foreign_keys=[first_touch_id])
    lead_creation: so.Mapped[Touch | None] = so.relationship(foreign_keys=[lead_creation_id])
    submissions: so.Mapped[list[Submission]] = so.relationship(
        back_populates="contact",
        order_by=lambda: (Submission.created_at.desc(), Submission.id.desc()),
    )
    deals: so.Mapped[list[Deal]] = so.relationship(
        back_populates="contact", order_by=lambda: (Deal.created_at.desc(), Deal.id.desc())
    )

    @property
    def name(self) -> str:
        """Full name, or the e-mail when no name is known."""
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.email


class Submission(db.Model):
    """One form submission, with the conversion touch that brought it."""

    __tablename__ = "submissions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The id the browser generated for this submit; makes retried posts idempotent.
    public_id: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    form_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("forms.id"), index=True)
    contact_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contacts.id"), index=True)
    fields: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    # What the browser sent, as received (capped): kept so attribution can be re-derived.
    raw_attribution: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    page_url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    conversion_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("touches.id"))
    created_contact: so.Mapped[bool] = so.mapped_column(default=False)
    created_company: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)

    form: so.Mapped[Form] = so.relationship()
    contact: so.Mapped[Contact] = so.relationship(back_populates="submissions")
    conversion: so.Mapped[Touch | None] = so.relationship(foreign_keys=[conversion_id])
    history: so.Mapped[list[SubmissionTouch]] = so.relationship(
        order_by="SubmissionTouch.position", cascade="all, delete-orphan"
    )

    @property
    def touch_history(self) -> list[Touch]:
        """The browser's touch history that came with this submission, oldest first."""
        return [entry.touch for entry in self.history]


class SubmissionTouch(db.Model):
    """A touch of the history sent with a submission, as a row so reports can aggregate it."""

    __tablename__ = "submission_touches"

    submission_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    position: so.Mapped[int] = so.mapped_column(primary_key=True)
    touch_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("touches.id"), index=True)

    touch: so.Mapped[Touch] = so.relationship()


class Deal(db.Model):
    """A sales opportunity linked to a contact and its company."""

    __tablename__ = "deals"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    contact_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contacts.id"), index=True)
    company_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("companies.id"), index=True)
    value: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(14, 2), default=Decimal("0"))
    currency: so.Mapped[str] = so.mapped_column(sa.String(3), default="EUR")
    stage: so.Mapped[str] = so.mapped_column(sa.String(10), default="open", index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    contact: so.Mapped[Contact] = so.relationship(back_populates="deals")
    company: so.Mapped[Company | None] = so.relationship()

    @classmethod
    def for_contact(
        cls, contact: Contact, *, title: str, value: Decimal, currency: str, stage: str
    ) -> Deal:
        """A deal for a contact, on the contact's company; a won or lost deal is closed now."""
        return cls(
            contact=contact,
            company_id=contact.company_id,
            title=title.strip(),
            value=value or Decimal("0"),
            currency=currency.strip().upper(),
            stage=stage,
            closed_at=utcnow() if stage in ("won", "lost") else None,
        )


class Selection(db.Model):
    """A saved search: static (frozen members) or dynamic (criteria re-run on open)."""

    __tablename__ = "selections"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[str] = so.mapped_column(sa.String(10), default="dynamic")
    criteria: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    owner_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    owner: so.Mapped[User | None] = so.relationship()
    members: so.Mapped[list[SelectionMember]] = so.relationship(cascade="all, delete-orphan")


class SelectionMember(db.Model):
    """A contact frozen into a static selection."""

    __tablename__ = "selection_members"

    selection_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("selections.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )


class UtmLink(db.Model):
    """A campaign link built with the UTM builder."""

    __tablename__ = "utm_links"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    url: so.Mapped[str] = so.mapped_column(sa.String(2000))
    source: so.Mapped[str] = so.mapped_column(sa.String(255), index=True)
    medium: so.Mapped[str] = so.mapped_column(sa.String(255), index=True)
    campaign: so.Mapped[str] = so.mapped_column(sa.String(255), index=True)
    term: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    content: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
