"""Write one submission (contact, company, touches) in a single transaction."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from server.attribution import (
    Attribution,
    SiteRules,
    decide_attribution,
    normalise_company_name,
    normalise_email,
)
from server.extensions import db
from server.ingest.schemas import (
    MAX_HISTORY_JSON_LENGTH,
    MAX_TOUCH_JSON_LENGTH,
    clean_submission_id,
    parse_payload_json,
)
from server.models import Company, Contact, Form, Site, Submission, SubmissionTouch, Touch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmissionResult:
    """What the form endpoint reports back for a stored submission."""

    submission_id: str
    contact_id: int
    created_contact: bool
    company_id: int | None
    created_company: bool
    replayed: bool = False

    def as_json(self) -> dict[str, Any]:
        """The 201 body of a JSON post."""
        return {
            "submission_id": self.submission_id,
            "contact_id": self.contact_id,
            "created_contact": self.created_contact,
            "company_id": self.company_id,
            "created_company": self.created_company,
        }


def site_rules(site: Site) -> SiteRules:
    """The attribution rules configured for a site."""
    return SiteRules(
        domains=tuple(site.domains or ()),
        excluded_domains=tuple(site.excluded_domains or ()),
        lowercase=site.lowercase_values,
        aliases=dict(site.aliases or {}),
        lookback=timedelta(days=site.lookback_days or 90),
    )


def split_name(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """First and last name from ``first_name``/``last_name`` or a single ``name`` field."""
    first_name, last_name = data.get("first_name"), data.get("last_name")
    if not first_name and not last_name and data.get("name"):
        first_name, _, last_name = data["name"].partition(" ")
        last_name = last_name.strip() or None
    return first_name, last_name


def raw_attribution(data: dict[str, Any]) -> dict[str, Any]:
    """The browser's attribution payload as received, decoded and capped."""
    return {
        "first_touch": parse_payload_json(data.get("lt_first_touch"), MAX_TOUCH_JSON_LENGTH),
        "latest_touch": parse_payload_json(data.get("lt_latest_touch"), MAX_TOUCH_JSON_LENGTH),
        "touch_history": parse_payload_json(
            data.get("lt_touch_history"), MAX_HISTORY_JSON_LENGTH
        ),
        "page_url": data.get("lt_page_url"),
        "referrer": data.get("lt_referrer"),
    }


def find_replay(submission_id: str) -> SubmissionResult | None:
    """The result of an earlier post with the same submission id, if there was one."""
    submission = db.session.scalar(sa.select(Submission).filter_by(public_id=submission_id))
    if submission is None:
        return None
    return SubmissionResult(
        submission_id=submission.public_id,
        contact_id=submission.contact_id,
        created_contact=submission.created_contact,
        company_id=submission.contact.company_id,
        created_company=submission.created_company,
        replayed=True,
    )


def record_submission(
    form: Form, data: dict[str, Any], *, fallback_page_url: str | None, now: datetime
) -> SubmissionResult:
    """Store a validated submission; a retry with the same submission id stores nothing twice."""
    submission_id = clean_submission_id(data.get("lt_submission_id")) or uuid.uuid4().hex
    replay = find_replay(submission_id)
    if replay is not None:
        return replay
    # Two first submissions of the same person or company can race; the loser retries once
    # and then finds the winner's rows.
    for attempt in (1, 2):
        try:
            result = _write_submission(form, data, submission_id, fallback_page_url, now)
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            replay = find_replay(submission_id)
            if replay is not None:
                return replay
            if attempt == 2:
                raise
            log.info("submission %s raced another write; retrying", submission_id)
    raise AssertionError("unreachable")


def _write_submission(
    form: Form,
    data: dict[str, Any],
    submission_id: str,
    fallback_page_url: str | None,
    now: datetime,
) -> SubmissionResult:
    """Add the rows of one submission to the session, without committing."""
    raw = raw_attribution(data) if form.track_utm else {}
    page_url = data.get("lt_page_url") or fallback_page_url
    attribution: Attribution | None = None
    if form.track_utm:
        attribution = decide_attribution(
            page_url=page_url,
            referrer=raw.get("referrer"),
            first_touch_raw=raw.get("first_touch"),
            latest_touch_raw=raw.get("latest_touch"),
            history_raw=raw.get("touch_history"),
            now=now,
            rules=site_rules(form.site),
        )

    conversion = Touch.from_value(attribution.conversion) if attribution else None

    email = normalise_email(data["email"])
    contact = db.session.scalar(sa.select(Contact).filter_by(email=email))
    created_contact = contact is None
    company, created_company = None, False
    if contact is None or contact.company is None:
        company, created_company = _find_or_create_company(data.get("company"), conversion, now)
    if contact is None:
        first_name, last_name = split_name(data)
        contact = Contact(
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=data.get("phone"),
            company=company,
            created_at=now,
        )
        if attribution is not None:
            same_touch = attribution.first_touch == attribution.conversion
            contact.first_touch = conversion if same_touch else Touch.from_value(
                attribution.first_touch
            )
            contact.lead_creation = conversion
        db.session.add(contact)
    elif company is not None:
        # An existing contact who now names a company gets linked; nothing else changes.
        contact.company = company

    submission = Submission(
        public_id=submission_id,
        form=form,
        contact=contact,
        fields=_stored_fields(data),
        raw_attribution=raw,
        page_url=page_url,
        conversion=conversion,
        created_contact=created_contact,
        created_company=created_company,
        created_at=now,
    )
    if attribution is not None:
        submission.history = [
            SubmissionTouch(position=position, touch=Touch.from_value(touch))
            for position, touch in enumerate(attribution.touch_history)
        ]
    db.session.add(submission)
    db.session.flush()
    return SubmissionResult(
        submission_id=submission_id,
        contact_id=contact.id,
        created_contact=created_contact,
        company_id=contact.company_id,
        created_company=created_company,
    )


def _find_or_create_company(
    name: str | None, conversion: Touch | None, now: datetime
) -> tuple[Company | None, bool]:
    """The company with this normalised name, or a new one whose source is the conversion."""
    normalised = normalise_company_name(name)
    if not normalised:
        return None, False
    company = db.session.scalar(sa.select(Company).filter_by(normalised_name=normalised))
    if company is not None:
        return company, False
    company = Company(name=name, normalised_name=normalised, source=conversion, created_at=now)
    db.session.add(company)
    return company, True


def _stored_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Every submitted field worth keeping on the submission (raw, as validated)."""
    stored = {
        key: data[key]
        for key in ("email", "name", "first_name", "last_name", "company", "phone")
        if data.get(key)
    }
    stored.update(data.get("extra_fields") or {})
    return stored
