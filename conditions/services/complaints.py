"""Complaints (klage, issue 16) against a vedtak on economic assistance or against a signed
version of the § 14 a assessment: registered with when the person got the decision and when the
complaint came, checked against the three-week deadline (forvaltningsloven § 29; a late one is
considered only when someone says so, § 31), and followed through its status to an outcome.
Each service enforces its rule, writes an audit entry and refuses with a Norwegian message at the
field that leaves nothing changed; a status change is version-checked under a row lock."""
import datetime

from django.db import transaction
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases.models import Arbeidsevnevurdering, Deltaker, Person, VurderingStatus
from conditions.models import Vedtak
from conditions.models.complaints import Klage, KlageStatus
from conditions.services.common import ConditionsError

# The vedtak unit registers and follows complaints on its vedtak; NAV's people who follow the
# participant do so for the § 14 a assessment.
VEDTAK_COMPLAINT_ROLES = (Role.VEDTAK, Role.LEDER)
ASSESSMENT_COMPLAINT_ROLES = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
# Which status may follow which; «avgjort» is final.
NEXT_STATUS = {
    KlageStatus.MOTTATT: (KlageStatus.UNDER_BEHANDLING, KlageStatus.OVERSENDT, KlageStatus.AVGJORT),
    KlageStatus.UNDER_BEHANDLING: (KlageStatus.OVERSENDT, KlageStatus.AVGJORT),
    KlageStatus.OVERSENDT: (KlageStatus.AVGJORT,),
    KlageStatus.AVGJORT: (),
}
CHANGED_BY_SOMEONE_ELSE = ("Noen andre har endret klagen etter at du åpnet siden. "
                           "Siden viser nå det som gjelder; se over og prøv igjen.")


def complaint_roles(klage: Klage) -> tuple[str, ...]:
    return VEDTAK_COMPLAINT_ROLES if klage.vedtak_id else ASSESSMENT_COMPLAINT_ROLES


def late_question(vedtak_mottatt: datetime.date) -> str:
    frist = vedtak_mottatt + datetime.timedelta(weeks=3)
    return (f"Klagefristen gikk ut {frist:%d.%m.%Y}. Velg om klagen skal behandles likevel "
            "(forvaltningsloven § 31).")


def _dates_errors(vedtak_mottatt, mottatt, made: datetime.date | None) -> dict[str, str]:
    today, errors = timezone.localdate(), {}
    if vedtak_mottatt and vedtak_mottatt > today:
        errors["vedtak_mottatt"] = "Datoen kan ikke være fram i tid."
    elif vedtak_mottatt and made and vedtak_mottatt < made:
        # Otherwise a complaint in time would be judged late by a deadline that ran before the decision.
        errors["vedtak_mottatt"] = f"Vedtaket ble fattet {made:%d.%m.%Y}. Klageren kan ikke ha fått det før."
    if mottatt and mottatt > today:
        errors["mottatt"] = "Klagen kan ikke ha kommet fram i tid."
    if vedtak_mottatt and mottatt and mottatt < vedtak_mottatt:
        errors["mottatt"] = "Klagen kan ikke ha kommet før klageren fikk vedtaket."
    return errors


def _register(
    *, actor: Actor, office, person: Person, vedtak_mottatt: datetime.date, mottatt: datetime.date,
    hva_klagen_gjelder: str, behandles_etter_frist: bool | None, made: datetime.date | None, **decision,
) -> Klage:
    errors = _dates_errors(vedtak_mottatt, mottatt, made)
    if errors:
        raise ConditionsError(errors)
    klage = Klage(office=office, person=person, vedtak_mottatt=vedtak_mottatt, mottatt=mottatt,
                  hva_klagen_gjelder=(hva_klagen_gjelder or "").strip(), registrert_av=actor.user, **decision)
    if klage.within_deadline:
        klage.behandles_etter_frist = None
    elif behandles_etter_frist is None:
        raise ConditionsError({"behandles_etter_frist": late_question(vedtak_mottatt)})
    else:
        klage.behandles_etter_frist = behandles_etter_frist
    ConditionsError.full_clean(klage)
    klage.save()
    audit.record_change("create", actor=actor, obj=klage, person=person, office=office.enhetsnummer)
    return klage


@transaction.atomic
def klage_register_vedtak(
    *, vedtak: Vedtak, person: Person, actor: Actor, vedtak_mottatt: datetime.date, mottatt: datetime.date,
    hva_klagen_gjelder: str, behandles_etter_frist: bool | None = None,
) -> Klage:
    """A complaint against a vedtak that has been made, by a member of its household, registered
    by the vedtak unit of the vedtak's office."""
    if not access.has_role(actor.user, *VEDTAK_COMPLAINT_ROLES, office=vedtak.office.enhetsnummer):
        raise ConditionsError("Bare vedtaksavdelingen ved kontoret kan registrere en klage på vedtaket.")
    if not vedtak.resultat:
        raise ConditionsError("Vedtaket er ikke fattet ennå; det er ingenting å klage på.")
    if person.pk not in (vedtak.sak.hovedperson_id, vedtak.sak.ektefelle_id):
        raise ConditionsError({"klager": "Velg en av personene i saken."})
    return _register(actor=actor, office=vedtak.office, person=person, vedtak=vedtak, vedtak_mottatt=vedtak_mottatt,
                     mottatt=mottatt, hva_klagen_gjelder=hva_klagen_gjelder,
                     behandles_etter_frist=behandles_etter_frist, made=vedtak.vedtaksdato)


@transaction.atomic
def klage_register_vurdering(
    *, deltaker: Deltaker, vurdering: Arbeidsevnevurdering | None, actor: Actor, vedtak_mottatt: datetime.date,
    mottatt: datetime.date, hva_klagen_gjelder: str, behandles_etter_frist: bool | None = None,
) -> Klage:
    """A complaint against a signed version of the participant's § 14 a assessment (a draft is
    no decision), registered by the veileder, hovedveileder or prosjektleder of the office."""
    if not access.has_role(actor.user, *ASSESSMENT_COMPLAINT_ROLES, office=deltaker.office.enhetsnummer):
        raise ConditionsError("Bare veileder, hovedveileder eller prosjektleder ved kontoret kan registrere "
                              "en klage på § 14 a-vedtaket.")
    if vurdering is None or vurdering.deltaker_id != deltaker.pk or vurdering.status != VurderingStatus.SIGNERT:
        raise ConditionsError({"versjon": "Velg en signert versjon av arbeidsevnevurderingen."})
    return _register(actor=actor, office=deltaker.office, person=deltaker.person, vurdering=vurdering,
                     vedtak_mottatt=vedtak_mottatt, mottatt=mottatt, hva_klagen_gjelder=hva_klagen_gjelder,
                     behandles_etter_frist=behandles_etter_frist,
                     made=timezone.localdate(vurdering.signed_at) if vurdering.signed_at else None)


def _outcome_errors(klage: Klage, status: str, utfall: str, avgjort_dato) -> dict[str, str]:
    """Outcome and date come with «avgjort», and only then."""
    errors = {}
    if status != KlageStatus.AVGJORT:
        if utfall or avgjort_dato:
            errors["status"] = "Utfall og dato registreres når klagen er avgjort: velg «Avgjort»."
        return errors
    if not utfall:
        errors["utfall"] = "Velg utfallet av klagen."
    if avgjort_dato is None:
        errors["avgjort_dato"] = "Oppgi datoen klagen ble avgjort."
    elif avgjort_dato > timezone.localdate():
        errors["avgjort_dato"] = "Datoen kan ikke være fram i tid."
    elif avgjort_dato < klage.mottatt:
        errors["avgjort_dato"] = "Klagen kan ikke være avgjort før den kom inn."
    return errors


@transaction.atomic
def klage_update(
    *, klage: Klage, actor: Actor, version: int | None, status: str, utfall: str = "",
    avgjort_dato: datetime.date | None = None, utfall_begrunnelse: str = "",
) -> Klage:
    """Moves the complaint on: mottatt → under behandling → sendt til Statsforvalteren or avgjort
    (with outcome and date, not in the future nor before the complaint came). Two people at once:
    the second is refused with the complaint as it now is."""
    locked = Klage.objects.select_for_update().select_related("office", "person").get(pk=klage.pk)
    if not access.has_role(actor.user, *complaint_roles(locked), office=locked.office.enhetsnummer):
        raise ConditionsError("Du kan ikke endre denne klagen.")
    if version is None or version != locked.version:
        raise ConditionsError(CHANGED_BY_SOMEONE_ELSE)
    if status not in NEXT_STATUS[locked.status]:
        if locked.status == KlageStatus.AVGJORT:
            raise ConditionsError("Klagen er avgjort og kan ikke endres.")
        raise ConditionsError({"status": f"Klagen kan ikke gå fra «{locked.get_status_display()}» til den valgte "
                                         "statusen."})
    errors = _outcome_errors(locked, status, utfall, avgjort_dato)
    if errors:
        raise ConditionsError(errors)
    locked.status = status
    if status == KlageStatus.AVGJORT:
        locked.utfall, locked.avgjort_dato = utfall, avgjort_dato
        locked.utfall_begrunnelse = (utfall_begrunnelse or "").strip()
    locked.version += 1
    ConditionsError.full_clean(locked)
    locked.save()
    audit.record_change("update", actor=actor, obj=locked, person=locked.person, office=locked.office.enhetsnummer)
    klage.status, klage.version = locked.status, locked.version
    return locked
