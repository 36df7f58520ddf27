"""Writes of Alna Aktiv's kartlegging and avklaring (docs/domain.md §3): starting and recording the
mapping, the § 14 a assessment with signing and a second approver, the activity plan and the
route that makes the participant `avklart`. Each service enforces its rule, writes an audit entry
and refuses with a Norwegian message that leaves nothing changed."""
import datetime

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import Role
from alnaaktiv.templatetags.norsk import flertall
from cases.choices import Innsatsgruppe
from cases.models import (
    Aktivitet,
    Aktivitetsstatus,
    Aktivitetstype,
    Arbeidsevnevurdering,
    Deltaker,
    Kartlegging,
    KartleggingOmrade,
    KlartJegKanUke,
    Lopsstatus,
    Omrade,
    OmradeVurdering,
    Rute,
    Tilbakeforing,
    TilbakeforingAngring,
    VurderingStatus,
)
from cases.models.mapping import COURSE_ACTIVITY_TYPES, FINISHED_STATUSES, PARTS
from cases.selectors.participants import has_started_activity
from cases.services.attendance_hooks import KILDE_KLART_JEG_KAN, TILBUD_ALNA_AKTIV, Attendance, attendance_recorded
from cases.services.course import course_activity_started, course_transition

# Routes that hand the case back to the hovedveileder (docs/domain.md §3); the others stay in Alna Aktiv.
# Who works on the mapping: NAV's veileder and KAREA of the participant's office.
MAPPING_WORKERS = (Role.VEILEDER, Role.KAREA)
HANDBACK_ROUTES = (Rute.STATLIG_TILTAK, Rute.AAP_UFORE)
# States in which the mapping's results (assessment, plan) are worked on.
MAPPED_STATES = (Lopsstatus.I_KARTLEGGING, Lopsstatus.AVKLART, Lopsstatus.I_AKTIVITET)
KARTLEGGING_FIELDS = (*Kartlegging.METHOD_FIELDS, "jobbonsker", "arbeidshistorikk", "test_norsk", "test_regning",
                      "test_digital", "arbeidsevneformel")
VURDERING_FIELDS = ("del_a", "del_b", "del_c", "del_d", "del_e", "innsatsgruppe", "hovedmal", "begrunnelse")
AKTIVITET_FIELDS = ("type", "beskrivelse", "fra_dato", "til_dato", "avtalt", "status", "soknader_per_uke",
                    "avbrutt_begrunnelse")



class MappingError(DomainError):
    """A refused change of the mapping, assessment, plan or route; shown to the user as it is."""

def _audit(actor: Actor, action: str, *, obj, deltaker: Deltaker) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=deltaker.person,
                        office=deltaker.office.enhetsnummer)


def _locked_deltaker(deltaker: Deltaker) -> Deltaker:
    return Deltaker.objects.select_for_update().select_related("person", "office").get(pk=deltaker.pk)


# --- kartlegging -------------------------------------------------------------------------------

def _imported_without_kartlegging(deltaker: Deltaker, kartlegging_exists: bool | None) -> bool:
    if deltaker.status != Lopsstatus.I_KARTLEGGING:
        return False
    if kartlegging_exists is None:
        kartlegging_exists = Kartlegging.objects.filter(deltaker=deltaker).exists()
    return not kartlegging_exists


def mapping_start_refusal(user, deltaker: Deltaker, *, kartlegging_exists: bool | None = None) -> str | None:
    """Why `user` may not start the mapping of `deltaker`, or None: a veileder or KAREA of the
    participant's office, once the participant has met (or when a course imported as already
    `i_kartlegging` has no record yet). The pages' «Start kartlegging» and the service ask this one
    question; a page that knows whether the record exists passes `kartlegging_exists`."""
    if not access.has_role(user, *MAPPING_WORKERS, office=deltaker.office.enhetsnummer):
        return "Bare veileder eller KAREA ved deltakerens kontor kan starte kartleggingen."
    if deltaker.status != Lopsstatus.MOTT and not _imported_without_kartlegging(deltaker, kartlegging_exists):
        return f"Kartlegging kan bare startes når deltakeren har møtt (status nå: «{Lopsstatus(deltaker.status).label}»)."
    return None


@transaction.atomic
def mapping_start(*, deltaker: Deltaker, actor: Actor, on_date: datetime.date) -> Kartlegging:
    """Starts the mapping of a participant who has met: the course moves to `i_kartlegging`. A
    course imported as already `i_kartlegging` (import_participants) gets its record from the
    imported date, without a new transition."""
    locked = _locked_deltaker(deltaker)
    refusal = mapping_start_refusal(actor.user, locked)
    if refusal:
        raise MappingError(refusal)
    if locked.status == Lopsstatus.I_KARTLEGGING:
        on_date = locked.status_dato
    else:
        course_transition(deltaker=locked, to_state=Lopsstatus.I_KARTLEGGING, on_date=on_date, actor=actor)
    kartlegging = Kartlegging(deltaker=locked, started_on=on_date, started_by=actor.user, updated_by=actor.user)
    MappingError.full_clean(kartlegging)
    kartlegging.save()
    if locked.veileder_id is None and not _is_karea_only(actor.user, locked):
        Deltaker.objects.filter(pk=locked.pk).update(veileder=actor.user)
    _audit(actor, "create", obj=kartlegging, deltaker=locked)
    deltaker.status, deltaker.status_dato = locked.status, locked.status_dato
    return kartlegging


def _is_karea_only(user, deltaker: Deltaker) -> bool:
    return not access.has_role(user, Role.VEILEDER, office=deltaker.office.enhetsnummer)


def _open_kartlegging(deltaker: Deltaker) -> Kartlegging:
    kartlegging = Kartlegging.objects.select_for_update().filter(deltaker=deltaker).first()
    if kartlegging is None:
        raise MappingError("Kartleggingen er ikke startet.")
    if kartlegging.closed_on is not None:
        raise MappingError("Kartleggingen er avsluttet fordi ruten er valgt, og kan ikke endres.")
    return kartlegging


def _area_errors(omrader: dict[str, tuple[str, str]]) -> dict[str, str]:
    """An area needs both a choice (resource or barrier) and a short assessment, or neither; keyed
    by the page's field of each area (omrade_<code>, notat_<code>), where the error is shown."""
    errors = {}
    for code, (vurdering, notat) in omrader.items():
        label = Omrade(code).label
        if vurdering and vurdering not in OmradeVurdering.values:
            errors[f"omrade_{code}"] = f"Ugyldig vurdering for «{label}»."
        elif vurdering and not notat.strip():
            errors[f"notat_{code}"] = f"Skriv en kort vurdering for «{label}»."
        elif notat.strip() and not vurdering:
            errors[f"omrade_{code}"] = f"Velg om «{label}» er en ressurs eller en barriere."
    return errors


def _save_areas(kartlegging: Kartlegging, omrader: dict[str, tuple[str, str]]) -> None:
    """One row per assessed area; an area set back to «Ikke kartlagt» loses its row."""
    existing = {row.omrade: row for row in kartlegging.omrader.all()}
    for code, (vurdering, notat) in omrader.items():
        row = existing.get(code)
        if not vurdering:
            if row is not None:
                row.delete()
            continue
        row = row or KartleggingOmrade(kartlegging=kartlegging, omrade=code)
        row.vurdering, row.notat = vurdering, notat.strip()
        MappingError.full_clean(row)
        row.save()


@transaction.atomic
def mapping_update(
    *, deltaker: Deltaker, actor: Actor, fields: dict, omrader: dict[str, tuple[str, str]],
) -> Kartlegging:
    """Records methods, job wishes, work history, test results and, for each area, whether it is
    a resource or a barrier with a short assessment. An area needs both or neither."""
    kartlegging = _open_kartlegging(deltaker)
    errors = _area_errors(omrader)
    if errors:
        raise MappingError(errors)
    for name in KARTLEGGING_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(kartlegging, name, value.strip() if isinstance(value, str) else value)
    kartlegging.updated_by = actor.user
    MappingError.full_clean(kartlegging)
    kartlegging.save()
    _save_areas(kartlegging, omrader)
    _audit(actor, "update", obj=kartlegging, deltaker=deltaker)
    return kartlegging


def _week_day(kartlegging: Kartlegging, uke: int) -> datetime.date:
    """The day a «Klart jeg kan» week documents: its last weekday counted from the mapping's
    start (the registration day if that is still ahead)."""
    return min(kartlegging.started_on + datetime.timedelta(days=7 * (uke - 1) + 4), timezone.localdate())


@transaction.atomic
def klart_jeg_kan_register(
    *, deltaker: Deltaker, actor: Actor, uke: int, planlagte_dager: int, mott_dager: int, kommentar: str = "",
    fravaer_godkjent: int = 0,
) -> KlartJegKanUke:
    """Attendance in one of the four weeks of «Klart jeg kan»; registering a week again corrects it.
    The week documents the person's vilkår on Alna Aktiv's meetings (and corrects it again)."""
    kartlegging = _open_kartlegging(deltaker)
    week = KlartJegKanUke.objects.filter(kartlegging=kartlegging, uke=uke).first() or KlartJegKanUke(
        kartlegging=kartlegging, uke=uke)
    week.planlagte_dager, week.mott_dager, week.kommentar, week.registered_by = (
        planlagte_dager, mott_dager, kommentar.strip(), actor.user)
    week.fravaer_godkjent = fravaer_godkjent
    action = "update" if week.pk else "create"
    MappingError.full_clean(week)
    week.save()
    if not kartlegging.metode_klart_jeg_kan:
        kartlegging.metode_klart_jeg_kan = True
        kartlegging.save(update_fields=["metode_klart_jeg_kan"])
    _audit(actor, action, obj=week, deltaker=deltaker)
    missed = week.planlagte_dager - week.mott_dager
    attendance_recorded(Attendance(
        person_id=deltaker.person_id, tilbud=TILBUD_ALNA_AKTIV, kilde=KILDE_KLART_JEG_KAN,
        kilde_ref=f"kjk:{kartlegging.pk}:{uke}", on_date=_week_day(kartlegging, uke),
        planlagte_dager=week.planlagte_dager, oppmotte_dager=week.mott_dager, fravaer_godkjent=week.fravaer_godkjent,
        hendelse=(f"«Klart jeg kan» uke {uke}: møtt {week.mott_dager} av {flertall(week.planlagte_dager, 'dag,dager')}"
                  + (f", fravær {flertall(missed, 'dag,dager')} ({week.fravaer_godkjent} godkjent)" if missed else "")
                  + (f". {week.kommentar}" if week.kommentar else "")),
    ), actor)
    return week


# --- arbeidsevnevurdering ----------------------------------------------------------------------

def _require_mapped(deltaker: Deltaker, what: str) -> None:
    if deltaker.status not in MAPPED_STATES:
        raise MappingError(f"{what} kan bare lages når kartleggingen er startet og løpet ikke er avsluttet.")


def _apply_vurdering_fields(vurdering: Arbeidsevnevurdering, fields: dict) -> bool:
    """Puts the form's text on the draft; True when anything changed."""
    changed = False
    for name in VURDERING_FIELDS:
        if name in fields:
            value = (fields[name] or "").strip()
            changed = changed or getattr(vurdering, name) != value
            setattr(vurdering, name, value)
    if vurdering.innsatsgruppe and vurdering.innsatsgruppe not in Innsatsgruppe.values:
        raise MappingError({"innsatsgruppe": "Velg en gyldig innsatsgruppe."})
    return changed


@transaction.atomic
def assessment_save(*, deltaker: Deltaker, actor: Actor, fields: dict) -> Arbeidsevnevurdering:
    """Saves the open draft (the first version is created on the first save). A signed version
    is never edited, and one waiting for its second approver is not edited either. Every save
    makes its user one of the draft's authors (see Arbeidsevnevurdering), who may then not be its
    second approver."""
    locked = _locked_deltaker(deltaker)
    _require_mapped(locked, "Arbeidsevnevurderingen")
    versions = list(Arbeidsevnevurdering.objects.select_for_update().filter(deltaker=locked).order_by("-versjon"))
    open_version = next((v for v in versions if v.status != VurderingStatus.SIGNERT), None)
    if open_version is not None and open_version.status == VurderingStatus.TIL_GODKJENNING:
        raise MappingError("Vurderingen venter på andre godkjenner og kan ikke endres nå.")
    if open_version is None and versions:
        raise MappingError("En signert arbeidsevnevurdering kan ikke endres. Lag en ny versjon.")
    vurdering = open_version or Arbeidsevnevurdering(deltaker=locked, versjon=1, created_by=actor.user)
    _apply_vurdering_fields(vurdering, fields)
    vurdering.updated_by = actor.user
    action = "update" if vurdering.pk else "create"
    MappingError.full_clean(vurdering)
    vurdering.save()
    vurdering.authors.add(actor.user)
    _audit(actor, action, obj=vurdering, deltaker=locked)
    return vurdering


@transaction.atomic
def assessment_new_version(*, deltaker: Deltaker, actor: Actor) -> Arbeidsevnevurdering:
    """A new draft version that starts as a copy of the signed one, which stays as it was. Its
    authors are the user who made the copy and every author of the signed version: the copied
    text is theirs, so none of them may approve it as the second approver."""
    locked = _locked_deltaker(deltaker)
    _require_mapped(locked, "En ny versjon av arbeidsevnevurderingen")
    versions = list(Arbeidsevnevurdering.objects.select_for_update().filter(deltaker=locked).order_by("-versjon"))
    if any(v.status != VurderingStatus.SIGNERT for v in versions):
        raise MappingError("Det finnes allerede en versjon som ikke er signert. Fullfør den først.")
    if not versions:
        raise MappingError("Det finnes ingen signert vurdering å lage en ny versjon av.")
    signed = versions[0]
    draft = Arbeidsevnevurdering(
        deltaker=locked, versjon=signed.versjon + 1, created_by=actor.user, updated_by=actor.user, replaces=signed,
        **{name: getattr(signed, name) for name in VURDERING_FIELDS},
    )
    MappingError.full_clean(draft)
    draft.save()
    draft.authors.add(actor.user, *signed.authors.all())
    _audit(actor, "create", obj=draft, deltaker=locked)
    return draft


def _locked_vurdering(vurdering: Arbeidsevnevurdering) -> Arbeidsevnevurdering:
    return Arbeidsevnevurdering.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(
        pk=vurdering.pk)


def assessment_sign_field_errors(vurdering: Arbeidsevnevurdering) -> dict[str, str]:
    """The rules of NAV's § 14 a tool, each at its field: every part, a group and a main goal,
    and a written justification unless the group is `standard`."""
    errors = {name: f"Fyll ut «{heading}»." for name, heading in PARTS if not getattr(vurdering, name).strip()}
    if not vurdering.innsatsgruppe:
        errors["innsatsgruppe"] = "Velg innsatsgruppe."
    if not vurdering.hovedmal:
        errors["hovedmal"] = "Velg hovedmål."
    if vurdering.innsatsgruppe and vurdering.innsatsgruppe != Innsatsgruppe.STANDARD and not vurdering.begrunnelse.strip():
        errors["begrunnelse"] = (
            "Skriv en begrunnelse for innsatsgruppen. Den kreves for alle grupper unntatt standard innsats.")
    return errors


def assessment_sign_errors(vurdering: Arbeidsevnevurdering) -> list[str]:
    return list(assessment_sign_field_errors(vurdering).values())


def assessment_sign_refusal(*, vurdering: Arbeidsevnevurdering, fields: dict) -> MappingError | None:
    """Why the draft as it is on screen (`fields`) cannot be signed, or None: asked before the
    confirmation, so a refused signing goes back to the form and never to «Bekreft». Writes nothing."""
    if vurdering.status != VurderingStatus.UTKAST:
        return MappingError("Bare et utkast kan signeres.")
    on_screen = Arbeidsevnevurdering(**{name: getattr(vurdering, name) for name in VURDERING_FIELDS})
    try:
        _apply_vurdering_fields(on_screen, fields)
    except MappingError as error:
        return error
    errors = assessment_sign_field_errors(on_screen)
    return MappingError(errors) if errors else None


def assessment_approve_refusal(vurdering: Arbeidsevnevurdering, user) -> str | None:
    """Why `user` may not approve the version now (it is not waiting, or they wrote or signed
    it), or None. The page asks it before the confirmation; the service again under the lock."""
    if vurdering.status != VurderingStatus.TIL_GODKJENNING:
        return "Vurderingen venter ikke på andre godkjenner."
    return second_approver_refusal(vurdering, user)


def second_approver_refusal(vurdering: Arbeidsevnevurdering, user) -> str | None:
    """Why `user` may not be the second approver, or None if they may: the approver is neither
    one of those who wrote any part of the version nor its signer. The mapping page asks the same
    question before it offers the button."""
    # .all() so that a page which prefetched the authors asks nothing more.
    if user.pk == vurdering.created_by_id or user.pk in {author.pk for author in vurdering.authors.all()}:
        return "Andre godkjenner kan ikke være en som har skrevet i vurderingen."
    if user.pk == vurdering.signed_by_id:
        return "Andre godkjenner kan ikke være den som signerte vurderingen."
    return None


def _put_in_force(vurdering: Arbeidsevnevurdering) -> None:
    deltaker = vurdering.deltaker
    Deltaker.objects.filter(pk=deltaker.pk).update(innsatsgruppe=vurdering.innsatsgruppe)
    deltaker.innsatsgruppe = vurdering.innsatsgruppe


@transaction.atomic
def assessment_sign(*, vurdering: Arbeidsevnevurdering, actor: Actor) -> Arbeidsevnevurdering:
    """Signs a complete draft as it is saved. For the (gradert) varig groups the signature sends
    it to a second approver, and it is in force only when that person has approved it. The page
    signs with assessment_save_and_sign, which signs what is on screen."""
    vurdering = _locked_vurdering(vurdering)
    if vurdering.status != VurderingStatus.UTKAST:
        raise MappingError("Bare et utkast kan signeres.")
    return _sign(vurdering, actor)


@transaction.atomic
def assessment_save_and_sign(
    *, deltaker: Deltaker, vurdering: Arbeidsevnevurdering, actor: Actor, fields: dict,
) -> Arbeidsevnevurdering:
    """Saves the draft exactly as it was on the signer's screen and signs it, in one transaction:
    what is signed is what was confirmed, never an older saved text. Refused (and nothing saved)
    when the version is no longer the open draft or the text is incomplete, each error at its field.
    The signer becomes an author only when the text on screen differed from the saved draft."""
    locked_deltaker = _locked_deltaker(deltaker)
    open_version = (Arbeidsevnevurdering.objects.select_for_update().select_related("deltaker__person", "deltaker__office")
                    .filter(deltaker=locked_deltaker).exclude(status=VurderingStatus.SIGNERT).first())
    if open_version is None or open_version.pk != vurdering.pk or open_version.status != VurderingStatus.UTKAST:
        raise MappingError("Versjonen er ikke lenger et utkast som kan signeres. Last siden på nytt.")
    changed = _apply_vurdering_fields(open_version, fields)
    errors = assessment_sign_field_errors(open_version)
    if errors:
        raise MappingError(errors)
    if changed:
        open_version.updated_by = actor.user
        MappingError.full_clean(open_version)
        open_version.save()
        open_version.authors.add(actor.user)
        _audit(actor, "update", obj=open_version, deltaker=locked_deltaker)
    return _sign(open_version, actor)


def _sign(vurdering: Arbeidsevnevurdering, actor: Actor) -> Arbeidsevnevurdering:
    """The signature on a locked draft."""
    errors = assessment_sign_field_errors(vurdering)
    if errors:
        raise MappingError(errors)
    vurdering.signed_by = actor.user
    if vurdering.needs_second_approver:
        vurdering.status = VurderingStatus.TIL_GODKJENNING
    else:
        vurdering.status, vurdering.signed_at = VurderingStatus.SIGNERT, timezone.now()
    MappingError.full_clean(vurdering)
    vurdering.save()
    if vurdering.status == VurderingStatus.SIGNERT:
        _put_in_force(vurdering)
    _audit(actor, "update", obj=vurdering, deltaker=vurdering.deltaker)
    return vurdering


@transaction.atomic
def assessment_approve(*, vurdering: Arbeidsevnevurdering, actor: Actor) -> Arbeidsevnevurdering:
    """The second approver of a varig group: never its signer nor anyone who wrote any part of
    it (every author, not only the one who created the row)."""
    vurdering = _locked_vurdering(vurdering)
    refusal = assessment_approve_refusal(vurdering, actor.user)
    if refusal:
        raise MappingError(refusal)
    now = timezone.now()
    vurdering.status, vurdering.approved_by, vurdering.approved_at, vurdering.signed_at = VurderingStatus.SIGNERT, actor.user, now, now
    MappingError.full_clean(vurdering)
    vurdering.save()
    _put_in_force(vurdering)
    _audit(actor, "update", obj=vurdering, deltaker=vurdering.deltaker)
    return vurdering


@transaction.atomic
def assessment_return(*, vurdering: Arbeidsevnevurdering, actor: Actor) -> Arbeidsevnevurdering:
    """The second approver sends the assessment back to draft for changes."""
    vurdering = _locked_vurdering(vurdering)
    if vurdering.status != VurderingStatus.TIL_GODKJENNING:
        raise MappingError("Vurderingen venter ikke på andre godkjenner.")
    vurdering.status, vurdering.signed_by = VurderingStatus.UTKAST, None
    MappingError.full_clean(vurdering)
    vurdering.save()
    _audit(actor, "update", obj=vurdering, deltaker=vurdering.deltaker)
    return vurdering


# --- aktivitetsplan ----------------------------------------------------------------------------

def _activity_errors(values: dict, *, new: bool) -> dict[str, list[str]]:
    """The plan's rules, each error at the field of the activity form it is about."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (values.get("beskrivelse") or "").strip():
        refuse("beskrivelse", "Skriv en beskrivelse av aktiviteten.")
    if values.get("type") not in Aktivitetstype.values:
        refuse("type", "Velg en gyldig aktivitetstype.")
    if values.get("status") not in Aktivitetsstatus.values:
        refuse("status", "Velg en gyldig status.")
    quantity = values.get("soknader_per_uke")
    if values.get("type") == Aktivitetstype.JOBBSOKING and not quantity:
        refuse("soknader_per_uke", "Skriv hvor mange søknader per uke som er avtalt for jobbsøkingen.")
    if values.get("type") != Aktivitetstype.JOBBSOKING and quantity:
        refuse("soknader_per_uke", "Antall søknader per uke gjelder bare jobbsøking.")
    if new and values.get("status") in FINISHED_STATUSES:
        refuse("status", "En ny aktivitet kan ikke registreres som fullført eller avbrutt.")
    return errors


@transaction.atomic
def activity_create(*, deltaker: Deltaker, actor: Actor, fields: dict) -> Aktivitet:
    """A new activity in the participant's plan; job search holds the agreed applications per week."""
    locked = _locked_deltaker(deltaker)
    _require_mapped(locked, "Aktivitetsplanen")
    values = {"status": Aktivitetsstatus.PLANLAGT, "avtalt": False, **fields}
    errors = _activity_errors(values, new=True)
    if errors:
        raise MappingError(errors)
    aktivitet = Aktivitet(deltaker=locked, created_by=actor.user, updated_by=actor.user)
    for name in AKTIVITET_FIELDS:
        if name in values:
            setattr(aktivitet, name, values[name].strip() if isinstance(values[name], str) else values[name])
    MappingError.full_clean(aktivitet)
    aktivitet.save()
    _audit(actor, "create", obj=aktivitet, deltaker=locked)
    _start_course_activity(aktivitet, actor)
    return aktivitet


def _start_course_activity(aktivitet: Aktivitet, actor: Actor) -> None:
    """A course-like activity being carried out moves an avklart participant to `i_aktivitet`:
    from its start date, or today when that lies ahead (it is carried out now)."""
    if aktivitet.status == Aktivitetsstatus.GJENNOMFORES and aktivitet.type in COURSE_ACTIVITY_TYPES:
        course_activity_started(deltaker=aktivitet.deltaker, actor=actor,
                                on_date=min(aktivitet.fra_dato, timezone.localdate()),
                                comment=f"Aktivitet gjennomføres: {aktivitet.get_type_display()} – {aktivitet.beskrivelse}")


@transaction.atomic
def activity_update(*, aktivitet: Aktivitet, actor: Actor, fields: dict) -> Aktivitet:
    """Changes an activity; once fullført or avbrutt it is final (as in NAV's activity plan)."""
    locked = Aktivitet.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(
        pk=aktivitet.pk)
    if locked.is_finished:
        raise MappingError(f"Aktiviteten er {locked.get_status_display().lower()} og kan ikke endres.")
    values = {name: getattr(locked, name) for name in AKTIVITET_FIELDS} | fields
    errors = _activity_errors(values, new=False)
    if errors:
        raise MappingError(errors)
    started = locked.status != Aktivitetsstatus.GJENNOMFORES
    for name in AKTIVITET_FIELDS:
        setattr(locked, name, values[name].strip() if isinstance(values[name], str) else values[name])
    locked.updated_by = actor.user
    MappingError.full_clean(locked)
    locked.save()
    _audit(actor, "update", obj=locked, deltaker=locked.deltaker)
    if started:
        _start_course_activity(locked, actor)
    return locked


# --- route ------------------------------------------------------------------------------------

def route_refusal(*, deltaker: Deltaker, rute: str, comment: str = "") -> MappingError | None:
    """Why this route cannot be chosen now, or None. The page asks it before its confirmation;
    route_decide again under the row lock. Writes nothing."""
    if deltaker.status != Lopsstatus.I_KARTLEGGING:
        return MappingError("Ruten velges mens deltakeren er i kartlegging.")
    if rute not in Rute.values:
        return MappingError({"rute": "Velg en rute."})
    errors = []
    if not Arbeidsevnevurdering.objects.filter(deltaker=deltaker, status=VurderingStatus.SIGNERT).exists():
        errors.append("Arbeidsevnevurderingen må være signert før ruten velges.")
    if not Aktivitet.objects.filter(deltaker=deltaker).exclude(status=Aktivitetsstatus.AVBRUTT).exists():
        errors.append("Aktivitetsplanen må ha minst én aktivitet før ruten velges.")
    # The missing comment at the route form's field «Hva er avklart»; the rest for the whole form.
    field_errors = {NON_FIELD_ERRORS: errors} if errors else {}
    if rute in HANDBACK_ROUTES and not comment.strip():
        field_errors["comment"] = "Skriv hva som er avklart, så hovedveilederen vet hva som skal skje videre."
    return MappingError(field_errors) if field_errors else None


@transaction.atomic
def route_decide(
    *, deltaker: Deltaker, actor: Actor, rute: str, on_date: datetime.date, comment: str = "",
):
    """The end of the mapping: with a signed assessment and a plan, the route makes the
    participant `avklart`. `statlig_tiltak` and `aap_ufore` hand the case back to the
    hovedveileder, whose work list then shows what was decided."""
    locked = _locked_deltaker(deltaker)
    refusal = route_refusal(deltaker=locked, rute=rute, comment=comment)
    if refusal is not None:
        raise refusal
    signed = Arbeidsevnevurdering.objects.filter(deltaker=locked, status=VurderingStatus.SIGNERT).order_by("-versjon").first()
    event = course_transition(deltaker=locked, to_state=Lopsstatus.AVKLART, on_date=on_date, actor=actor, rute=rute,
                                comment=comment.strip())
    Kartlegging.objects.filter(deltaker=locked).update(closed_on=on_date)
    if has_started_activity(locked):
        # A placement or a course begun during the mapping: the participant is in activity already.
        course_activity_started(deltaker=locked, on_date=on_date, actor=actor,
                                comment="Rute valgt mens en aktivitet allerede pågår.")
    if rute in HANDBACK_ROUTES:
        decided = (
            f"Rute: {Rute(rute).label}. Innsatsgruppe: {Innsatsgruppe(signed.innsatsgruppe).label}, "
            f"hovedmål: {signed.get_hovedmal_display().lower()}.\n{comment.strip()}"
        )
        handback = Tilbakeforing(deltaker=locked, rute=rute, date=on_date, decided=decided, created_by=actor.user)
        MappingError.full_clean(handback)
        handback.save()
        _audit(actor, "create", obj=handback, deltaker=locked)
    deltaker.status, deltaker.status_dato = locked.status, locked.status_dato
    return event


@transaction.atomic
def handback_receive(*, tilbakeforing: Tilbakeforing, actor: Actor) -> Tilbakeforing:
    """The hovedveileder has taken the case back: it leaves the work list."""
    locked = Tilbakeforing.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(
        pk=tilbakeforing.pk)
    if locked.received_at is not None:
        raise MappingError("Tilbakeføringen er allerede markert som mottatt.")
    locked.received_at, locked.received_by = timezone.now(), actor.user
    MappingError.full_clean(locked)
    locked.save(update_fields=["received_at", "received_by"])
    _audit(actor, "update", obj=locked, deltaker=locked.deltaker)
    return locked


@transaction.atomic
def handback_undo_receipt(*, tilbakeforing: Tilbakeforing, actor: Actor, reason: str) -> TilbakeforingAngring:
    """«Mottatt» was a mistake: the hand-back is back on the work list, and who had received it,
    who undid it, when and why are kept (TilbakeforingAngring) and shown on the list."""
    locked = Tilbakeforing.objects.select_for_update().select_related("deltaker__person", "deltaker__office").get(
        pk=tilbakeforing.pk)
    if locked.received_at is None:
        raise MappingError("Tilbakeføringen er ikke markert som mottatt.")
    if not reason.strip():
        raise MappingError({"reason": "Skriv hvorfor «Mottatt» angres."})
    undo = TilbakeforingAngring(tilbakeforing=locked, received_at=locked.received_at, received_by=locked.received_by,
                                undone_at=timezone.now(), undone_by=actor.user, reason=reason.strip())
    MappingError.full_clean(undo)
    undo.save()
    locked.received_at, locked.received_by = None, None
    MappingError.full_clean(locked)
    locked.save(update_fields=["received_at", "received_by"])
    _audit(actor, "create", obj=undo, deltaker=locked.deltaker)
    _audit(actor, "update", obj=locked, deltaker=locked.deltaker)
    return undo
