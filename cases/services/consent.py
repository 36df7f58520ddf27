"""Writes on the participant's consent (samtykke) to share their information with KAREA (issue 16):
registering it and withdrawing it. KAREA reaches the participant only while a consent is in force
(cases.selectors.karea_consent_q), so a withdrawal ends KAREA's access at the moment it is saved.
Each write locks the participant's row (two people registering or withdrawing at once are
serialised: the second sees the first's consent and is refused), keeps the one-row rules in the
model's constraints (full_clean), writes an audit entry naming the user and the person and a
system note in the participant's journal, and refuses with a Norwegian message that leaves
nothing changed."""
import datetime

from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from cases.models import Deltaker, JournalEntry, Samtykke, SamtykkeMate
from cases.services.journal import journal_create

ALREADY_IN_FORCE = "Deltakeren har allerede et samtykke som gjelder. Trekk det før du registrerer et nytt."
ALREADY_WITHDRAWN = "Samtykket er allerede trukket."


class ConsentError(DomainError):
    """A refused consent change; the message is shown to the user as it is."""


def _lock(deltaker_id: int) -> Deltaker:
    return Deltaker.objects.select_for_update().select_related("person", "office").get(pk=deltaker_id)


def _not_in_future(day: datetime.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ConsentError({field: f"{what} kan ikke være fram i tid."})


def _audit(actor: Actor, action: str, samtykke: Samtykke, deltaker: Deltaker) -> None:
    audit.record_change(action, actor=actor, obj=samtykke, person=deltaker.person, office=deltaker.office.enhetsnummer)


def consent_in_force(deltaker: Deltaker) -> Samtykke | None:
    return Samtykke.objects.filter(deltaker=deltaker, trukket_at__isnull=True).first()


@transaction.atomic
def consent_register(*, deltaker: Deltaker, gitt_dato: datetime.date, mate: str, omfang: str,
                     actor: Actor) -> Samtykke:
    """Register the consent the participant gave on `gitt_dato`: not in the future, and only when
    no consent is in force (withdraw that one first). From now on KAREA sees the participant if
    they are enrolled (referred or later)."""
    locked = _lock(deltaker.pk)
    _not_in_future(gitt_dato, "gitt_dato", "Datoen samtykket ble gitt")
    if mate not in SamtykkeMate.values:
        raise ConsentError({"mate": "Velg hvordan samtykket ble gitt."})
    if not omfang.strip():
        raise ConsentError({"omfang": "Skriv hva samtykket gjelder."})
    if Samtykke.objects.filter(deltaker=locked, trukket_at__isnull=True).exists():
        raise ConsentError(ALREADY_IN_FORCE)
    samtykke = Samtykke(deltaker=locked, gitt_dato=gitt_dato, mate=mate, omfang=omfang.strip(),
                        registrert_av=actor.user)
    ConsentError.full_clean(samtykke)
    samtykke.save()
    _audit(actor, "create", samtykke, locked)
    journal_create(deltaker=locked, actor=actor, kind=JournalEntry.Kind.ANNET, on_date=gitt_dato, is_system=True,
                   text=(f"Samtykke til deling med KAREA registrert. Gitt {gitt_dato:%d.%m.%Y} "
                         f"({SamtykkeMate(mate).label.lower()})."))
    return samtykke


def consent_withdraw_refusal(samtykke: Samtykke, trukket_dato: datetime.date) -> ConsentError | None:
    """Why the consent may not be withdrawn from `trukket_dato`, or None: the one rule for the
    confirmation page and the service."""
    if samtykke.trukket_at is not None:
        return ConsentError(ALREADY_WITHDRAWN)
    if trukket_dato > timezone.localdate():
        return ConsentError({"trukket_dato": "Datoen samtykket ble trukket kan ikke være fram i tid."})
    if trukket_dato < samtykke.gitt_dato:
        return ConsentError({"trukket_dato": f"Samtykket kan ikke trekkes før det ble gitt ({samtykke.gitt_dato:%d.%m.%Y})."})
    return None


@transaction.atomic
def consent_withdraw(*, samtykke: Samtykke, trukket_dato: datetime.date, grunn: str, actor: Actor) -> Samtykke:
    """Withdraw the consent from `trukket_dato` (not in the future, not before it was given):
    KAREA loses access to the participant at the moment this is saved."""
    locked_deltaker = _lock(samtykke.deltaker_id)
    locked = Samtykke.objects.select_for_update().get(pk=samtykke.pk)
    refusal = consent_withdraw_refusal(locked, trukket_dato)
    if refusal is not None:
        raise refusal
    locked.trukket_dato, locked.trukket_at, locked.trukket_av = trukket_dato, timezone.now(), actor.user
    locked.trukket_grunn = grunn.strip()
    ConsentError.full_clean(locked)
    locked.save(update_fields=["trukket_dato", "trukket_at", "trukket_av", "trukket_grunn"])
    _audit(actor, "update", locked, locked_deltaker)
    journal_create(deltaker=locked_deltaker, actor=actor, kind=JournalEntry.Kind.ANNET, on_date=trukket_dato,
                   is_system=True,
                   text=f"Samtykke til deling med KAREA trukket fra {trukket_dato:%d.%m.%Y}. KAREA har ikke lenger tilgang.")
    return locked
