"""Reports: submissions, new leads and deals per source, medium, campaign, channel or form.

Plain functions, no Flask: the reports page, its CSV and the JSON API all build their numbers
here, in two GROUP BY queries however many rows the report has. The definitions, for the
submissions created in the date range (whole days, UTC, both ends included):

- submissions: the submissions in the range; share: a row's submissions / all in the range.
- new leads: the submissions in the range that created their contact (one per new contact).
- deals, won deals: the deals, whenever created, of the contacts that were new leads in the
  range, credited to the row of the submission that created the contact (a cohort view: a
  lead from March whose deal closes in May counts in a March report).
- conversion rate: new leads with at least one deal (any stage) / new leads.
- deal value: the sum of the won deals' values, per currency; amounts in different currencies
  are never added together, since there is no exchange rate to do it honestly.

Attribution picks the touch a submission is credited to: ``conversion`` (the submission's own
touch), ``first_touch`` or ``lead_creation`` (those of the submission's contact). The form
dimension groups by the form's name and does not depend on the attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from server.models import Contact, Deal, Form, Submission, Touch

DIMENSIONS = {"source": "Source", "medium": "Medium", "campaign": "Campaign",
              "channel": "Channel", "form": "Form"}
ATTRIBUTIONS = {"conversion": "Conversion", "first_touch": "First touch",
                "lead_creation": "Lead creation"}
# Preset periods in days; None is "all time".
PERIODS = {"7": 7, "30": 30, "90": 90, "all": None}
DEFAULT_PERIOD = "30"
NOT_SET = "(not set)"
CENTS = Decimal("0.01")


class ReportError(ValueError):
    """A report request with an unknown dimension or attribution, or a bad date range."""


@dataclass(frozen=True)
class ReportRow:
    """The numbers of one value of the dimension (or, with value None, of the whole report)."""

    value: str | None
    submissions: int
    new_leads: int
    deals: int
    won_deals: int
    leads_with_deals: int
    deal_value: dict[str, Decimal]
    share: float | None

    @property
    def label(self) -> str:
        """The value as shown to people: ``(not set)`` when the touch had none."""
        return self.value if self.value is not None else NOT_SET

    @property
    def conversion_rate(self) -> float | None:
        """New leads with a deal / new leads; None when there were no new leads."""
        return self.leads_with_deals / self.new_leads if self.new_leads else None


@dataclass(frozen=True)
class Report:
    """A report's request, its rows (most submissions first) and its totals."""

    dimension: str
    attribution: str
    start: date | None
    end: date
    rows: list[ReportRow]
    totals: ReportRow
    currencies: list[str] = field(default_factory=list)


def resolve_period(*, start: date | None, end: date | None, period: str | None,
                   today: date) -> tuple[date | None, date]:
    """The inclusive range asked for: an explicit start wins, else a preset ending at ``end``.

    Without a start, the preset (30 days by default) counts back from the end date, or from
    today: an "All time" report up to a given day keeps starting at the beginning.
    """
    end = end or today
    if start is None:
        period = period or DEFAULT_PERIOD
        if period not in PERIODS:
            raise ReportError(f"Unknown period {period!r}: use one of {', '.join(PERIODS)}.")
        days = PERIODS[period]
        return (None if days is None else end - timedelta(days=days - 1)), end
    if start > end:
        raise ReportError("The start date is after the end date.")
    return start, end


def check_choice(dimension: str, attribution: str) -> None:
    """Raise ReportError for an unknown dimension or attribution model."""
    if dimension not in DIMENSIONS:
        raise ReportError(f"Unknown dimension {dimension!r}: use one of {', '.join(DIMENSIONS)}.")
    if attribution not in ATTRIBUTIONS:
        raise ReportError(
            f"Unknown attribution {attribution!r}: use one of {', '.join(ATTRIBUTIONS)}.")


def _attributed_touch_id(attribution: str) -> sa.ColumnElement:
    """The column holding the id of the touch a submission is credited to."""
    if attribution == "conversion":
        return Submission.conversion_id
    return getattr(Contact, f"{attribution}_id")


def _dimension_value(dimension: str) -> sa.ColumnElement:
    """The value a report row stands for: a part of the credited touch, or the form's name."""
    if dimension == "form":
        return Form.name
    # An empty string and NULL are both "not set": one row, not two.
    # A literal, not a bound parameter: PostgreSQL must see the same expression in GROUP BY.
    return sa.func.nullif(getattr(Touch, dimension), sa.literal_column("''"))


def _join_dimension(statement: sa.Select, dimension: str, attribution: str) -> sa.Select:
    """Join to a submission query the form, or the touch the submission is credited to."""
    if dimension == "form":
        return statement.join(Form, Form.id == Submission.form_id)
    if attribution != "conversion":
        statement = statement.join(Contact, Contact.id == Submission.contact_id)
    return statement.outerjoin(Touch, Touch.id == _attributed_touch_id(attribution))


def _in_range(start: date | None, end: date) -> sa.ColumnElement[bool]:
    """Submissions created from the start of ``start`` to the end of ``end``, in UTC."""
    until = Submission.created_at < datetime.combine(end + timedelta(days=1), time(), UTC)
    if start is None:
        return until
    return sa.and_(Submission.created_at >= datetime.combine(start, time(), UTC), until)


def _deals_per_contact() -> sa.Subquery:
    """Deals and won deals per contact, so joining them does not repeat a submission per deal."""
    return (
        sa.select(Deal.contact_id,
                  sa.func.count(Deal.id).label("deals"),
                  sa.func.count(sa.case((Deal.stage == "won", 1))).label("won_deals"))
        .group_by(Deal.contact_id)
        .subquery()
    )


def _counts_query(dimension: str, attribution: str, start: date | None, end: date) -> sa.Select:
    """One row per value: submissions, new leads, their deals and the new leads with a deal."""
    created_contact = Submission.created_contact.is_(True)
    deals = _deals_per_contact()
    value = _dimension_value(dimension).label("value")
    # Deals count for the submission that created the contact only, never once per submission.
    new_lead_deals = sa.case((created_contact, deals.c.deals), else_=0)
    new_lead_won = sa.case((created_contact, deals.c.won_deals), else_=0)
    statement = sa.select(
        value,
        sa.func.count(Submission.id).label("submissions"),
        sa.func.count(sa.case((created_contact, 1))).label("new_leads"),
        sa.func.coalesce(sa.func.sum(new_lead_deals), 0).label("deals"),
        sa.func.coalesce(sa.func.sum(new_lead_won), 0).label("won_deals"),
        sa.func.count(sa.case((sa.and_(created_contact, deals.c.deals > 0), 1)))
        .label("leads_with_deals"),
    ).select_from(Submission)
    return (
        _join_dimension(statement, dimension, attribution)
        .outerjoin(deals, deals.c.contact_id == Submission.contact_id)
        .where(_in_range(start, end))
        .group_by(value)
    )


def _deal_values(session: so.Session, dimension: str, attribution: str, start: date | None,
                 end: date) -> dict[str | None, dict[str, Decimal]]:
    """The won deals' values of the new leads, per value of the dimension and per currency."""
    value = _dimension_value(dimension).label("value")
    statement = _join_dimension(
        sa.select(value, Deal.currency, sa.func.sum(Deal.value).label("amount"))
        .select_from(Submission),
        dimension, attribution,
    )
    statement = (
        statement.join(Deal, Deal.contact_id == Submission.contact_id)
        .where(_in_range(start, end), Submission.created_contact.is_(True), Deal.stage == "won")
        .group_by(value, Deal.currency)
    )
    amounts: dict[str | None, dict[str, Decimal]] = {}
    for row in session.execute(statement):
        # SQLite sums NUMERIC as floats: back to cents, as PostgreSQL's exact sum has them.
        amounts.setdefault(row.value, {})[row.currency] = Decimal(row.amount).quantize(CENTS)
    return amounts


def build_report(session: so.Session, *, dimension: str, attribution: str,
                 start: date | None, end: date) -> Report:
    """The report of the submissions created from ``start`` (None: ever) to ``end``."""
    check_choice(dimension, attribution)
    if start is not None and start > end:
        raise ReportError("The start date is after the end date.")
    amounts = _deal_values(session, dimension, attribution, start, end)
    grouped = session.execute(_counts_query(dimension, attribution, start, end)).all()
    total_submissions = sum(row.submissions for row in grouped)
    rows = [
        ReportRow(
            value=row.value,
            submissions=row.submissions,
            new_leads=row.new_leads,
            # PostgreSQL's SUM of integers is a numeric (Decimal): counts are ints here.
            deals=int(row.deals),
            won_deals=int(row.won_deals),
            leads_with_deals=row.leads_with_deals,
            deal_value=dict(sorted(amounts.get(row.value, {}).items())),
            share=row.submissions / total_submissions,
        )
        for row in grouped
    ]
    # Sorted here rather than in SQL: databases disagree on where NULL sorts.
    rows.sort(key=lambda row: (-row.submissions, row.value is None, row.value or ""))
    currencies = sorted({currency for row in rows for currency in row.deal_value})
    return Report(dimension=dimension, attribution=attribution, start=start, end=end, rows=rows,
                  totals=_totals(rows), currencies=currencies)


def _totals(rows: list[ReportRow]) -> ReportRow:
    """The sums of the rows; each submission (and new lead) belongs to exactly one row."""
    deal_value: dict[str, Decimal] = {}
    for row in rows:
        for currency, amount in row.deal_value.items():
            deal_value[currency] = deal_value.get(currency, Decimal("0")) + amount
    submissions = sum(row.submissions for row in rows)
    return ReportRow(
        value=None,
        submissions=submissions,
        new_leads=sum(row.new_leads for row in rows),
        deals=sum(row.deals for row in rows),
        won_deals=sum(row.won_deals for row in rows),
        leads_with_deals=sum(row.leads_with_deals for row in rows),
        deal_value=dict(sorted(deal_value.items())),
        share=1.0 if submissions else None,
    )
