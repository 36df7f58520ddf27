"""Changing what the veileder knows of a person: language, interpreter need, education and
contact details (issue 16). The register import writes forstesprak and tolk the same way in
bulk (cases.imports.registers)."""
import hashlib
import json

from django.db import transaction

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from cases.models import Deltaker, Person

PERSON_DETAIL_FIELDS = ["forstesprak", "tolk", "tolkesprak", "utdanningsniva", "utdanning_godkjent", "telefon",
                        "epost", "skriftsprak"]
PERSON_DETAILS_CONFLICT = ("Noen andre har gjort dette før deg: språk, utdanning eller kontaktopplysninger ble endret "
                           "etter at du åpnet siden. Siden viser nå det som er lagret. Gjør endringen på nytt om den "
                           "fortsatt trengs.")

# The message of the constraint person_tolkesprak_only_with_tolk, for the case it lets through.
TOLKESPRAK_WITHOUT_TOLK = next(constraint.violation_error_message for constraint in Person._meta.constraints
                               if constraint.name == "person_tolkesprak_only_with_tolk")


class PersonError(DomainError):
    """A refused change of a person's details; the message is shown to the user as it is."""


def person_details_seen(person: Person) -> str:
    """A short fingerprint of the stored details: the edit form carries the one its page showed.
    Person has no version column, and these values are all a save could overwrite."""
    values = json.dumps([getattr(person, name) for name in PERSON_DETAIL_FIELDS])
    return hashlib.sha256(values.encode()).hexdigest()[:20]


@transaction.atomic
def person_update_details(*, deltaker: Deltaker, actor: Actor, seen: str, forstesprak: str, tolk: bool | None,
                          tolkesprak: str, utdanningsniva: str, utdanning_godkjent: bool | None, telefon: str,
                          epost: str, skriftsprak: str) -> Person:
    """The participant's person gets these details. Under the person's row lock, a save from a
    page that showed other stored values (`seen`) is refused, so two people editing at once never
    silently overwrite each other. The model's constraints hold the rules of one row (language
    codes, an interpreter language only with an interpreter), each refusal at its field. One audit
    entry names the user; nothing is written when nothing changed."""
    person = Person.objects.select_for_update().get(pk=deltaker.person_id)
    if seen != person_details_seen(person):
        raise PersonError(PERSON_DETAILS_CONFLICT)
    wanted = {"forstesprak": forstesprak, "tolk": tolk, "tolkesprak": tolkesprak, "utdanningsniva": utdanningsniva,
              "utdanning_godkjent": utdanning_godkjent, "telefon": telefon.strip(), "epost": epost.strip(),
              "skriftsprak": skriftsprak}
    if tolkesprak and tolk is not True:
        # The constraint lets an unknown need (NULL) pass, as SQL does; an interpreter language still
        # only makes sense when an interpreter is needed.
        raise PersonError({"tolkesprak": TOLKESPRAK_WITHOUT_TOLK})
    changed = [name for name, value in wanted.items() if getattr(person, name) != value]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, wanted[name])
    PersonError.full_clean(person, exclude=["fnr"])  # the number is not edited here
    person.save(update_fields=changed)
    audit.record_change("update", actor=actor, obj=person, person=person, office=deltaker.office.enhetsnummer)
    return person
