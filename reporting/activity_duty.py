"""The activity duty in a month (issue 15): activity vilkår set, resting on an offer, fulfilled
and broken; possible breaches opened and how they ended; warnings, reductions and stops; course
places and attendance. Counted by the database for one office and one calendar month, as plain
data for the report JSON (key `activity_duty`) and every renderer."""
import datetime

from django.db.models import Count, Q, Sum

from alnaaktiv.models import Office
from arbeidsboks.kurs_selectors import month_course_counts
from arbeidsboks.models import Gruppekurs, Oppmote
from conditions.models import GRANTED, Vilkar, VilkarKind, VilkarStatus
from conditions.models.sanctions import BruddStatus, Forhandsvarsel, Konsekvens, MuligBrudd, Sanksjon, SanksjonStatus

# (group, key, Norwegian label) in the order every renderer shows them.
LABELS: dict[str, tuple[str, dict[str, str]]] = {
    "vilkar": ("Aktivitetsvilkår", {
        "set": "Satt i vedtak fattet i måneden",
        "with_offer": "Av disse: med tilbud",
        "fulfilled": "Vurdert som oppfylt i måneden",
        "broken": "Vurdert som ikke oppfylt i måneden",
    }),
    "breaches": ("Mulige brudd og reaksjoner", {
        "opened": "Mulige brudd funnet i måneden",
        "closed": "Lukket uten reaksjon",
        "warnings_sent": "Forhåndsvarsler sendt",
        "reductions": "Reduksjoner vedtatt",
        "reductions_kr": "Reduksjoner vedtatt (kr)",
        "stops": "Stans vedtatt",
        "stops_kr": "Stans vedtatt (vedtakenes beløp, kr)",
        "stops_lifted": "Stans opphevet fordi deltakeren møter igjen",
    }),
    "courses": ("Kurs og gruppesamlinger", {
        "running": "Kurs i gang i måneden",
        "capacity": "Plasser i disse kursene",
        "places_held": "Plasser i bruk i måneden",
        "places_given": "Plasser tildelt i måneden",
        "waiting": "På venteliste ved månedsslutt",
        "sessions": "Samlinger med registrert oppmøte",
        "attended": "Møtt (deltakere × samlinger)",
        "approved_absence": "Ikke møtt – gyldig fravær",
        "no_show": "Ikke møtt",
    }),
}


def _vilkar(office: Office, start: datetime.date, end: datetime.date) -> dict[str, int]:
    activity = Vilkar.objects.filter(vedtak__office=office, kind=VilkarKind.AKTIVITET)
    decided = Q(vedtak__resultat__in=list(GRANTED), vedtak__vedtaksdato__gte=start, vedtak__vedtaksdato__lte=end)
    assessed = Q(vurdert_at__date__gte=start, vurdert_at__date__lte=end)
    return activity.aggregate(
        set=Count("id", filter=decided),
        with_offer=Count("id", filter=decided & ~Q(tilbud="")),
        fulfilled=Count("id", filter=assessed & Q(status=VilkarStatus.OPPFYLT)),
        broken=Count("id", filter=assessed & Q(status=VilkarStatus.IKKE_OPPFYLT)),
    )


def _in_month(field: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**{f"{field}__date__gte": start, f"{field}__date__lte": end})


def _breaches(office: Office, start: datetime.date, end: datetime.date) -> dict:
    """Breaches found and closed, warnings sent and reactions decided (approved) in the month; a
    reaction counts with its kroner, a stop with the stopped vedtak's amount."""
    breaches = MuligBrudd.objects.filter(office=office).aggregate(
        opened=Count("id", filter=_in_month("oppdaget_at", start, end)),
        closed=Count("id", filter=_in_month("lukket_at", start, end) & Q(status=BruddStatus.LUKKET)),
    )
    warnings = Forhandsvarsel.objects.filter(brudd__office=office).filter(_in_month("sendt_at", start, end)).count()
    decided = Q(status__in=[SanksjonStatus.GODKJENT, SanksjonStatus.AVSLUTTET]) & _in_month("decided_at", start, end)
    reduction, stop = Q(konsekvens=Konsekvens.REDUKSJON), Q(konsekvens=Konsekvens.STANS)
    sanctions = Sanksjon.objects.filter(vedtak__office=office).aggregate(
        reductions=Count("id", filter=decided & reduction),
        reductions_kr=Sum("belop", filter=decided & reduction),
        stops=Count("id", filter=decided & stop),
        stops_kr=Sum("vedtak__belop", filter=decided & stop),
        stops_lifted=Count("id", filter=stop & Q(status=SanksjonStatus.AVSLUTTET)
                           & Q(avsluttet_dato__gte=start, avsluttet_dato__lte=end)),
    )
    return {
        **breaches, "warnings_sent": warnings, **sanctions,
        "reductions_kr": float(sanctions["reductions_kr"] or 0), "stops_kr": float(sanctions["stops_kr"] or 0),
    }


def _courses(office: Office, start: datetime.date, end: datetime.date) -> dict:
    """Courses running some day of the month with their capacity, and the month's places,
    waiting list, sessions and attendance (arbeidsboks' own count)."""
    running = Gruppekurs.objects.filter(office=office, startdato__lte=end, sluttdato__gte=start).aggregate(
        running=Count("id"), capacity=Sum("kapasitet"))
    counts = month_course_counts(office.pk, start, end)
    return {
        "running": running["running"], "capacity": running["capacity"] or 0, "places_held": counts["plasser"],
        "places_given": counts["pameldt"], "waiting": counts["venteliste"], "sessions": counts["samlinger"],
        "attended": counts[f"oppmote_{Oppmote.MOTT}"], "approved_absence": counts[f"oppmote_{Oppmote.GYLDIG_FRAVAER}"],
        "no_show": counts[f"oppmote_{Oppmote.IKKE_MOTT}"],
    }


def activity_duty(office: Office, start: datetime.date, end: datetime.date) -> dict:
    """Every group with every key, 0 when nothing happened."""
    return {"vilkar": _vilkar(office, start, end), "breaches": _breaches(office, start, end),
            "courses": _courses(office, start, end)}
