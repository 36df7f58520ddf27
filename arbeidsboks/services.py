"""Writes in Arbeidsboks. Each enforces its rule, locks what two people may change at once,
writes an audit entry and refuses with a Norwegian message that leaves nothing changed.

Lock order (never the other way round, so two users never deadlock): the work area, then its
placements, then (through conditions) the vedtak and its vilkår."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import Office
from arbeidsboks.models import (
    ENDED,
    OCCUPYING,
    Arbeidsomrade,
    Evaluering,
    Frammote,
    Plassering,
    PlasseringKind,
    PlasseringStatus,
    Sluttarsak,
    StatligTiltak,
    TiltakType,
)
from cases.models import Deltaker, Lopsstatus
from conditions.models import DokumentType, Enhet, Fase, Vilkar, VilkarKind, VilkarStatus, Vurdering
from conditions.services import dokumentasjon_register

P = PlasseringStatus
NOT_ENROLLED = (Lopsstatus.KANDIDAT, Lopsstatus.AVSLUTTET)
EARMARKED_DEFAULT = 20


class ArbeidsboksError(ValidationError):
    """A refused change; the message is shown to the user as it is, and nothing was written."""


def earmarked_places() -> int:
    return getattr(settings, "ARBEID_MED_BISTAND_PLASSER", EARMARKED_DEFAULT)


def _office(deltaker: Deltaker) -> str:
    return deltaker.office.enhetsnummer


def _audit(actor: Actor, action: str, *, obj, deltaker: Deltaker) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=deltaker.person, office=_office(deltaker))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def attendance_vilkar_for(deltaker: Deltaker):
    """The open attendance vilkår (activity, % attendance) of the participant's person that a
    placement may document."""
    return Vilkar.objects.filter(
        person_id=deltaker.person_id, vedtak__office_id=deltaker.office_id, kind=VilkarKind.AKTIVITET,
        enhet=Enhet.OPPMOTE_PROSENT, status=VilkarStatus.APEN,
    ).exclude(vedtak__fase=Fase.OPPHEVET)


def _occupied(area: Arbeidsomrade) -> int:
    return area.plasseringer.filter(status__in=OCCUPYING).count()


def _has_waiting(area: Arbeidsomrade) -> bool:
    return area.plasseringer.filter(status=P.VENTELISTE).exists()


def _lock_area(pk: int) -> Arbeidsomrade:
    return Arbeidsomrade.objects.select_for_update(of=("self",)).select_related("virksomhet__office").get(pk=pk)


@transaction.atomic
def placement_create(
    *, deltaker: Deltaker, arbeidsomrade: Arbeidsomrade, actor: Actor, kind: str, startdato: datetime.date,
    planlagt_slutt: datetime.date, timer_per_uke: Decimal, veileder_pa_stedet: str, mal: str,
    ikke_fortrengning: bool, dager_per_uke: int = 5, vilkar: Vilkar | None = None,
) -> Plassering:
    """Places an enrolled participant in a work area of their office. The work area's row is
    locked while its places are counted, so two users taking the last place at the same moment
    are served one after the other: the second goes on the waiting list. A work area that is full,
    or that already has a waiting list, puts the placement last on its waiting list."""
    if deltaker.status in NOT_ENROLLED:
        raise ArbeidsboksError("Bare deltakere som er henvist til Alna Aktiv og ikke avsluttet, kan plasseres.")
    if not ikke_fortrengning:
        raise ArbeidsboksError("Bekreft at plasseringen ikke fortrenger ordinær arbeidskraft.")
    if kind not in PlasseringKind.values:
        raise ArbeidsboksError("Velg type plassering.")
    if planlagt_slutt < startdato:
        raise ArbeidsboksError("Planlagt sluttdato kan ikke være før startdatoen.")
    if not veileder_pa_stedet.strip() or not mal.strip():
        raise ArbeidsboksError("Fyll ut veileder på arbeidsstedet og mål for plasseringen.")
    area = _lock_area(arbeidsomrade.pk)
    if area.virksomhet.office_id != deltaker.office_id:
        raise ArbeidsboksError("Arbeidsområdet hører til et annet kontor enn deltakeren.")
    if vilkar is not None and not attendance_vilkar_for(deltaker).filter(pk=vilkar.pk).exists():
        raise ArbeidsboksError("Oppmøtevilkåret må være et åpent aktivitetsvilkår i prosent oppmøte for denne deltakeren.")
    if area.plasseringer.filter(deltaker=deltaker, status__in=[P.VENTELISTE, *OCCUPYING]).exists():
        raise ArbeidsboksError("Deltakeren har allerede en plassering eller står på ventelisten i dette arbeidsområdet.")
    full = _occupied(area) >= area.kapasitet or _has_waiting(area)
    today = timezone.localdate()
    if full:
        status, waiting_since = P.VENTELISTE, timezone.now()
    else:
        status, waiting_since = (P.AKTIV if startdato <= today else P.PLANLAGT), None
    placement = Plassering(
        deltaker=deltaker, arbeidsomrade=area, kind=kind, status=status, startdato=startdato,
        planlagt_slutt=planlagt_slutt, timer_per_uke=timer_per_uke, dager_per_uke=dager_per_uke,
        veileder_pa_stedet=veileder_pa_stedet.strip(), mal=mal.strip(), ikke_fortrengning=True, vilkar=vilkar,
        venteliste_fra=waiting_since, created_by=actor.user,
    )
    placement.full_clean()
    placement.save()
    _audit(actor, "create", obj=placement, deltaker=deltaker)
    return placement


def _lock_placement(plassering: Plassering) -> tuple[Arbeidsomrade, Plassering]:
    area = _lock_area(plassering.arbeidsomrade_id)
    locked = Plassering.objects.select_for_update(of=("self",)).select_related("deltaker__person", "deltaker__office").get(
        pk=plassering.pk
    )
    return area, locked


def _offer_free_places(area: Arbeidsomrade, *, actor: Actor) -> list[Plassering]:
    """Free places go to the waiting list in order (first put on it, first placed). The waiting
    start date moves to today when it has passed, keeping the planned length."""
    free = area.kapasitet - _occupied(area)
    if free <= 0:
        return []
    today = timezone.localdate()
    offered = list(
        area.plasseringer.filter(status=P.VENTELISTE).select_related("deltaker__person", "deltaker__office")
        .order_by("venteliste_fra", "id")[:free]
    )
    for placement in offered:
        if placement.startdato < today:
            shift = today - placement.startdato
            placement.startdato, placement.planlagt_slutt = today, placement.planlagt_slutt + shift
        placement.status, placement.venteliste_fra = P.PLANLAGT, None
        placement.full_clean()
        placement.save()
        _audit(actor, "update", obj=placement, deltaker=placement.deltaker)
    return offered


@transaction.atomic
def waitlist_offer(*, arbeidsomrade: Arbeidsomrade, actor: Actor) -> list[Plassering]:
    """Fills free places (e.g. after the capacity was raised) from the waiting list, in order."""
    area = _lock_area(arbeidsomrade.pk)
    offered = _offer_free_places(area, actor=actor)
    if not offered:
        raise ArbeidsboksError("Det er ingen ledige plasser, eller ingen står på ventelisten.")
    return offered


@transaction.atomic
def placement_start(*, plassering: Plassering, actor: Actor) -> Plassering:
    """A planned placement starts on or after its start date."""
    _area, placement = _lock_placement(plassering)
    if placement.status != P.PLANLAGT:
        raise ArbeidsboksError(f"Plasseringen er {placement.get_status_display().lower()} og kan ikke startes.")
    if placement.startdato > timezone.localdate():
        raise ArbeidsboksError(f"Plasseringen starter {placement.startdato:%d.%m.%Y} og kan ikke startes før det.")
    placement.status = P.AKTIV
    placement.full_clean()
    placement.save(update_fields=["status"])
    _audit(actor, "update", obj=placement, deltaker=placement.deltaker)
    return placement


@transaction.atomic
def placement_end(
    *, plassering: Plassering, actor: Actor, status: str, sluttdato: datetime.date, sluttarsak: str,
    sluttarsak_tekst: str = "",
) -> Plassering:
    """Ends a placement (or takes it off the waiting list) with a reason; free text only with
    «annet». A place that frees up goes to the first on the waiting list."""
    if status not in ENDED:
        raise ArbeidsboksError("Velg om plasseringen er fullført eller avbrutt.")
    if sluttarsak not in Sluttarsak.values:
        raise ArbeidsboksError("Velg en sluttårsak.")
    text = sluttarsak_tekst.strip()
    if sluttarsak == Sluttarsak.ANNET and not text:
        raise ArbeidsboksError("Beskriv sluttårsaken når du velger «Annet».")
    if sluttarsak != Sluttarsak.ANNET and text:
        raise ArbeidsboksError("Fritekst brukes bare med sluttårsaken «Annet».")
    if sluttdato > timezone.localdate():
        raise ArbeidsboksError("Sluttdatoen kan ikke være fram i tid.")
    area, placement = _lock_placement(plassering)
    if placement.status in ENDED:
        raise ArbeidsboksError(f"Noen andre har gjort dette før deg: plasseringen er allerede {placement.get_status_display().lower()}.")
    if placement.status == P.VENTELISTE and status != P.AVBRUTT:
        raise ArbeidsboksError("En plassering på ventelisten kan bare avbrytes.")
    if placement.status == P.AKTIV and sluttdato < placement.startdato:
        raise ArbeidsboksError("Sluttdatoen kan ikke være før startdatoen.")
    took_place = placement.status in OCCUPYING
    placement.status, placement.faktisk_slutt = status, sluttdato
    placement.sluttarsak, placement.sluttarsak_tekst = sluttarsak, text
    placement.full_clean()
    placement.save()
    _audit(actor, "update", obj=placement, deltaker=placement.deltaker)
    if took_place:
        _offer_free_places(area, actor=actor)
    return placement


def _to_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@transaction.atomic
def attendance_register_week(
    *, arbeidsomrade: Arbeidsomrade, uke: datetime.date, rows: list[dict], actor: Actor,
) -> list[Frammote]:
    """Registers one week's attendance for several placements of a work area at once. Each row:
    `plassering` (id), `oppmotte_timer`, `oppmotte_dager`, optional `fravaer_godkjent_dager`,
    `fravaer_grunn`, `planlagte_timer`, `planlagte_dager` (default: the placement's own). All rows
    are checked before anything is written. When the placement documents an open attendance
    vilkår, the week is registered on it as an approved attendance list, absence included."""
    if uke.weekday() != 0:
        raise ArbeidsboksError("Uken må oppgis med sin mandag.")
    if uke > timezone.localdate():
        raise ArbeidsboksError("Frammøte kan ikke registreres for en uke som ikke har begynt.")
    if not rows:
        raise ArbeidsboksError("Fyll ut frammøte for minst én deltaker.")
    area = _lock_area(arbeidsomrade.pk)
    sunday = uke + datetime.timedelta(days=6)
    ids = [row["plassering"] for row in rows]
    if len(set(ids)) != len(ids):
        raise ArbeidsboksError("Hver plassering kan bare stå én gang.")
    placements = {
        p.pk: p for p in Plassering.objects.select_related(
            "deltaker__person", "deltaker__office", "vilkar__vedtak").filter(arbeidsomrade=area, pk__in=ids)
        .select_for_update(of=("self",))
    }
    already = set(Frammote.objects.filter(plassering_id__in=ids, uke=uke).values_list("plassering_id", flat=True))
    entries = []
    for row in rows:
        placement = placements.get(row["plassering"])
        if placement is None:
            raise ArbeidsboksError("En av plasseringene hører ikke til dette arbeidsområdet.")
        name = placement.deltaker.person.navn
        if placement.status not in (P.AKTIV, *ENDED) or placement.startdato > sunday or (
            placement.faktisk_slutt is not None and placement.faktisk_slutt < uke
        ):
            raise ArbeidsboksError(f"{name}: plasseringen var ikke aktiv i uken.")
        if placement.pk in already:
            raise ArbeidsboksError(f"{name}: frammøtet for uken er allerede registrert.")
        planned_days = int(row.get("planlagte_dager") or placement.dager_per_uke)
        attended_days = int(row["oppmotte_dager"])
        approved = int(row.get("fravaer_godkjent_dager") or 0)
        reason = (row.get("fravaer_grunn") or "").strip()
        planned_hours = _to_decimal(row.get("planlagte_timer") or placement.timer_per_uke)
        attended_hours = _to_decimal(row["oppmotte_timer"])
        if attended_days < 0 or approved < 0 or attended_hours < 0:
            raise ArbeidsboksError(f"{name}: tallene kan ikke være negative.")
        if attended_days + approved > planned_days:
            raise ArbeidsboksError(f"{name}: møtte dager og godkjent fravær er til sammen flere enn planlagte dager.")
        if attended_hours > planned_hours:
            raise ArbeidsboksError(f"{name}: møtte timer er flere enn planlagte timer.")
        if attended_days < planned_days and not reason:
            raise ArbeidsboksError(f"{name}: skriv grunnen til fraværet.")
        entry = Frammote(
            plassering=placement, uke=uke, planlagte_timer=planned_hours, oppmotte_timer=attended_hours,
            planlagte_dager=planned_days, oppmotte_dager=attended_days, fravaer_godkjent_dager=approved,
            fravaer_grunn=reason, registrert_av=actor.user,
        )
        entry.full_clean(exclude=["dokumentasjon"])
        entries.append(entry)
    today = timezone.localdate()
    for entry in entries:
        placement = entry.plassering
        entry.save()
        _audit(actor, "create", obj=entry, deltaker=placement.deltaker)
        vilkar = placement.vilkar
        if vilkar is not None and vilkar.status == VilkarStatus.APEN and vilkar.vedtak.fase != Fase.OPPHEVET:
            entry.dokumentasjon = dokumentasjon_register(
                vilkar=vilkar, actor=actor, type=DokumentType.OPPMOTELISTE, mottatt=min(sunday, today),
                vurdering=Vurdering.GODKJENT, planlagte_dager=entry.planlagte_dager,
                oppmotte_dager=entry.oppmotte_dager, fravaer_godkjent=entry.fravaer_godkjent_dager,
            )
            entry.save(update_fields=["dokumentasjon"])
    return entries


@transaction.atomic
def evaluation_create(
    *, plassering: Plassering, actor: Actor, dato: datetime.date, punktlighet: int, samarbeid: int, sprak: int,
    ferdigheter: int, initiativ: int, kommentar: str = "",
) -> Evaluering:
    """An evaluation of a placement that has started; never dated in the future."""
    _area, placement = _lock_placement(plassering)
    if placement.status in (P.VENTELISTE, P.PLANLAGT):
        raise ArbeidsboksError("Bare en plassering som har startet, kan evalueres.")
    if dato > timezone.localdate() or dato < placement.startdato:
        raise ArbeidsboksError("Evalueringsdatoen må være mellom startdatoen og i dag.")
    evaluation = Evaluering(
        plassering=placement, dato=dato, punktlighet=punktlighet, samarbeid=samarbeid, sprak=sprak,
        ferdigheter=ferdigheter, initiativ=initiativ, kommentar=kommentar.strip(), created_by=actor.user,
    )
    try:
        evaluation.full_clean()
    except ValidationError as error:
        raise ArbeidsboksError("Gi en vurdering fra 1 til 5 på hvert område.") from error
    evaluation.save()
    _audit(actor, "create", obj=evaluation, deltaker=placement.deltaker)
    return evaluation


def earmarked_in_use(office_id: int, on_date: datetime.date) -> int:
    return StatligTiltak.objects.filter(
        deltaker__office_id=office_id, oremerket=True, fra__lte=on_date,
    ).exclude(til__lt=on_date).count()


@transaction.atomic
def state_measure_create(
    *, deltaker: Deltaker, actor: Actor, type: str, leverandor: str, fra: datetime.date, til: datetime.date | None = None,
    oremerket: bool = False,
) -> StatligTiltak:
    """Records a state measure. The pilot's earmarked places of arbeid med bistand (20) are
    counted under the office's row lock, so they are never overbooked."""
    if deltaker.status == Lopsstatus.KANDIDAT:
        raise ArbeidsboksError("Bare deltakere som er henvist til Alna Aktiv, kan få registrert tiltak.")
    if type not in TiltakType.values:
        raise ArbeidsboksError("Velg et tiltak.")
    if not leverandor.strip():
        raise ArbeidsboksError("Skriv hvem som er tiltaksarrangør.")
    if til is not None and til < fra:
        raise ArbeidsboksError("Til-datoen kan ikke være før fra-datoen.")
    if oremerket and type != TiltakType.ARBEID_MED_BISTAND:
        raise ArbeidsboksError("Bare arbeid med bistand har øremerkede plasser.")
    if oremerket:
        Office.objects.select_for_update().get(pk=deltaker.office_id)
        if earmarked_in_use(deltaker.office_id, fra) >= earmarked_places():
            raise ArbeidsboksError(f"Alle {earmarked_places()} øremerkede plasser i arbeid med bistand er i bruk.")
    measure = StatligTiltak(deltaker=deltaker, type=type, leverandor=leverandor.strip(), fra=fra, til=til,
                            oremerket=oremerket, created_by=actor.user)
    measure.full_clean()
    measure.save()
    _audit(actor, "create", obj=measure, deltaker=deltaker)
    return measure
