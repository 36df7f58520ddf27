"""Attendance registered anywhere (a meeting, a «Klart jeg kan» week, a course session, an
Arbeidsboks week) lands on the activity vilkår that rest on that offer, as an approved
attendance list with its days and absence (docs/domain.md §8). Registering the same event again
corrects its document instead of adding one."""
import datetime
import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from alnaaktiv.actor import Actor
from cases.models import Deltaker
from conditions.models import (
    Dokumentasjon,
    DokumentType,
    Fase,
    Kilde,
    Tilbud,
    Vilkar,
    VilkarKind,
    VilkarStatus,
    Vurdering,
)
from conditions.services.common import ConditionsError, lock_vedtak, record, refresh_fase
from conditions.services.documents import _attendance_fields, document_register
from conditions.services.vedtak import _send_back_pending

# A vilkår takes documentation while its vedtak is granted and not lifted.
DOCUMENTED_PHASES = (Fase.VILKAR_APNE, Fase.KLAR, Fase.TIL_GODKJENNING)


def offer_vilkar(*, person_id: int, tilbud: str, on_date: datetime.date, aktivitet_id: int | None = None) -> QuerySet:
    """The open activity vilkår of the person resting on this offer, on a vedtak whose period
    covers the day of the event."""
    vilkar = Vilkar.objects.filter(
        person_id=person_id, kind=VilkarKind.AKTIVITET, status=VilkarStatus.APEN, tilbud=tilbud,
        vedtak__fase__in=DOCUMENTED_PHASES, vedtak__periode_fra__lte=on_date, vedtak__periode_til__gte=on_date,
    )
    if aktivitet_id is not None:
        vilkar = vilkar.filter(aktivitet_id=aktivitet_id)
    return vilkar.order_by("id")


@transaction.atomic
def attendance_document(
    *, vilkar: Vilkar, actor: Actor, kilde: str, kilde_ref: str, on_date: datetime.date, planlagte_dager: int,
    oppmotte_dager: int, fravaer_godkjent: int, hendelse: str,
) -> Dokumentasjon:
    """One event's attendance on one vilkår: created the first time, corrected when the same
    event (`kilde_ref`) is registered again."""
    existing = Dokumentasjon.objects.filter(vilkar=vilkar, kilde_ref=kilde_ref).first()
    if existing is None:
        return document_register(
            vilkar=vilkar, actor=actor, type=DokumentType.OPPMOTELISTE, mottatt=on_date, vurdering=Vurdering.GODKJENT,
            planlagte_dager=planlagte_dager, oppmotte_dager=oppmotte_dager, fravaer_godkjent=fravaer_godkjent,
            kilde=kilde, kilde_ref=kilde_ref, hendelse=hendelse,
        )
    vedtak = lock_vedtak(vilkar.vedtak_id)
    document = Dokumentasjon.objects.select_for_update().select_related("vilkar__person").get(pk=existing.pk)
    days = _attendance_fields(DokumentType.OPPMOTELISTE, planlagte_dager=planlagte_dager,
                              oppmotte_dager=oppmotte_dager, fravaer_godkjent=fravaer_godkjent)
    document.mottatt, document.hendelse = on_date, hendelse[:300]
    for field, value in days.items():
        setattr(document, field, value)
    ConditionsError.full_clean(document)
    document.save()
    _send_back_pending(vedtak, "Oppmøtet ble rettet mens opphevingen ventet på godkjenning.")
    refresh_fase(vedtak)
    record(actor, "update", obj=document, person=document.vilkar.person, vedtak=vedtak)
    return document


def attendance_document_offer(
    *, person_id: int, tilbud: str, actor: Actor, kilde: str, kilde_ref: str, on_date: datetime.date,
    planlagte_dager: int, oppmotte_dager: int, fravaer_godkjent: int, hendelse: str, aktivitet_id: int | None = None,
) -> list[Dokumentasjon]:
    """The event on every open vilkår of the person that rests on the offer (none is fine: not
    every meeting or session is a condition of assistance)."""
    return [
        attendance_document(vilkar=vilkar, actor=actor, kilde=kilde, kilde_ref=kilde_ref, on_date=on_date,
                            planlagte_dager=planlagte_dager, oppmotte_dager=oppmotte_dager,
                            fravaer_godkjent=fravaer_godkjent, hendelse=hendelse)
        for vilkar in offer_vilkar(person_id=person_id, tilbud=tilbud, on_date=on_date, aktivitet_id=aktivitet_id)
    ]


def attendance_recorded(attendance, actor: Actor) -> list[Dokumentasjon]:
    """The receiver of cases' attendance hook (cases.services.attendance_hooks.ATTENDANCE_RECORDED,
    put there by the frame): the event on the person's open vilkår resting on its offer."""
    return attendance_document_offer(
        person_id=attendance.person_id, tilbud=attendance.tilbud, actor=actor, kilde=attendance.kilde,
        kilde_ref=attendance.kilde_ref, on_date=attendance.on_date, planlagte_dager=attendance.planlagte_dager,
        oppmotte_dager=attendance.oppmotte_dager, fravaer_godkjent=attendance.fravaer_godkjent,
        hendelse=attendance.hendelse)


@transaction.atomic
def applications_register(
    *, deltaker: Deltaker, actor: Actor, soknader: list[tuple[str, datetime.date]],
) -> list[Dokumentasjon]:
    """Job applications the follow-up veileder registers for a participant: on every open
    job-search vilkår of the person at the participant's office, as documentation the vedtak
    unit assesses (one registration, one key on each vilkår)."""
    if not soknader:
        raise ConditionsError({"soknader": "Skriv minst én søknad: arbeidsgiver og dato."})
    today = timezone.localdate()
    vilkar = list(Vilkar.objects.filter(
        person_id=deltaker.person_id, vedtak__office_id=deltaker.office_id, kind=VilkarKind.AKTIVITET,
        status=VilkarStatus.APEN, tilbud=Tilbud.JOBBSOKING, vedtak__fase__in=DOCUMENTED_PHASES).order_by("id"))
    if not vilkar:
        raise ConditionsError({"soknader": f"{deltaker.person.navn} har ikke noe åpent vilkår om jobbsøking. "
                                           "Søknadene ble ikke registrert."})
    count = len(soknader)
    hendelse = (f"{count} {'jobbsøknad' if count == 1 else 'jobbsøknader'} registrert av veileder: "
                + ", ".join(f"{employer} ({date:%d.%m.%Y})" for employer, date in soknader))
    key = f"soknader:{uuid.uuid4().hex[:20]}"
    return [document_register(vilkar=item, actor=actor, type=DokumentType.JOBBSOKNADER, mottatt=today,
                              vurdering=Vurdering.IKKE_VURDERT, soknader=soknader, kilde=Kilde.SOKNADER, kilde_ref=key,
                              hendelse=hendelse)
            for item in vilkar]
