"""Building blocks for the breach and sanction tests: a meeting vilkår on a vedtak (made through
the services), a no-show on it as attendance lands it, the morning's detection, and the steps of
the workflow up to a decision. Dates are those of tests.conditions_data: the vedtak runs
20.02.2026–22.03.2026, the no-show is on 02.03.2026, the detection runs on 03.03.2026."""
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from alnaaktiv.actor import Actor
from conditions import services
from conditions.models import Kilde, MuligBrudd, Tilbud, Vilkar
from conditions.services.breaches import detect_possible_breaches
from tests import conditions_data as data
from tests.conditions_data import TODAY

OSLO = ZoneInfo("Europe/Oslo")
DETECTED = TODAY + datetime.timedelta(days=1)  # 03.03.2026, the morning after the no-show
DEADLINE = DETECTED + datetime.timedelta(days=7)  # 10.03.2026
AFTER_DEADLINE = DEADLINE + datetime.timedelta(days=1)  # 11.03.2026


def at(day: datetime.date, hour: int = 9):
    """Time travel to `day` at `hour` Oslo time (the clock stands still)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=OSLO), tick=False)


def meeting_vilkar(office, user, *, varslet: bool = True, belop: str = "8000", **sak_fields) -> Vilkar:
    """An open activity vilkår resting on the Alna Aktiv meetings, for a participant."""
    made = data.vedtak(data.sak(office, **sak_fields), user, vilkar=("aktivitet",), varslet=varslet, belop=belop)
    vilkar = made.vilkar.get()
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.ALNA_AKTIV, enhet="oppmote_prosent", mengde=80)
    vilkar.refresh_from_db()
    return vilkar


def no_show(vilkar, user, *, on_date: datetime.date = TODAY, ref: str = "avtale:1", attended: int = 0,
            approved: int = 0):
    """A meeting registered as «ikke møtt» (or møtt), as the meeting page lands it on the vilkår."""
    return services.attendance_document_offer(
        person_id=vilkar.person_id, tilbud=Tilbud.ALNA_AKTIV, actor=Actor.for_user(user), kilde=Kilde.MOTE,
        kilde_ref=ref, on_date=on_date, planlagte_dager=1, oppmotte_dager=attended, fravaer_godkjent=approved,
        hendelse=f"Oppfølgingsmøte {on_date:%d.%m.%Y} kl. 10.00: {'møtt' if attended else 'ikke møtt'}")


def detected_breach(office, user, **vilkar_fields) -> MuligBrudd:
    """A no-show found by the morning's detection."""
    vilkar = meeting_vilkar(office, user, **vilkar_fields)
    no_show(vilkar, user)
    with at(DETECTED, 6):
        [brudd] = detect_possible_breaches()
    return brudd


def warned(brudd, user, *, konsekvens: str = "reduksjon", belop: str | None = "1000"):
    with at(DETECTED):
        reduction = konsekvens == "reduksjon"
        return services.warning_send(
            brudd=brudd, actor=Actor.for_user(user), konsekvens=konsekvens, svarfrist=DEADLINE,
            belop=Decimal(belop) if reduction else None, periode_fra=AFTER_DEADLINE if reduction else None,
            periode_til=AFTER_DEADLINE + datetime.timedelta(days=10) if reduction else None)


def prepared(brudd, user, *, konsekvens: str = "reduksjon", belop: str = "1000", alone: bool = False):
    with at(AFTER_DEADLINE):
        reduction = konsekvens == "reduksjon"
        return services.sanction_prepare(
            brudd=brudd, actor=Actor.for_user(user), konsekvens=konsekvens, begrunnelse="Ikke møtt uten grunn",
            periode_fra=AFTER_DEADLINE, belop=Decimal(belop) if reduction else None,
            periode_til=AFTER_DEADLINE + datetime.timedelta(days=10) if reduction else None, alone=alone)


def page_objects(office, users) -> dict:
    """URL kwargs for the access matrix: a possible breach to be assessed, one warned, and one with
    a reduction prepared by the `vedtak` user, waiting for a leader."""
    fresh = detected_breach(office, users["vedtak"])
    warned_breach, decided = detected_breach(office, users["vedtak"]), detected_breach(office, users["vedtak"])
    warned(warned_breach, users["vedtak"])
    warned(decided, users["vedtak"])
    sanksjon = prepared(decided, users["vedtak"])
    return {"brudd": {"pk": fresh.pk}, "brudd_varslet": {"pk": warned_breach.pk}, "sanksjon": {"pk": sanksjon.pk}}
