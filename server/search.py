"""The lead search: criteria (field, operator, value) turned into SQLAlchemy queries of contacts.

Plain functions, no Flask: the web pages, the CSV export, selections and the JSON API all build
their queries here. A criterion travels as text, ``field:op:value`` (``first_touch.source:eq:x``),
so a search is a link. Rows are combined with AND.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from server.models import Company, Contact, Form, Selection, SelectionMember, Submission, Touch

TOUCH_PARTS = ("source", "medium", "campaign", "channel")
PART_LABELS = {"source": "Source", "medium": "Medium", "campaign": "Campaign", "channel": "Channel"}


@dataclass(frozen=True)
class Operator:
    """A comparison offered in the search; ``value`` says whether it takes one."""

    name: str
    label: str
    value: bool = True


OPERATORS = {
    op.name: op
    for op in (
        Operator("eq", "equals"),
        Operator("ne", "not equals"),
        Operator("contains", "contains"),
        Operator("empty", "is empty", value=False),
        Operator("in", "in list"),
        Operator("before", "before"),
        Operator("after", "after"),
    )
}
TEXT_OPERATORS = ("eq", "ne", "contains", "empty", "in")
DATE_OPERATORS = ("before", "after")


@dataclass(frozen=True)
class Field:
    """A searchable field: where it lives and which operators apply to it."""

    name: str
    group: str
    label: str
    # "contact": a column reachable from the contact row; "submission": true when ANY of the
    # contact's submissions matches, so the test runs in an EXISTS subquery.
    scope: str
    operators: tuple[str, ...] = TEXT_OPERATORS


COMPANY_LEAD = "Company > Lead"
CONTACT_LEAD = "Contact > Lead"
TOUCH_LABELS = {
    "company_source": "Company source",
    "first_touch": "First touch",
    "lead_creation": "Lead creation",
    "conversion": "Conversion (any submission)",
}


def _touch_fields(prefix: str, group: str, scope: str) -> list[Field]:
    """The source, medium, campaign and channel fields of one touch."""
    return [
        Field(f"{prefix}.{part}", group, f"{TOUCH_LABELS[prefix]} {PART_LABELS[part].lower()}",
              scope)
        for part in TOUCH_PARTS
    ]


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        *_touch_fields("company_source", COMPANY_LEAD, "contact"),
        *_touch_fields("first_touch", CONTACT_LEAD, "contact"),
        *_touch_fields("lead_creation", CONTACT_LEAD, "contact"),
        *_touch_fields("conversion", CONTACT_LEAD, "submission"),
        Field("created", CONTACT_LEAD, "Contact created", "contact", DATE_OPERATORS),
        Field("form", CONTACT_LEAD, "Form (any submission)", "submission"),
    )
}

# The lead columns a user can show in contact tables, in display order.
LEAD_COLUMNS = {
    f"{touch}.{part}": f"{TOUCH_LABELS[touch]} {PART_LABELS[part].lower()}"
    for touch in ("first_touch", "lead_creation")
    for part in TOUCH_PARTS
}
DEFAULT_LEAD_COLUMNS = ("first_touch.source", "first_touch.medium", "lead_creation.source")
MAX_LIST_VALUES = 100
MAX_VALUE_LENGTH = 255
# More rows than anyone builds by hand; a cap keeps a crafted link from making a huge query.
MAX_CRITERIA = 50


class CriteriaError(ValueError):
    """A criterion that names an unknown field or operator, or has a bad value."""


@dataclass(frozen=True)
class Criterion:
    """One row of a search: ``field`` ``op`` ``value``."""

    field: str
    op: str
    value: str = ""

    def to_text(self) -> str:
        """The query-string form, ``field:op:value``."""
        return f"{self.field}:{self.op}:{self.value}"

    def to_dict(self) -> dict[str, str]:
        """The stored (JSON) form."""
        return {"field": self.field, "op": self.op, "value": self.value}

    def describe(self) -> str:
        """A sentence for people, e.g. ``First touch source equals linkedin``."""
        words = f"{FIELDS[self.field].label} {OPERATORS[self.op].label}"
        return f"{words} {self.value}" if OPERATORS[self.op].value else words


def make_criterion(field: str, op: str, value: str | None = "") -> Criterion:
    """A validated criterion; raises CriteriaError with a message a marketer can act on."""
    field, op, value = (field or "").strip(), (op or "").strip(), (value or "").strip()
    if field not in FIELDS:
        raise CriteriaError(f"Unknown search field {field!r}.")
    if op not in OPERATORS:
        raise CriteriaError(f"Unknown operator {op!r}.")
    if op not in FIELDS[field].operators:
        allowed = ", ".join(OPERATORS[name].label for name in FIELDS[field].operators)
        raise CriteriaError(f"{FIELDS[field].label} can use: {allowed}.")
    if not OPERATORS[op].value:
        return Criterion(field, op, "")
    if not value:
        raise CriteriaError(f"{FIELDS[field].label} {OPERATORS[op].label}: a value is needed.")
    if len(value) > MAX_VALUE_LENGTH * (MAX_LIST_VALUES if op == "in" else 1):
        raise CriteriaError(f"{FIELDS[field].label}: the value is too long.")
    if op in DATE_OPERATORS:
        parse_date(value)
    if op == "in" and len(list_values(value)) > MAX_LIST_VALUES:
        raise CriteriaError(f"A list can hold at most {MAX_LIST_VALUES} values.")
    return Criterion(field, op, value)


def split_criterion(text: str) -> tuple[str, str, str]:
    """The field, operator and value of a ``field:op:value`` text, not yet validated."""
    field, _, rest = text.partition(":")
    op, _, value = rest.partition(":")
    return field, op, value


def parse_criterion(text: str) -> Criterion:
    """A criterion from its query-string form ``field:op:value``."""
    return make_criterion(*split_criterion(text))


def check_criteria_count(count: int) -> None:
    """CriteriaError when a search has more rows than MAX_CRITERIA."""
    if count > MAX_CRITERIA:
        raise CriteriaError(f"A search can have at most {MAX_CRITERIA} criteria.")


def criteria_from_dicts(items: list[dict]) -> list[Criterion]:
    """Criteria from their stored or JSON form."""
    check_criteria_count(len(items))
    return [make_criterion(item.get("field"), item.get("op"), item.get("value")) for item in items]


def parse_date(value: str) -> date:
    """An ISO date (YYYY-MM-DD), or CriteriaError."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CriteriaError(f"{value!r} is not a date (use YYYY-MM-DD).") from None


def list_values(value: str) -> list[str]:
    """The non-empty, lower-cased items of a comma-separated list."""
    return [item.strip().lower() for item in value.split(",") if item.strip()]


def _like_pattern(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with its wildcards taken literally."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)


# Each positive test takes a column and the criterion's value. "ne" and "empty" are the
# negations of "eq" and "present", so "eq X" and "ne X" always split the contacts in two: a
# missing touch or value (NULL) counts as "not equal" and "empty", as a marketer expects. On the
# "any submission" fields the negation wraps the EXISTS: "ne X" means no submission matched X.
POSITIVE_TESTS: dict[str, Callable[[sa.ColumnElement, str], sa.ColumnElement[bool]]] = {
    "eq": lambda column, value: sa.func.lower(column) == value.lower(),
    "contains": lambda column, value: sa.func.lower(column).like(
        _like_pattern(value), escape="\\"),
    "in": lambda column, value: sa.func.lower(column).in_(list_values(value)),
    "present": lambda column, value: sa.func.length(column) > 0,
    "before": lambda column, value: column < _start_of_day(parse_date(value)),
    "after": lambda column, value: column >= _start_of_day(parse_date(value) + timedelta(days=1)),
}
NEGATED = {"ne": "eq", "empty": "present"}


@dataclass(frozen=True)
class _Aliases:
    """The touch tables a contact query joins, one alias per role."""

    company_source: type[Touch]
    first_touch: type[Touch]
    lead_creation: type[Touch]


def _contact_column(criterion: Criterion, aliases: _Aliases) -> sa.ColumnElement:
    """The column a contact-scoped field reads."""
    if criterion.field == "created":
        return Contact.created_at
    touch, part = criterion.field.split(".")
    return getattr(getattr(aliases, touch), part)


def _submission_exists(criterion: Criterion, op: str) -> sa.Exists:
    """EXISTS a submission of the contact whose conversion (or form) passes test ``op``."""
    if criterion.field == "form":
        column, joined = Form.name, (Form, Submission.form_id == Form.id)
    else:
        part = criterion.field.split(".")[1]
        column, joined = getattr(Touch, part), (Touch, Submission.conversion_id == Touch.id)
    return (
        sa.select(Submission.id)
        .join(*joined)
        .where(Submission.contact_id == Contact.id, POSITIVE_TESTS[op](column, criterion.value))
        .exists()
    )


def condition(criterion: Criterion, aliases: _Aliases) -> sa.ColumnElement[bool]:
    """The WHERE clause of one criterion."""
    negated = criterion.op in NEGATED
    op = NEGATED.get(criterion.op, criterion.op)
    if FIELDS[criterion.field].scope == "submission":
        exists = _submission_exists(criterion, op)
        return ~exists if negated else exists
    column = _contact_column(criterion, aliases)
    test = POSITIVE_TESTS[op](column, criterion.value)
    return sa.or_(column.is_(None), ~test) if negated else test


def contacts_matching(criteria: list[Criterion]) -> sa.Select:
    """All contacts matching every criterion, newest first."""
    aliases = _Aliases(so.aliased(Touch), so.aliased(Touch), so.aliased(Touch))
    statement = (
        sa.select(Contact)
        .outerjoin(Company, Contact.company_id == Company.id)
        .outerjoin(aliases.company_source, Company.source_id == aliases.company_source.id)
        .outerjoin(aliases.first_touch, Contact.first_touch_id == aliases.first_touch.id)
        .outerjoin(aliases.lead_creation, Contact.lead_creation_id == aliases.lead_creation.id)
    )
    for criterion in criteria:
        statement = statement.where(condition(criterion, aliases))
    return newest_first(statement)


def newest_first(statement: sa.Select) -> sa.Select:
    """Order contacts newest first, the id breaking ties so pages never overlap."""
    return statement.order_by(Contact.created_at.desc(), Contact.id.desc())


def with_lead_details(statement: sa.Select) -> sa.Select:
    """Load each contact's company and touches with it, so tables and boards make no N+1."""
    return statement.options(
        so.joinedload(Contact.company),
        so.joinedload(Contact.first_touch),
        so.joinedload(Contact.lead_creation),
    )


def selection_criteria(selection: Selection) -> list[Criterion]:
    """The selection's stored criteria, validated again (the whitelist may have changed)."""
    return criteria_from_dicts(selection.criteria or [])


def selection_contacts(selection: Selection) -> sa.Select:
    """A selection's contacts: its frozen members if static, its criteria re-run if dynamic."""
    if selection.kind == "static":
        members = sa.select(SelectionMember.contact_id).where(
            SelectionMember.selection_id == selection.id
        )
        return newest_first(sa.select(Contact).where(Contact.id.in_(members)))
    return contacts_matching(selection_criteria(selection))


def freeze_members(session: so.Session, selection: Selection) -> None:
    """Store the contacts that match a static selection's criteria now as its members."""
    matching = contacts_matching(selection_criteria(selection)).with_only_columns(Contact.id)
    selection.members = [
        SelectionMember(contact_id=contact_id) for contact_id in session.scalars(matching)
    ]


def lead_value(contact: Contact, column: str) -> str | None:
    """The value of a lead column (``first_touch.source``) for a contact."""
    touch, part = column.split(".")
    value = getattr(contact, touch)
    return getattr(value, part) if value is not None else None


def valid_lead_columns(columns: list[str] | None) -> list[str]:
    """The known lead columns among ``columns``, in display order (the default when none)."""
    if columns is None:
        return list(DEFAULT_LEAD_COLUMNS)
    return [column for column in LEAD_COLUMNS if column in columns]


SELECTION_KINDS = ("dynamic", "static")


def new_selection(session: so.Session, name: str, kind: str, criteria: list[Criterion],
                  owner=None) -> Selection:
    """Add a selection to the session; a static one gets its members frozen now."""
    if kind not in SELECTION_KINDS:
        raise CriteriaError(f"Unknown selection kind {kind!r}.")
    selection = Selection(name=name, kind=kind, owner=owner,
                          criteria=[criterion.to_dict() for criterion in criteria])
    session.add(selection)
    if kind == "static":
        freeze_members(session, selection)
    return selection


def may_change_selection(selection: Selection, user) -> bool:
    """True when ``user`` may rename or delete ``selection``: its owner, or an admin.

    Selections are the team's saved searches, so everyone sees and uses them all; only the one
    who saved a selection (or an admin) changes it, so nobody's list is renamed or lost under them.
    """
    return user.is_admin or (selection.owner_id is not None and selection.owner_id == user.id)


def count_query(statement: sa.Select) -> sa.Select:
    """The query that counts the rows of a contact query."""
    return sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())


def count_contacts(session: so.Session, statement: sa.Select) -> int:
    """How many contacts a contact query returns."""
    return session.scalar(count_query(statement))
