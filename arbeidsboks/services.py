"""Writes in Arbeidsboks. Each enforces its rule, locks what two people may change at once,
writes an audit entry and refuses with a Norwegian message that leaves nothing changed.

Lock order (never the other way round, so two users never deadlock): the work area, then its
placements, then (through cases) the participant whose course a starting placement moves, then
(through conditions) the vedtak and its vilkår."""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import Office
from alnaaktiv.templatetags.norsk import flertall
from arbeidsboks.models import (
    ENDED,
    OCCUPYING,
    Arbeidsomrade,
    Evaluering,
    Frammote,
    Plassering,
    PlasseringKind,
    PlasseringStatus,
    Retting,
    Sluttarsak,
    StatligTiltak,
    TiltakType,
)
from arbeidsboks.selectors import (
    attendance_vilkar_for,
    earmarked_in_use,
    earmarked_places,
    overlap_warning,
    overlapping_placements,
)
from cases.models import Deltaker, Lopsstatus
from cases.services import course_activity_started
from conditions.models import Fase, Kilde, Vilkar, VilkarStatus
from conditions.services import attendance_document
from conditions.services.common import lock_vedtak, record

NOT_ENROLLED = (Lopsstatus.KANDIDAT, Lopsstatus.AVSLUTTET)


class ArbeidsboksError(DomainError):
    """A refused change; the message is shown to the user as it is, and nothing was written."""


def _office(deltaker: Deltaker) -> str:
    return deltaker.office.enhetsnummer


def _audit(actor: Actor, action: str, *, obj, deltaker: Deltaker) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=deltaker.person, office=_office(deltaker))


VILKAR_REFUSED = "Oppmøtevilkåret må være et åpent aktivitetsvilkår i prosent oppmøte for denne deltakeren."


def _placement_terms_errors(*, startdato: datetime.date, planlagt_slutt: datetime.date, veileder_pa_stedet: str,
                            mal: str) -> dict[str, str]:
    """The terms every placement needs, when created and when corrected, as errors by field."""
    errors = {}
    if not veileder_pa_stedet.strip():
        errors["veileder_pa_stedet"] = "Skriv hvem som er veileder på arbeidsstedet."
    if not mal.strip():
        errors["mal"] = "Skriv målet for plasseringen."
    return errors


def _occupied(area: Arbeidsomrade) -> int:
    return area.plasseringer.filter(status__in=OCCUPYING).count()


def _has_waiting(area: Arbeidsomrade) -> bool:
    return area.plasseringer.filter(status=PlasseringStatus.VENTELISTE).exists()


def _lock_area(pk: int) -> Arbeidsomrade:
    return Arbeidsomrade.objects.select_for_update(of=("self",)).select_related("virksomhet__office").get(pk=pk)


@transaction.atomic
def placement_create(
    *, deltaker: Deltaker, arbeidsomrade: Arbeidsomrade, actor: Actor, kind: str, startdato: datetime.date,
    planlagt_slutt: datetime.date, timer_per_uke: Decimal, veileder_pa_stedet: str, mal: str,
    ikke_fortrengning: bool, dager_per_uke: int = 5, vilkar: Vilkar | None = None, overlap_confirmed: bool = False,
) -> Plassering:
    """Places an enrolled participant in a work area of their office. The work area's row is
    locked while its places are counted, so two users taking the last place at the same moment
    are served one after the other: the second goes on the waiting list. A work area that is full,
    or that already has a waiting list, puts the placement last on its waiting list. A period
    overlapping another planned or running placement of the participant is refused unless
    `overlap_confirmed`. A placement that starts at once moves an avklart course to `i_aktivitet`."""
    if deltaker.status in NOT_ENROLLED:
        raise ArbeidsboksError("Bare deltakere som er henvist til Alna Aktiv og ikke avsluttet, kan plasseres.")
    errors = {}
    if kind not in PlasseringKind.values:
        errors["kind"] = "Velg type plassering."
    errors.update(_placement_terms_errors(startdato=startdato, planlagt_slutt=planlagt_slutt,
                                          veileder_pa_stedet=veileder_pa_stedet, mal=mal))
    if errors:
        raise ArbeidsboksError(errors)
    area = _lock_area(arbeidsomrade.pk)
    _check_place(area, deltaker, vilkar)
    _check_overlap(deltaker, startdato, planlagt_slutt, confirmed=overlap_confirmed)
    status, waiting_since = _new_status(area, startdato)
    placement = Plassering(
        deltaker=deltaker, arbeidsomrade=area, kind=kind, status=status, startdato=startdato,
        planlagt_slutt=planlagt_slutt, timer_per_uke=timer_per_uke, dager_per_uke=dager_per_uke,
        veileder_pa_stedet=veileder_pa_stedet.strip(), mal=mal.strip(), ikke_fortrengning=ikke_fortrengning, vilkar=vilkar,
        venteliste_fra=waiting_since, created_by=actor.user,
    )
    ArbeidsboksError.full_clean(placement)
    placement.save()
    _audit(actor, "create", obj=placement, deltaker=deltaker)
    _start_course(placement, actor)
    return placement


def _start_course(placement: Plassering, actor: Actor) -> None:
    """A placement that has become active moves an avklart participant to `i_aktivitet` from its
    start date (docs/domain.md §3.7); `placement.course_event` tells the page whether it did."""
    placement.course_event = None
    if placement.status == PlasseringStatus.AKTIV:
        placement.course_event = course_activity_started(
            deltaker=placement.deltaker, on_date=placement.startdato, actor=actor,
            comment=f"Plassering startet: {placement.arbeidsomrade}")


def _check_place(area: Arbeidsomrade, deltaker: Deltaker, vilkar: Vilkar | None) -> None:
    """The work area is the participant's office's, the vilkår theirs, and they are not in it already."""
    if area.virksomhet.office_id != deltaker.office_id:
        raise ArbeidsboksError({"arbeidsomrade": "Arbeidsområdet hører til et annet kontor enn deltakeren."})
    if vilkar is not None and not attendance_vilkar_for(deltaker).filter(pk=vilkar.pk).exists():
        raise ArbeidsboksError({"vilkar": VILKAR_REFUSED})
    if area.plasseringer.filter(deltaker=deltaker, status__in=[PlasseringStatus.VENTELISTE, *OCCUPYING]).exists():
        raise ArbeidsboksError({"arbeidsomrade": "Deltakeren har allerede en plassering eller står på ventelisten i "
                                                 "dette arbeidsområdet."})


def _check_overlap(deltaker: Deltaker, startdato: datetime.date, planlagt_slutt: datetime.date, *, confirmed: bool,
                   exclude_pk: int | None = None) -> None:
    """Two placements at once happen (a few hours at each), but never by mistake: an overlap needs
    the user's confirmation, and without it nothing is written."""
    if confirmed or planlagt_slutt < startdato:
        return
    overlaps = overlapping_placements(deltaker, startdato, planlagt_slutt, exclude_pk=exclude_pk)
    if overlaps:
        raise ArbeidsboksError({"startdato": f"{overlap_warning(overlaps)} Bekreft at deltakeren skal ha begge."})


def _new_status(area: Arbeidsomrade, startdato: datetime.date) -> tuple[str, datetime.datetime | None]:
    """(status, on the waiting list since) of a new placement in the locked work area."""
    if _occupied(area) >= area.kapasitet or _has_waiting(area):
        return PlasseringStatus.VENTELISTE, timezone.now()
    started = startdato <= timezone.localdate()
    return (PlasseringStatus.AKTIV if started else PlasseringStatus.PLANLAGT), None


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
        area.plasseringer.filter(status=PlasseringStatus.VENTELISTE).select_related("deltaker__person", "deltaker__office")
        .order_by("venteliste_fra", "id")[:free]
    )
    for placement in offered:
        if placement.startdato < today:
            shift = today - placement.startdato
            placement.startdato, placement.planlagt_slutt = today, placement.planlagt_slutt + shift
        placement.status, placement.venteliste_fra = PlasseringStatus.PLANLAGT, None
        ArbeidsboksError.full_clean(placement)
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
    if placement.status != PlasseringStatus.PLANLAGT:
        raise ArbeidsboksError(f"Plasseringen er {placement.get_status_display().lower()} og kan ikke startes.")
    if placement.startdato > timezone.localdate():
        raise ArbeidsboksError(f"Plasseringen starter {placement.startdato:%d.%m.%Y} og kan ikke startes før det.")
    placement.status = PlasseringStatus.AKTIV
    ArbeidsboksError.full_clean(placement)
    placement.save(update_fields=["status"])
    _audit(actor, "update", obj=placement, deltaker=placement.deltaker)
    _start_course(placement, actor)
    return placement


def _end_errors(*, status: str, sluttdato: datetime.date, sluttarsak: str, text: str) -> dict[str, str]:
    """How a placement ends, as errors by field: a final status, a reason (free text only with
    «annet») and an end date that has come."""
    errors = {}
    if status not in ENDED:
        errors["status"] = "Velg om plasseringen er fullført eller avbrutt."
    if sluttarsak not in Sluttarsak.values:
        errors["sluttarsak"] = "Velg en sluttårsak."
    if sluttarsak == Sluttarsak.ANNET and not text:
        errors["sluttarsak_tekst"] = "Beskriv sluttårsaken når du velger «Annet»."
    if sluttarsak != Sluttarsak.ANNET and text:
        errors["sluttarsak_tekst"] = "Fritekst brukes bare med sluttårsaken «Annet»."
    if sluttdato > timezone.localdate():
        errors["sluttdato"] = "Sluttdatoen kan ikke være fram i tid."
    return errors


@transaction.atomic
def placement_end(
    *, plassering: Plassering, actor: Actor, status: str, sluttdato: datetime.date, sluttarsak: str,
    sluttarsak_tekst: str = "",
) -> Plassering:
    """Ends a placement (or takes it off the waiting list) with a reason; free text only with
    «annet». A place that frees up goes to the first on the waiting list."""
    text = sluttarsak_tekst.strip()
    errors = _end_errors(status=status, sluttdato=sluttdato, sluttarsak=sluttarsak, text=text)
    if errors:
        raise ArbeidsboksError(errors)
    area, placement = _lock_placement(plassering)
    if placement.status in ENDED:
        raise ArbeidsboksError(f"Noen andre har gjort dette før deg: plasseringen er allerede {placement.get_status_display().lower()}.")
    if placement.status == PlasseringStatus.VENTELISTE and status != PlasseringStatus.AVBRUTT:
        raise ArbeidsboksError({"status": "En plassering på ventelisten kan bare avbrytes."})
    if placement.status == PlasseringStatus.AKTIV and sluttdato < placement.startdato:
        raise ArbeidsboksError({"sluttdato": "Sluttdatoen kan ikke være før startdatoen."})
    took_place = placement.status in OCCUPYING
    placement.status, placement.faktisk_slutt = status, sluttdato
    placement.sluttarsak, placement.sluttarsak_tekst = sluttarsak, text
    ArbeidsboksError.full_clean(placement)
    placement.save()
    _audit(actor, "update", obj=placement, deltaker=placement.deltaker)
    if took_place:
        _offer_free_places(area, actor=actor)
    return placement


def _to_decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def attendance_field(plassering_pk: int, field: str) -> str:
    """How a refusal names one line's field in a week of attendance (the page's input names)."""
    return f"p{plassering_pk}-{field}"


def _attendance_values(placement: Plassering, row: dict) -> tuple[dict, dict[str, str]]:
    """One week's numbers for a placement, defaults filled in, and the errors by field: the
    days and hours must add up and absence needs a reason. Messages name the participant, as
    the line they belong to may be one of many."""
    name = placement.deltaker.person.navn
    values = {
        "planlagte_dager": int(row.get("planlagte_dager") or placement.dager_per_uke),
        "oppmotte_dager": int(row["oppmotte_dager"]),
        "fravaer_godkjent_dager": int(row.get("fravaer_godkjent_dager") or 0),
        "fravaer_grunn": (row.get("fravaer_grunn") or "").strip(),
        "planlagte_timer": _to_decimal(row.get("planlagte_timer") or placement.timer_per_uke),
        "oppmotte_timer": _to_decimal(row["oppmotte_timer"]),
    }
    errors = _attendance_range_errors(name, values)
    if errors:
        return values, errors
    return values, _attendance_sum_errors(name, values)


def _attendance_range_errors(name: str, values: dict) -> dict[str, str]:
    errors = {}
    for field in ("oppmotte_dager", "fravaer_godkjent_dager", "oppmotte_timer"):
        if values[field] < 0:
            errors[field] = f"{name}: tallene kan ikke være negative."
    if not 1 <= values["planlagte_dager"] <= 7:
        errors["planlagte_dager"] = f"{name}: planlagte dager må være fra 1 til 7."
    if not 0 < values["planlagte_timer"] <= 60:
        errors["planlagte_timer"] = f"{name}: planlagte timer må være mer enn 0 og høyst 60."
    return errors


def _attendance_sum_errors(name: str, values: dict) -> dict[str, str]:
    """Days and hours within what was planned, and a reason for any absence."""
    errors = {}
    if values["oppmotte_dager"] + values["fravaer_godkjent_dager"] > values["planlagte_dager"]:
        errors["oppmotte_dager"] = f"{name}: møtte dager og godkjent fravær er til sammen flere enn planlagte dager."
    if values["oppmotte_timer"] > values["planlagte_timer"]:
        errors["oppmotte_timer"] = f"{name}: møtte timer er flere enn planlagte timer."
    if values["oppmotte_dager"] < values["planlagte_dager"] and not values["fravaer_grunn"]:
        errors["fravaer_grunn"] = f"{name}: skriv grunnen til fraværet."
    return errors


def _documents(vilkar: Vilkar | None) -> bool:
    return vilkar is not None and vilkar.status == VilkarStatus.APEN and vilkar.vedtak.fase != Fase.OPPHEVET


def _register_documentation(entry: Frammote, vilkar: Vilkar, actor: Actor) -> None:
    """The week on the attendance vilkår as an approved attendance list, absence included, with
    its source (registering the week on the same vilkår again corrects its document)."""
    sunday = entry.uke + datetime.timedelta(days=6)
    missed = entry.planlagte_dager - entry.oppmotte_dager
    entry.dokumentasjon = attendance_document(
        vilkar=vilkar, actor=actor, kilde=Kilde.ARBEIDSBOKS, kilde_ref=f"frammote:{entry.pk}",
        on_date=min(sunday, timezone.localdate()), planlagte_dager=entry.planlagte_dager,
        oppmotte_dager=entry.oppmotte_dager, fravaer_godkjent=entry.fravaer_godkjent_dager,
        hendelse=(f"Arbeidstrening uken fra {entry.uke:%d.%m.%Y}: møtt {entry.oppmotte_dager} av "
                  f"{flertall(entry.planlagte_dager, 'dag,dager')}"
                  + (f", fravær {flertall(missed, 'dag,dager')} ({entry.fravaer_godkjent_dager} godkjent)" if missed else "")),
    )
    entry.save(update_fields=["dokumentasjon"])


def _check_week(uke: datetime.date, rows: list[dict]) -> None:
    if uke.weekday() != 0:
        raise ArbeidsboksError("Uken må oppgis med sin mandag.")
    if uke > timezone.localdate():
        raise ArbeidsboksError("Frammøte kan ikke registreres for en uke som ikke har begynt.")
    if not rows:
        raise ArbeidsboksError("Fyll ut frammøte for minst én deltaker.")


def _week_row_errors(placement: Plassering, uke: datetime.date, already: set[int]) -> dict[str, str]:
    """A line of the week whose placement did not run that week, or whose week is registered, is
    refused at its first field."""
    name = placement.deltaker.person.navn
    first_field = attendance_field(placement.pk, "oppmotte_timer")
    ran = placement.status in (PlasseringStatus.AKTIV, *ENDED) and placement.startdato <= uke + datetime.timedelta(days=6)
    if not ran or (placement.faktisk_slutt is not None and placement.faktisk_slutt < uke):
        return {first_field: f"{name}: plasseringen var ikke aktiv i uken."}
    if placement.pk in already:
        return {first_field: f"{name}: frammøtet for uken er allerede registrert."}
    return {}


def _week_entries(rows: list[dict], placements: dict[int, Plassering], *, uke: datetime.date, already: set[int],
                  actor: Actor) -> list[Frammote]:
    """The week's entries, unsaved, after every line was checked: a refusal names every bad
    line's field."""
    entries, errors = [], {}
    for row in rows:
        placement = placements.get(row["plassering"])
        if placement is None:
            raise ArbeidsboksError("En av plasseringene hører ikke til dette arbeidsområdet.")
        row_errors = _week_row_errors(placement, uke, already)
        values, value_errors = _attendance_values(placement, row) if not row_errors else ({}, {})
        row_errors.update({attendance_field(placement.pk, field): text for field, text in value_errors.items()})
        if row_errors:
            errors.update(row_errors)
            continue
        entry = Frammote(plassering=placement, uke=uke, registrert_av=actor.user, **values)
        ArbeidsboksError.full_clean(entry, exclude=["dokumentasjon"])
        entries.append(entry)
    if errors:
        raise ArbeidsboksError(errors)
    return entries


@transaction.atomic
def attendance_register_week(
    *, arbeidsomrade: Arbeidsomrade, uke: datetime.date, rows: list[dict], actor: Actor,
) -> list[Frammote]:
    """Registers one week's attendance for several placements of a work area at once. Each row:
    `plassering` (id), `oppmotte_timer`, `oppmotte_dager`, optional `fravaer_godkjent_dager`,
    `fravaer_grunn`, `planlagte_timer`, `planlagte_dager` (default: the placement's own). All rows
    are checked before anything is written, and a refusal names every bad line's field
    (`attendance_field`). When the placement documents an open attendance vilkår, the week is
    registered on it as an approved attendance list, absence included."""
    _check_week(uke, rows)
    area = _lock_area(arbeidsomrade.pk)
    ids = [row["plassering"] for row in rows]
    if len(set(ids)) != len(ids):
        raise ArbeidsboksError("Hver plassering kan bare stå én gang.")
    placements = {
        placement.pk: placement for placement in Plassering.objects.select_related(
            "deltaker__person", "deltaker__office", "vilkar__vedtak").filter(arbeidsomrade=area, pk__in=ids)
        .select_for_update(of=("self",))
    }
    already = set(Frammote.objects.filter(plassering_id__in=ids, uke=uke).values_list("plassering_id", flat=True))
    entries = _week_entries(rows, placements, uke=uke, already=already, actor=actor)
    for entry in entries:
        placement = entry.plassering
        entry.save()
        _audit(actor, "create", obj=entry, deltaker=placement.deltaker)
        if _documents(placement.vilkar):
            _register_documentation(entry, placement.vilkar, actor)
    return entries


ATTENDANCE_LABELS = {
    "planlagte_timer": "Planlagte timer", "oppmotte_timer": "Møtte timer", "planlagte_dager": "Planlagte dager",
    "oppmotte_dager": "Møtte dager", "fravaer_godkjent_dager": "Godkjent fravær (dager)",
    "fravaer_grunn": "Grunn til fravær",
}
PLACEMENT_LABELS = {
    "startdato": "Startdato", "planlagt_slutt": "Planlagt sluttdato", "timer_per_uke": "Timer per uke",
    "dager_per_uke": "Dager per uke", "veileder_pa_stedet": "Veileder på arbeidsstedet", "mal": "Mål",
    "vilkar": "Oppmøtevilkår",
}


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, Vilkar):
        return value.beskrivelse
    return str(value)


def _changes(obj, new: dict, labels: dict[str, str]) -> list[str]:
    """«Label: old → new» for each field whose value changes, in the labels' order."""
    return [f"{label}: {_shown(getattr(obj, field))} → {_shown(new[field])}"
            for field, label in labels.items() if field in new and getattr(obj, field) != new[field]]


def _require_reason(begrunnelse: str) -> str:
    reason = begrunnelse.strip()
    if not reason:
        raise ArbeidsboksError({"begrunnelse": "Skriv hvorfor du retter."})
    return reason


@transaction.atomic
def attendance_correct(
    *, frammote: Frammote, actor: Actor, begrunnelse: str, oppmotte_timer, oppmotte_dager: int,
    planlagte_timer=None, planlagte_dager: int | None = None, fravaer_godkjent_dager: int = 0, fravaer_grunn: str = "",
) -> Frammote:
    """Corrects a saved attendance week with a reason, under the same rules as registering it.
    The attendance list it registered on the attendance vilkår follows the correction, while the
    vilkår is open: once it has been assessed or the vedtak lifted, the documentation that
    decision rests on is not changed behind it, and the correction is refused."""
    reason = _require_reason(begrunnelse)
    _area, placement = _lock_placement(frammote.plassering)
    entry = Frammote.objects.select_for_update(of=("self",)).select_related("dokumentasjon").get(pk=frammote.pk)
    entry.plassering = placement
    values, errors = _attendance_values(placement, {
        "oppmotte_timer": oppmotte_timer, "oppmotte_dager": oppmotte_dager, "planlagte_timer": planlagte_timer,
        "planlagte_dager": planlagte_dager, "fravaer_godkjent_dager": fravaer_godkjent_dager,
        "fravaer_grunn": fravaer_grunn,
    })
    if errors:
        raise ArbeidsboksError(errors)
    changes = _changes(entry, values, ATTENDANCE_LABELS)
    if not changes:
        raise ArbeidsboksError("Du har ikke endret noe i uken.")
    document = entry.dokumentasjon
    if document is not None:
        vedtak = lock_vedtak(document.vilkar.vedtak_id)
        vilkar = Vilkar.objects.select_for_update().select_related("person").get(pk=document.vilkar_id)
        if vedtak.fase == Fase.OPPHEVET or vilkar.status != VilkarStatus.APEN:
            why = "vedtaket er opphevet" if vedtak.fase == Fase.OPPHEVET else (
                f"vilkåret er allerede vurdert som {vilkar.get_status_display().lower()}")
            raise ArbeidsboksError(f"Uken er dokumentasjon på oppmøtevilkåret, og {why}. Dokumentasjonen en "
                                   "avgjørelse bygger på, kan ikke endres etterpå.")
    for field, value in values.items():
        setattr(entry, field, value)
    ArbeidsboksError.full_clean(entry, exclude=["dokumentasjon"])
    entry.save()
    _audit(actor, "update", obj=entry, deltaker=placement.deltaker)
    if document is not None:
        document.planlagte_dager, document.oppmotte_dager = entry.planlagte_dager, entry.oppmotte_dager
        document.fravaer_godkjent = entry.fravaer_godkjent_dager
        document.fravaer_ikke_godkjent = entry.planlagte_dager - entry.oppmotte_dager - entry.fravaer_godkjent_dager
        ArbeidsboksError.full_clean(document, exclude=["fil"])
        document.save(update_fields=["planlagte_dager", "oppmotte_dager", "fravaer_godkjent", "fravaer_ikke_godkjent"])
        record(actor, "update", obj=document, person=vilkar.person, vedtak=vedtak)
        changes.append("Oppmøtelisten på oppmøtevilkåret er rettet tilsvarende.")
    Retting.objects.create(plassering=placement, frammote=entry, endringer="\n".join(changes), begrunnelse=reason,
                           endret_av=actor.user)
    return entry


@transaction.atomic
def placement_update(
    *, plassering: Plassering, actor: Actor, begrunnelse: str, startdato: datetime.date,
    planlagt_slutt: datetime.date, timer_per_uke: Decimal, dager_per_uke: int, veileder_pa_stedet: str, mal: str,
    vilkar: Vilkar | None = None, overlap_confirmed: bool = False,
) -> Plassering:
    """Corrects an open placement (dates, hours, on-site supervisor, goals, the attendance
    vilkår) with a reason. A running placement keeps a start date that has come and covers the
    weeks already registered. The attendance vilkår may be linked later: the weeks already
    registered in the vedtak's period then document it. Once a week documents a vilkår, the link
    stays (that documentation is part of the vilkår). New dates overlapping another planned or
    running placement of the participant are refused unless `overlap_confirmed`."""
    reason = _require_reason(begrunnelse)
    errors = _placement_terms_errors(startdato=startdato, planlagt_slutt=planlagt_slutt,
                                     veileder_pa_stedet=veileder_pa_stedet, mal=mal)
    if errors:
        raise ArbeidsboksError(errors)
    _area, placement = _lock_placement(plassering)
    weeks = list(placement.frammoter.select_related("dokumentasjon").order_by("uke"))
    _check_correction(placement, weeks, startdato=startdato, vilkar=vilkar)
    if (startdato, planlagt_slutt) != (placement.startdato, placement.planlagt_slutt):
        _check_overlap(placement.deltaker, startdato, planlagt_slutt, confirmed=overlap_confirmed, exclude_pk=placement.pk)
    new = {"startdato": startdato, "planlagt_slutt": planlagt_slutt, "timer_per_uke": timer_per_uke,
           "dager_per_uke": dager_per_uke, "veileder_pa_stedet": veileder_pa_stedet.strip(), "mal": mal.strip(),
           "vilkar": vilkar}
    changes = _changes(placement, new, PLACEMENT_LABELS)
    if not changes:
        raise ArbeidsboksError("Du har ikke endret noe i plasseringen.")
    linked = vilkar is not None and vilkar != placement.vilkar
    for field, value in new.items():
        setattr(placement, field, value)
    ArbeidsboksError.full_clean(placement)
    placement.save()
    _audit(actor, "update", obj=placement, deltaker=placement.deltaker)
    if linked:
        changes.extend(_document_registered_weeks(weeks, vilkar, actor))
    Retting.objects.create(plassering=placement, endringer="\n".join(changes), begrunnelse=reason,
                           endret_av=actor.user)
    return placement


def _check_correction(placement: Plassering, weeks: list[Frammote], *, startdato: datetime.date,
                      vilkar: Vilkar | None) -> None:
    """An open placement keeps a start date that has come and covers its registered weeks, and
    its attendance vilkår once a week documents it."""
    if placement.status in ENDED:
        raise ArbeidsboksError(f"Plasseringen er {placement.get_status_display().lower()} og kan ikke endres.")
    if placement.status == PlasseringStatus.AKTIV and startdato > timezone.localdate():
        raise ArbeidsboksError({"startdato": "Plasseringen er startet, så startdatoen kan ikke være fram i tid."})
    if weeks and startdato > weeks[0].uke + datetime.timedelta(days=6):
        raise ArbeidsboksError({"startdato": f"Frammøte er registrert fra uke {weeks[0].uke.isocalendar().week}, så startdatoen kan "
                                             "ikke være etter den uken."})
    if vilkar != placement.vilkar:
        _check_vilkar_change(placement, weeks, vilkar)


def _check_vilkar_change(placement: Plassering, weeks: list[Frammote], vilkar: Vilkar | None) -> None:
    if any(week.dokumentasjon_id for week in weeks):
        raise ArbeidsboksError({"vilkar": "Frammøtet er allerede registrert som dokumentasjon på oppmøtevilkåret, "
                                          "så koblingen kan ikke endres."})
    if vilkar is not None and not attendance_vilkar_for(placement.deltaker).filter(pk=vilkar.pk).exists():
        raise ArbeidsboksError({"vilkar": VILKAR_REFUSED})


def _document_registered_weeks(weeks: list[Frammote], vilkar: Vilkar, actor: Actor) -> list[str]:
    """A newly linked attendance vilkår is documented by the weeks already registered in its
    vedtak's period; the change history says how many."""
    vilkar = Vilkar.objects.select_related("vedtak").get(pk=vilkar.pk)
    period = [week for week in weeks if vilkar.vedtak.periode_fra <= week.uke + datetime.timedelta(days=6)
              and week.uke <= vilkar.vedtak.periode_til]
    for week in period:
        _register_documentation(week, vilkar, actor)
    return [f"{_weeks(len(period)).capitalize()} med frammøte dokumenterer nå oppmøtevilkåret."] if period else []


def _weeks(count: int) -> str:
    return f"{count} uke" if count == 1 else f"{count} uker"


@transaction.atomic
def evaluation_create(
    *, plassering: Plassering, actor: Actor, dato: datetime.date, punktlighet: int, samarbeid: int, sprak: int,
    ferdigheter: int, initiativ: int, kommentar: str = "",
) -> Evaluering:
    """An evaluation of a placement that has started; never dated in the future."""
    _area, placement = _lock_placement(plassering)
    if placement.status in (PlasseringStatus.VENTELISTE, PlasseringStatus.PLANLAGT):
        raise ArbeidsboksError("Bare en plassering som har startet, kan evalueres.")
    if dato > timezone.localdate() or dato < placement.startdato:
        raise ArbeidsboksError({"dato": "Evalueringsdatoen må være mellom startdatoen og i dag."})
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


def _state_measure_errors(*, type: str, leverandor: str, fra: datetime.date, til: datetime.date | None,
                          oremerket: bool) -> dict[str, str]:
    errors = {}
    if type not in TiltakType.values:
        errors["type"] = "Velg et tiltak."
    if not leverandor.strip():
        errors["leverandor"] = "Skriv hvem som er tiltaksarrangør."
    return errors


@transaction.atomic
def state_measure_create(
    *, deltaker: Deltaker, actor: Actor, type: str, leverandor: str, fra: datetime.date, til: datetime.date | None = None,
    oremerket: bool = False,
) -> StatligTiltak:
    """Records a state measure. The pilot's earmarked places of arbeid med bistand (20) are
    counted under the office's row lock, so they are never overbooked."""
    if deltaker.status == Lopsstatus.KANDIDAT:
        raise ArbeidsboksError("Bare deltakere som er henvist til Alna Aktiv, kan få registrert tiltak.")
    errors = _state_measure_errors(type=type, leverandor=leverandor, fra=fra, til=til, oremerket=oremerket)
    if errors:
        raise ArbeidsboksError(errors)
    measure = StatligTiltak(deltaker=deltaker, type=type, leverandor=leverandor.strip(), fra=fra, til=til,
                            oremerket=oremerket, created_by=actor.user)
    ArbeidsboksError.full_clean(measure)  # the rules of the row itself, before those on other rows
    if oremerket:
        Office.objects.select_for_update().get(pk=deltaker.office_id)
        if earmarked_in_use(deltaker.office_id, fra) >= earmarked_places():
            raise ArbeidsboksError({"oremerket": f"Alle {earmarked_places()} øremerkede plasser i arbeid med bistand "
                                                 "er i bruk."})
    measure.save()
    _audit(actor, "create", obj=measure, deltaker=deltaker)
    today = timezone.localdate()
    # A running measure puts an avklart participant in activity from its start; one that has
    # ended already or starts later does not (docs/domain.md §3.7).
    measure.course_event = (course_activity_started(deltaker=deltaker, on_date=fra, actor=actor,
                                                    comment=f"Statlig tiltak startet: {measure.get_type_display()}")
                            if fra <= today and (til is None or til >= today) else None)
    return measure
