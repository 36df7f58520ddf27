"""Personvern og sletting, the cases part (docs/deploy.md): which persons are past the retention
period, and the anonymisation of what cases stores about them.

The rule (settings.RETENTION_YEARS_AFTER_COURSE, 5 years by default): a participant's personal
data is kept while any of their courses (Deltaker) is not ended, and for that many years after
the last one ended (`avsluttet`). Conditions adds its own rule on top (no vedtak open or within
its klage period, conditions.retention). The run itself, in the order arbeidsboks → conditions →
cases and audited, is the frame's: alnaaktiv/retention.py.

Anonymisation keeps every row the monthly report counts (persons with birth date, gender and
country background, participants with målgruppe and status, course events with their dates,
routes and outcomes, Oskar and Arena rows, screening exclusions) and removes or replaces what
only describes the person: name and fødselsnummer (Person's docstring), free text and notes.
A text column the database requires to be non-empty gets ANONYMISED_TEXT instead of blank."""
import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from alnaaktiv.dates import years_before
from alnaaktiv.text import search_key
from cases.models import (
    Aktivitet,
    Arbeidsevnevurdering,
    Avtale,
    CourseEvent,
    Deltaker,
    Huskelapp,
    HuskelappAngring,
    JournalEntry,
    Kartlegging,
    KartleggingOmrade,
    KlartJegKanUke,
    Lopsstatus,
    Person,
    ScreeningExclusion,
    Tilbakeforing,
    TilbakeforingAngring,
)
from cases.models.persons import pseudonym_for

ANONYMISED_TEXT = "[anonymisert]"

# One change of an anonymisation, for the audit log: action ("update" or "delete"), the
# model's label (`cases.journalentry`) and the row's id.
Change = tuple[str, str, int]


def retention_cutoff(today: datetime.date) -> datetime.date:
    """A course that ended on or before this date is past the retention period."""
    return years_before(today, settings.RETENTION_YEARS_AFTER_COURSE)


def persons_past_retention(*, today: datetime.date) -> QuerySet[Person]:
    """Persons not yet anonymised who were participants and whose every course ended on or
    before the cutoff. Register-only persons (never participants) are not selected."""
    cutoff = retention_cutoff(today)
    still_kept = Deltaker.objects.filter(person=OuterRef("pk")).exclude(
        status=Lopsstatus.AVSLUTTET, status_dato__lte=cutoff
    )
    return (
        Person.objects.filter(anonymisert_at__isnull=True)
        .filter(Exists(Deltaker.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(still_kept))
        .order_by("id")
    )


def _label(queryset: QuerySet) -> str:
    return queryset.model._meta.label_lower


def delete_rows(queryset: QuerySet) -> list[Change]:
    label = _label(queryset)
    pks = list(queryset.values_list("pk", flat=True))
    queryset.model.objects.filter(pk__in=pks).delete()
    return [("delete", label, pk) for pk in pks]


def replace_text(queryset: QuerySet, *fields: str, blank_allowed: tuple[str, ...] = ()) -> list[Change]:
    """Each field that holds text gets ANONYMISED_TEXT (or '' when in `blank_allowed`). Through
    update(): a signed assessment refuses save() on purpose, and no auto_now stamp moves."""
    label = _label(queryset)
    changed: set[int] = set()
    for field in fields:
        rows = queryset.exclude(**{field: ""})
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            value = "" if field in blank_allowed else ANONYMISED_TEXT
            queryset.model.objects.filter(pk__in=pks).update(**{field: value})
            changed.update(pks)
    return [("update", label, pk) for pk in sorted(changed)]


def anonymise_person_data(person: Person) -> list[Change]:
    """Anonymise what cases holds about `person`. Called only by alnaaktiv.retention, inside its
    transaction and after the higher apps' parts, which writes the audit entries."""
    deltakere = Deltaker.objects.filter(person=person)
    changes: list[Change] = []
    changes += delete_rows(JournalEntry.objects.filter(deltaker__in=deltakere))
    # Appointments say where and in which language the person met: not counted by any report.
    changes += delete_rows(Avtale.objects.filter(deltaker__in=deltakere))
    changes += delete_rows(HuskelappAngring.objects.filter(huskelapp__deltaker__in=deltakere))
    changes += delete_rows(Huskelapp.objects.filter(deltaker__in=deltakere))
    changes += delete_rows(KartleggingOmrade.objects.filter(kartlegging__deltaker__in=deltakere))
    changes += replace_text(
        Kartlegging.objects.filter(deltaker__in=deltakere),
        "jobbonsker", "arbeidshistorikk", "test_norsk", "test_regning", "test_digital", "arbeidsevneformel",
        blank_allowed=("jobbonsker", "arbeidshistorikk", "test_norsk", "test_regning", "test_digital",
                       "arbeidsevneformel"),
    )
    changes += replace_text(KlartJegKanUke.objects.filter(kartlegging__deltaker__in=deltakere), "kommentar",
                            blank_allowed=("kommentar",))
    # A signed version must keep all five parts filled (its constraint): the placeholder.
    changes += replace_text(Arbeidsevnevurdering.objects.filter(deltaker__in=deltakere),
                            "del_a", "del_b", "del_c", "del_d", "del_e", "begrunnelse")
    changes += replace_text(Aktivitet.objects.filter(deltaker__in=deltakere), "beskrivelse", "avbrutt_begrunnelse")
    changes += replace_text(Tilbakeforing.objects.filter(deltaker__in=deltakere), "decided")
    changes += replace_text(TilbakeforingAngring.objects.filter(tilbakeforing__deltaker__in=deltakere), "reason")
    changes += replace_text(CourseEvent.objects.filter(deltaker__in=deltakere), "comment", blank_allowed=("comment",))
    changes += replace_text(ScreeningExclusion.objects.filter(person=person), "reason", "undo_reason",
                            blank_allowed=("undo_reason",))
    # målgruppe and its source stay (the reports count them); a manual one keeps a placeholder reason.
    changes += replace_text(deltakere, "henvisningsgrunn", "malgruppe_begrunnelse",
                            blank_allowed=("henvisningsgrunn",))
    deltakere.exclude(forste_avtale=None).update(forste_avtale=None)
    anonymous_name = f"Anonymisert person {person.pk}"
    Person.objects.filter(pk=person.pk).update(
        navn=anonymous_name, navn_sok=search_key(anonymous_name), fnr=pseudonym_for(person.pk),
        anonymisert_at=timezone.now(),
    )
    changes.append(("update", Person._meta.label_lower, person.pk))
    return changes
