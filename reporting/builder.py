"""The one report builder: a month of an office computed from the stored course events and the
Oskar snapshots (domain.md §5 and §6), as plain data — the JSON of contracts.md, and the source
of every renderer, the dashboard and its charts. Counting is done by the database: each query
returns aggregated rows, never one row per person."""
import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Value, When
from django.utils import timezone

from alnaaktiv.models import Office
from cases.choices import Arbeidssokerstatus, Malgruppe
from cases.models import CourseEvent, Deltaker, Landbakgrunn, Lopsstatus, OskarRecord, RegisterSnapshot
from cases.models.participants import Rute, Utfall
from cases.models.persons import Kjonn
from cases.screening import screen
from reporting.models import Comparison, Measure, Target

TARGET_GROUPS = [Malgruppe.UNGDOM_20_24, Malgruppe.ENEFORSORGER, Malgruppe.LANGTIDSMOTTAKER, Malgruppe.OVRIGE]
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


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def month_end(value: datetime.date) -> datetime.date:
    return value.replace(day=calendar.monthrange(value.year, value.month)[1])


def parse_month(text: str) -> datetime.date:
    """'2015-03' → 1 March 2015, with the Norwegian refusal of contracts.md."""
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


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The latest birth date of someone who is `years` old on `day` (29 February → 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def pilot_start(office: Office) -> datetime.date | None:
    """The office's setting, or the date of its first referral."""
    if office.pilot_start:
        return office.pilot_start
    return CourseEvent.objects.filter(deltaker__office=office, state=Lopsstatus.HENVIST).aggregate(
        first=Min("date")
    )["first"]


# Each course measure: which events count. Routes count from their avklart date and outcomes
# from their avsluttet date, because both are stored on that event.
COURSE_MEASURES = {
    Measure.HENVIST: Q(state=Lopsstatus.HENVIST),
    Measure.MOTT: Q(state=Lopsstatus.MOTT),
    Measure.KARTLEGGING_STARTET: Q(state=Lopsstatus.I_KARTLEGGING),
    Measure.AVKLART: Q(state=Lopsstatus.AVKLART),
    **{f"rute_{rute}": Q(state=Lopsstatus.AVKLART, rute=rute) for rute in Rute.values},
    **{f"utfall_{utfall}": Q(state=Lopsstatus.AVSLUTTET, utfall=utfall) for utfall in Utfall.values},
}


def course_measures(period: Period) -> dict[str, int]:
    """Participants who reached each measure between the pilot start and the month's end, in one query."""
    events = CourseEvent.objects.filter(deltaker__office=period.office, date__gte=period.start, date__lte=period.end)
    return events.aggregate(
        **{str(code): Count("deltaker", distinct=True, filter=condition) for code, condition in COURSE_MEASURES.items()}
    )


def recipients(office: Office, start: datetime.date, end: datetime.date) -> dict | None:
    """Stock, baseline, inflow and outflow of social-assistance cases from the Oskar snapshots."""
    snapshots = list(
        RegisterSnapshot.objects.filter(office=office, kind=RegisterSnapshot.Kind.OSKAR).order_by("as_of")
        .values_list("id", "as_of")
    )
    current = [snapshot for snapshot in snapshots if snapshot[1] <= end]
    if not current:
        return None
    baseline = [snapshot for snapshot in snapshots if snapshot[1] <= start] or snapshots[:1]
    previous_end = month_start(end) - datetime.timedelta(days=1)
    previous = [snapshot for snapshot in snapshots if snapshot[1] <= previous_end]
    ids = {"stock": current[-1][0], "baseline": baseline[-1][0], "previous": previous[-1][0] if previous else None}
    cases = OskarRecord.objects.filter(rolle="hovedperson")
    counts = cases.filter(snapshot_id__in={i for i in ids.values() if i}).values("snapshot_id").annotate(
        n=Count("saksnummer", distinct=True)
    )
    by_snapshot = {row["snapshot_id"]: row["n"] for row in counts}
    result = {"baseline": by_snapshot.get(ids["baseline"], 0), "stock": by_snapshot.get(ids["stock"], 0),
              "inflow": 0, "outflow": 0}
    if ids["previous"] and ids["previous"] != ids["stock"]:
        now = cases.filter(snapshot_id=ids["stock"]).values("saksnummer")
        before = cases.filter(snapshot_id=ids["previous"]).values("saksnummer")
        result["inflow"] = cases.filter(snapshot_id=ids["stock"]).exclude(saksnummer__in=before).count()
        result["outflow"] = cases.filter(snapshot_id=ids["previous"]).exclude(saksnummer__in=now).count()
    return result


def active_participants(office: Office, end: datetime.date):
    """Participants active at the month's end: referred on or before it, not ended on or before it."""
    events = CourseEvent.objects.filter(deltaker=OuterRef("pk"), date__lte=end)
    return Deltaker.objects.filter(office=office).filter(
        Exists(events.filter(state=Lopsstatus.HENVIST)), ~Exists(events.filter(state=Lopsstatus.AVSLUTTET))
    )


def _target_group(row: dict) -> str:
    # A participant without a target group yet (none derived) is counted as øvrige.
    return row["malgruppe"] or Malgruppe.OVRIGE


def participants_by_month(office: Office, start: datetime.date, end: datetime.date) -> list[dict]:
    rows = []
    for month in months_between(start, end):
        counts = dict.fromkeys(TARGET_GROUPS, 0)
        for row in active_participants(office, min(month_end(month), end)).values("malgruppe").annotate(n=Count("id")):
            counts[_target_group(row)] += row["n"]
        rows.append({"month": f"{month:%Y-%m}", **counts, "total": sum(counts.values())})
    return rows


def _empty_table(rows: list[str]) -> dict:
    return {row: {**dict.fromkeys(TARGET_GROUPS, 0), "total": 0} for row in [*rows, "total"]}


def tables(office: Office, end: datetime.date) -> dict:
    """The four tables of domain.md §6 for the participants active at month end, in one query."""
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
        group = _target_group(row)
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


def all_measures(period: Period, recipient_counts: dict | None) -> dict[str, int | None]:
    measures: dict[str, int | None] = dict(course_measures(period))
    measures[Measure.MOTTAKERE_BASELINE] = recipient_counts["baseline"] if recipient_counts else None
    measures[Measure.MOTTAKERE_NEDGANG] = (
        recipient_counts["baseline"] - recipient_counts["stock"] if recipient_counts else None
    )
    return measures


def target_lines(targets: list[Target], measures: dict) -> list[dict]:
    return [line for target in targets if (line := evaluate(target, measures)) is not None]


def build_report_data(office: Office, month: datetime.date) -> dict:
    """The month's report for the office (contracts.md "Reports"), plus the funnel at month end,
    each target's value at every month end since the pilot start (the dashboard's trend) and the
    targets' names, so that every renderer works from this dict alone."""
    month = month_start(month)
    end = month_end(month)
    start = pilot_start(office)
    counting = start is not None and start <= end
    targets = list(Target.objects.all())

    def period(until: datetime.date) -> Period:
        # Before the pilot starts nothing counts: an empty period.
        return Period(office, start, until) if counting else Period(office, until + datetime.timedelta(days=1), until)

    data: dict = {"office": office.enhetsnummer, "month": f"{month:%Y-%m}",
                  "generated_at": timezone.now().isoformat(timespec="seconds")}
    recipient_counts = recipients(office, start or end, end)
    data["targets"] = target_lines(targets, all_measures(period(end), recipient_counts))
    if recipient_counts is not None:
        data["recipients"] = recipient_counts
    first_month = month_start(start) if counting else month
    data["participants_by_month"] = participants_by_month(office, first_month, end) if counting else [
        {"month": f"{month:%Y-%m}", **dict.fromkeys(TARGET_GROUPS, 0), "total": 0}
    ]
    data["tables"] = tables(office, end)
    data["target_names"] = {target.code: target.name for target in targets}
    data["targets_by_month"] = []
    for each_month in months_between(first_month, end):
        until = min(month_end(each_month), end)
        lines = target_lines(targets, all_measures(period(until), recipients(office, start or until, until)))
        data["targets_by_month"].append(
            {"month": f"{each_month:%Y-%m}", "values": {line["code"]: line["value"] for line in lines}}
        )
    funnel = screen(office=office, as_of=end).as_dict()
    data["funnel"] = {key: value for key, value in funnel.items() if key != "office"}
    return data
