"""Personvern og sletting, the conditions part (docs/deploy.md): a person's data is kept while a
vedtak on their sak is open or within its klage period, and the anonymisation of vilkår,
documentation (uploaded files included) and liftings. Run by the frame, alnaaktiv/retention.py."""
import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Person
from cases.retention import Change, replace_text
from conditions.models import (
    Dokumentasjon,
    Fase,
    Forhandsvarsel,
    Jobbsoknad,
    MuligBrudd,
    Oppheving,
    Reduksjon,
    Sanksjon,
    SanksjonHendelse,
    Vedtak,
    Vilkar,
)

# Forvaltningsloven § 29: the klage period is three weeks from the decision reaching the person.
# Counted from the vedtaksdato, with one extra week for the letter to arrive.
KLAGEFRIST = datetime.timedelta(weeks=4)
OPEN_PHASES = (Fase.SOKNAD, Fase.VILKAR_APNE, Fase.KLAR, Fase.TIL_GODKJENNING)


def _vedtak_of(person_ref) -> Q:
    return Q(sak__hovedperson=person_ref) | Q(sak__ektefelle=person_ref) | Q(vilkar__person=person_ref)


def without_open_vedtak(persons: QuerySet[Person], *, today: datetime.date) -> QuerySet[Person]:
    """`persons` less those with a vedtak on their sak (as hovedperson or ektefelle, or a vilkår
    of theirs) that is not finished or was decided within the klage period."""
    keeping = Vedtak.objects.filter(_vedtak_of(OuterRef("pk"))).filter(
        Q(fase__in=OPEN_PHASES) | Q(vedtaksdato__gt=today - KLAGEFRIST)
    )
    return persons.exclude(Exists(keeping))


def _delete_files_after_commit(queryset: QuerySet, field: str) -> None:
    """Files go once the rows no longer point to them; a rolled-back run leaves both in place."""
    storage = queryset.model._meta.get_field(field).storage
    for name in queryset.exclude(**{field: ""}).values_list(field, flat=True):
        transaction.on_commit(lambda name=name: storage.delete(name))


def anonymise_person_data(person: Person) -> list[Change]:
    """Anonymise the person's vilkår and their documentation, and the vedtak and liftings of
    their sak: individual descriptions and reasons become a placeholder, uploaded documents and
    lifting forms (which print name and fødselsnummer) are deleted. Amounts, dates, statuses and
    phases stay: they are the case history the reports and the hand-over count."""
    vilkar = Vilkar.objects.filter(person=person)
    dokumenter = Dokumentasjon.objects.filter(vilkar__in=vilkar)
    vedtak = Vedtak.objects.filter(_vedtak_of(person)).distinct()
    opphevinger = Oppheving.objects.filter(vedtak__in=vedtak)
    changes: list[Change] = []
    changes += replace_text(vilkar, "beskrivelse", "begrunnelse")
    _delete_files_after_commit(dokumenter, "fil")
    changes += replace_text(dokumenter, "fil", "filnavn", "filtype", "avvist_grunn",
                            blank_allowed=("fil", "filnavn", "filtype"))
    changes += replace_text(Jobbsoknad.objects.filter(dokumentasjon__in=dokumenter), "arbeidsgiver")
    changes += replace_text(Reduksjon.objects.filter(vilkar__in=vilkar), "begrunnelse")
    # Possible breaches and sanctions: what happened, the letters' text and every reason; the
    # amounts, periods and statuses stay for the reports and the hand-over.
    brudd = MuligBrudd.objects.filter(vilkar__in=vilkar)
    changes += replace_text(brudd, "bevis", "lukket_grunn")
    changes += replace_text(Forhandsvarsel.objects.filter(brudd__in=brudd), "hva_skjedde", "svar")
    changes += replace_text(Sanksjon.objects.filter(brudd__in=brudd), "begrunnelse", "avvist_grunn", "avsluttet_grunn")
    changes += replace_text(SanksjonHendelse.objects.filter(vedtak__in=vedtak), "tekst")
    changes += replace_text(vedtak, "unntak_20a")
    changes += replace_text(opphevinger, "begrunnelse")
    _delete_files_after_commit(opphevinger, "pdf")
    changes += replace_text(opphevinger, "pdf", blank_allowed=("pdf",))
    return changes
