"""The one report builder: a month of an office computed from the stored course events and the
Oskar snapshots (docs/domain.md §5 and §6), as plain data — the JSON of docs/contracts.md, and the source
of every renderer, the dashboard and its charts. Counting is done by the database: each query
returns aggregated rows, never one row per person."""
import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alnaaktiv.dates import years_before
from alnaaktiv.models import Office
from cases.choices import Arbeidssokerstatus, Malgruppe
from cases.models import CourseEvent, Deltaker, Landbakgrunn, Lopsstatus, OskarRecord
from cases.models.participants import Rute, Utfall
from cases.models.persons import Kjonn
from cases.selectors import screen
from reporting.activity_duty import activity_duty
from reporting.models import Comparison, Measure, Target
from reporting.survey import survey

MALGRUPPER = [Malgruppe.UNGDOM_20_24, Malgruppe.ENEFORSORGER, Malgruppe.LANGTIDSMOTTAKER, Malgruppe.OVRIGE]
# (code, lowest age) from the oldest group down; the age on the month's last day picks the first.
AGE_GROUPS = [("60_og_over", 60), ("50_59", 50), ("40_49", 40), ("30_39", 30), ("25_29", 25), ("20_24", 20),
              ("19_og_under", 0)]
AGE_GROUP_ORDER = [code for code, _ in reversed(AGE_GROUPS)]
TABLE_ROWS = {
    "age_group": AGE_GROUP_ORDER,
    "gender": [Kjonn.KVINNE.value, Kjonn.MANN.value],
    "background": list(Landbakgrunn.values),
    "jobseeker_status": list(Arbeidssokerstatus.values),
}
TABLE_FIELDS = {"age_group": "age_group", "gender": "person__kjonn", "background": "person__landbakgrunn",
                "jobseeker_status": "arbeidssokerstatus"}


class ReportError(Exception):
    """A report that cannot be built or changed; the message is shown to the user."""


@dataclass(frozen=True)
class Period:
    office: Office
    start: datetime.date  # the pilot start: nothing before it counts
    end: datetime.date  # the month's last day

    @property
    def is_empty(self) -> bool:
        """A month before the pilot start: nothing in it counts."""
        return self.start > self.end


def report_period(office: Office, start: datetime.date | None, end: datetime.date) -> Period:
    """From the pilot start to the month's last day; before the pilot starts, an empty period."""
    if start is not None and start <= end:
        return Period(office, start, end)
    return Period(office, end + datetime.timedelta(days=1), end)


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def month_end(value: datetime.date) -> datetime.date:
    return value.replace(day=calendar.monthrange(value.year, value.month)[1])


def parse_month(text: str) -> datetime.date:
    """'2015-03' → 1 March 2015, with the Norwegian refusal of docs/contracts.md."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        raise ReportError(f"Ugyldig måned «{text}»: skriv den som ÅÅÅÅ-MM, for eksempel 2015-03.") from None


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def pilot_start(office: Office) -> datetime.date | None:
    """The office's setting, or the date of its first referral."""
    if office.pilot_start:
        return office.pilot_start
    return first_referral(office)


def first_referral(office: Office) -> datetime.date | None:
    # Ordered by the (state, date) index and stopped at the first row of the office: faster
    # than MIN over a join when the office has many events.
    return (
        CourseEvent.objects.filter(deltaker__office=office, state=Lopsstatus.HENVIST).order_by("date")
        .values_list("date", flat=True).first()
    )


# Each course measure: which events count, as (state, rute, utfall); None matches any. Routes
# count from their avklart date and outcomes from their avsluttet date, because both are stored
# on that event.
COURSE_MEASURES: dict[str, tuple[str, str | None, str | None]] = {
    Measure.HENVIST: (Lopsstatus.HENVIST, None, None),
    Measure.MOTT: (Lopsstatus.MOTT, None, None),
    Measure.KARTLEGGING_STARTET: (Lopsstatus.I_KARTLEGGING, None, None),
    Measure.AVKLART: (Lopsstatus.AVKLART, None, None),
    **{f"rute_{rute}": (Lopsstatus.AVKLART, rute, None) for rute in Rute.values},
    **{f"utfall_{utfall}": (Lopsstatus.AVSLUTTET, None, utfall) for utfall in Utfall.values},
}


def _measure_q(state: str, rute: str | None, utfall: str | None) -> Q:
    condition = Q(state=state)
    if rute is not None:
        condition &= Q(rute=rute)
    if utfall is not None:
        condition &= Q(utfall=utfall)
    return condition


def _matches(row: dict, state: str, rute: str | None, utfall: str | None) -> bool:
    return row["state"] == state and rute in (None, row["rute"]) and utfall in (None, row["utfall"])


def _events(period: Period):
    """The events that count: of participants referred between the pilot start and the month's
    end (so a numerator never holds someone its denominator lacks), up to the month's end."""
    events = CourseEvent.objects.filter(deltaker__office=period.office, date__gte=period.start, date__lte=period.end)
    if period.office.pilot_start:
        # Only an explicit pilot start can leave earlier referrals out; by default the pilot
        # starts at the first referral and every referral is inside the period.
        events = events.filter(Exists(CourseEvent.objects.filter(
            deltaker=OuterRef("deltaker"), state=Lopsstatus.HENVIST, date__gte=period.start,
        )))
    return events


def course_measures(period: Period) -> dict[str, int]:
    """Participants who reached each measure between the pilot start and the month's end, in one query."""
    return _events(period).aggregate(**{
        str(code): Count("deltaker", distinct=True, filter=_measure_q(*condition))
        for code, condition in COURSE_MEASURES.items()
    })


def course_measures_by_month(period: Period) -> dict[str, dict[str, int]]:
    """The same measures at every month end since the pilot start, cumulated from one grouped
    query. The course never enters a state twice (cases.services.TRANSITIONS), so participants
    counted per month add up to the participants counted over the whole period."""
    rows = list(
        _events(period).annotate(month=TruncMonth("date")).values("month", "state", "rute", "utfall")
        .annotate(n=Count("deltaker", distinct=True)).order_by()
    )
    totals = dict.fromkeys(COURSE_MEASURES, 0)
    result = {}
    for month, rows_of_month in _by_month(rows, months_between(period.start, period.end)).items():
        for row in rows_of_month:
            for code, condition in COURSE_MEASURES.items():
                if _matches(row, *condition):
                    totals[code] += row["n"]
        result[f"{month:%Y-%m}"] = dict(totals)
    return result


def _by_month(rows: list[dict], months: list[datetime.date]) -> dict[datetime.date, list[dict]]:
    """Grouped rows under the month they count from, in order; rows from before the first month
    count into the first (what happened before the months shown is carried in)."""
    buckets: dict[datetime.date, list[dict]] = {month: [] for month in months}
    for row in rows:
        buckets[max(_as_date(row["month"]), months[0])].append(row)
    return buckets


def _as_date(value) -> datetime.date:
    # TruncMonth of a DateField gives a date on PostgreSQL and SQLite alike; guard for datetimes.
    return value.date() if isinstance(value, datetime.datetime) else value


class Recipients:
    """The office's Oskar snapshots with their number of cases, counted in one query."""

    def __init__(self, office: Office):
        self.cases = OskarRecord.objects.filter(snapshot__office=office, rolle="hovedperson")
        counts = (
            self.cases.values("snapshot_id", "snapshot__as_of").annotate(n=Count("saksnummer", distinct=True))
            .order_by("snapshot__as_of")
        )
        self.snapshots = [(row["snapshot_id"], row["snapshot__as_of"], row["n"]) for row in counts]

    def _latest(self, day: datetime.date):
        older = [snapshot for snapshot in self.snapshots if snapshot[1] <= day]
        return older[-1] if older else None

    def at(self, start: datetime.date, end: datetime.date, with_flow: bool = False) -> dict | None:
        """Stock at the month's end and the baseline at the pilot start (the earliest snapshot
        when none is that old); inflow and outflow against the previous month's snapshot."""
        stock = self._latest(end)
        if stock is None:
            return None
        baseline = self._latest(start) or self.snapshots[0]
        previous = self._latest(month_start(end) - datetime.timedelta(days=1))
        # Without a snapshot before the month there is nothing to compare with: unknown, not 0.
        flow = 0 if previous else None
        result = {"baseline": baseline[2], "stock": stock[2], "inflow": flow, "outflow": flow}
        if with_flow and previous and previous[0] != stock[0]:
            now = self.cases.filter(snapshot_id=stock[0])
            before = self.cases.filter(snapshot_id=previous[0])
            result["inflow"] = now.exclude(saksnummer__in=before.values("saksnummer")).count()
            result["outflow"] = before.exclude(saksnummer__in=now.values("saksnummer")).count()
        return result


def active_participants(office: Office, end: datetime.date):
    """Participants active at the month's end: referred on or before it, not ended on or before it."""
    events = CourseEvent.objects.filter(deltaker=OuterRef("pk"), date__lte=end)
    return Deltaker.objects.filter(office=office).filter(
        Exists(events.filter(state=Lopsstatus.HENVIST)), ~Exists(events.filter(state=Lopsstatus.AVSLUTTET))
    )


def _malgruppe(row: dict) -> str:
    # A participant without a target group yet (none derived) is counted as øvrige.
    return row["malgruppe"] or Malgruppe.OVRIGE


def participants_by_month(office: Office, start: datetime.date, end: datetime.date) -> list[dict]:
    """Active participants at each month end by target group, from one grouped query: referrals
    so far minus endings so far of referred participants (an ending never precedes the referral)."""
    referred = Exists(CourseEvent.objects.filter(deltaker=OuterRef("deltaker"), state=Lopsstatus.HENVIST))
    rows = list(
        CourseEvent.objects.filter(deltaker__office=office, date__lte=end)
        .filter(Q(state=Lopsstatus.HENVIST) | Q(referred, state=Lopsstatus.AVSLUTTET))
        .annotate(month=TruncMonth("date")).values("month", "state", malgruppe=F("deltaker__malgruppe"))
        .annotate(n=Count("deltaker", distinct=True)).order_by()
    )
    counts = dict.fromkeys(MALGRUPPER, 0)
    result = []
    for month, rows_of_month in _by_month(rows, months_between(start, end)).items():
        for row in rows_of_month:
            counts[_malgruppe(row)] += row["n"] if row["state"] == Lopsstatus.HENVIST else -row["n"]
        result.append({"month": f"{month:%Y-%m}", **counts, "total": sum(counts.values())})
    return result


def _empty_table(rows: list[str]) -> dict:
    return {row: {**dict.fromkeys(MALGRUPPER, 0), "total": 0} for row in [*rows, "total"]}


def tables(office: Office, end: datetime.date) -> dict:
    """The four tables of docs/domain.md §6 for the participants active at month end, in one query."""
    age_group = Case(
        *[When(person__fodselsdato__lte=years_before(end, age), then=Value(code)) for code, age in AGE_GROUPS[:-1]],
        default=Value(AGE_GROUPS[-1][0]),
    )
    grouped = (
        active_participants(office, end).annotate(age_group=age_group)
        .values("malgruppe", *TABLE_FIELDS.values()).annotate(n=Count("id")).order_by()
    )
    result = {name: _empty_table(rows) for name, rows in TABLE_ROWS.items()}
    for row in grouped:
        group = _malgruppe(row)
        for name, field in TABLE_FIELDS.items():
            table = result[name]
            for key in (row[field], "total"):
                table[key][group] += row["n"]
                table[key]["total"] += row["n"]
    return result


def fraction(numerator: int, denominator: int) -> float | None:
    return None if not denominator else round(numerator / denominator, 4)


def evaluate(target: Target, measures: dict[str, int | None]) -> dict | None:
    """A target's line, or None when its denominator cannot be counted (no Oskar snapshot)."""
    numerator, denominator = measures.get(target.numerator), measures.get(target.denominator)
    if numerator is None or denominator is None:
        return None
    met = None
    if denominator:
        # Compared exactly (numerator against target × denominator), not on the rounded value.
        goal = target.target * Decimal(denominator)
        met = numerator >= goal if target.comparison == Comparison.AT_LEAST else numerator <= goal
    return {
        "code": target.code, "numerator": numerator, "denominator": denominator,
        "value": fraction(numerator, denominator), "target": float(target.target),
        "comparison": target.comparison, "met": met,
    }


def with_recipients(course: dict[str, int], recipient_counts: dict | None) -> dict[str, int | None]:
    measures: dict[str, int | None] = dict(course)
    measures[Measure.MOTTAKERE_BASELINE] = recipient_counts["baseline"] if recipient_counts else None
    measures[Measure.MOTTAKERE_NEDGANG] = (
        recipient_counts["baseline"] - recipient_counts["stock"] if recipient_counts else None
    )
    return measures


def target_lines(targets: list[Target], measures: dict) -> list[dict]:
    return [line for target in targets if (line := evaluate(target, measures)) is not None]


def build_report_data(office: Office, month: datetime.date) -> dict:
    """The month's report for the office (docs/contracts.md "Reports"), plus the funnel at month end,
    each target's value at every month end since the pilot start (the dashboard's trend) and the
    targets' names, so that every renderer works from this dict alone."""
    month = month_start(month)
    end = month_end(month)
    start = pilot_start(office)
    period = report_period(office, start, end)
    targets = list(Target.objects.all())
    recipients = Recipients(office)
    # Recipients are counted from the pilot start, or from the month's end before it starts.
    baseline_day = start or end

    data: dict = {"office": office.enhetsnummer, "month": f"{month:%Y-%m}",
                  "generated_at": timezone.now().isoformat(timespec="seconds")}
    recipient_counts = recipients.at(baseline_day, end, with_flow=True)
    data["targets"] = target_lines(targets, with_recipients(course_measures(period), recipient_counts))
    if recipient_counts is not None:
        data["recipients"] = recipient_counts
    data["participants_by_month"] = _participants_per_month(period, month)
    data["tables"] = tables(office, end)
    data["activity_duty"] = activity_duty(office, month, end)
    data["survey"] = survey(office, month, end)
    data["target_names"] = {target.code: target.name for target in targets}
    data["targets_by_month"] = _targets_by_month(period, targets, recipients, baseline_day)
    data["funnel"] = _funnel(office, end)
    return data


def _participants_per_month(period: Period, month: datetime.date) -> list[dict]:
    """Active participants at each month end since the pilot start; before it, one empty month."""
    if period.is_empty:
        return [{"month": f"{month:%Y-%m}", **dict.fromkeys(MALGRUPPER, 0), "total": 0}]
    return participants_by_month(period.office, month_start(period.start), period.end)


def _targets_by_month(period: Period, targets: list[Target], recipients: Recipients,
                      baseline_day: datetime.date) -> list[dict]:
    """Each target's value at every month end of the period (the dashboard's trend)."""
    if period.is_empty:
        return []
    return [
        {"month": code, "values": {
            line["code"]: line["value"]
            for line in target_lines(targets, with_recipients(
                course, recipients.at(baseline_day, month_end(parse_month(code)))
            ))
        }}
        for code, course in course_measures_by_month(period).items()
    ]


def _funnel(office: Office, end: datetime.date) -> dict:
    """The screening funnel at the month's end, without the office (the report names it)."""
    funnel = screen(office=office, as_of=end).as_dict()
    return {key: value for key, value in funnel.items() if key != "office"}
