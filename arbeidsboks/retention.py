"""Personvern og sletting, the Arbeidsboks part (docs/deploy.md): the anonymisation of a
person's placements, attendance and evaluations. Run by the frame, alnaaktiv/retention.py."""
from arbeidsboks.models import Evaluering, Frammote, Plassering, Retting
from cases.models import Person
from cases.retention import Change, replace_text


def anonymise_person_data(person: Person) -> list[Change]:
    """Goals, free-text end reasons, absence reasons and evaluation comments describe the person
    and go; the placement itself (work area, kind, dates, hours, status, reason code), the
    attendance hours and the scores stay, as the work area's capacity history. Corrections keep
    who and when, not what they said. The on-site
    supervisor is the enterprise's employee, not the participant, and stays."""
    plasseringer = Plassering.objects.filter(deltaker__person=person)
    changes: list[Change] = []
    changes += replace_text(plasseringer, "mal", "sluttarsak_tekst")
    changes += replace_text(Frammote.objects.filter(plassering__in=plasseringer), "fravaer_grunn")
    changes += replace_text(Evaluering.objects.filter(plassering__in=plasseringer), "kommentar",
                            blank_allowed=("kommentar",))
    # A correction repeats old and new goals and absence reasons, and says why in free text.
    changes += replace_text(Retting.objects.filter(plassering__in=plasseringer), "endringer", "begrunnelse")
    return changes
