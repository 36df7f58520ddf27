"""The vedtak unit's letters to a household member (issue 16): the vedtak letter with each of
the person's vilkår, the forhåndsvarsel of a possible breach and the decided reduction or stop.
Built here (conditions) and kept on the participant through cases.services.letters.letter_keep.
A person who is not a participant at the vedtak's office has no participant to keep a letter on:
the letter is then made and handed out without being kept (Brev belongs to a Deltaker)."""
from django.core.exceptions import ValidationError
from django.db.models import Q

from alnaaktiv import letters
from alnaaktiv.actor import Actor
from cases.models import Brev, Brevtype, Deltaker, Person
from cases.services.letters import LetterDraft, letter_context, letter_keep
from conditions.models import Forhandsvarsel, Sanksjon, SanksjonStatus, Vedtak, Vilkar

CONDITIONS_KINDS = (Brevtype.VEDTAK, Brevtype.FORHANDSVARSEL, Brevtype.REAKSJON)
# A reaction is decided once a leader approved it (or the preparer with fullmakt); it may have ended since.
DECIDED = (SanksjonStatus.GODKJENT, SanksjonStatus.AVSLUTTET)


def participant_at_office(person: Person, vedtak: Vedtak) -> Deltaker | None:
    """The person's newest enrolment at the vedtak's office, where the letter is kept."""
    return (Deltaker.objects.select_related("person", "office").filter(person=person, office_id=vedtak.office_id)
            .order_by("-id").first())


def vedtak_draft(vedtak: Vedtak, person: Person, *, sender) -> LetterDraft:
    if not vedtak.resultat:
        raise ValidationError("Vedtaksbrevet lages når vedtaket er gjort.")
    vilkar = list(Vilkar.objects.filter(vedtak=vedtak, person=person).order_by("frist", "id"))
    return LetterDraft("letters/vedtak.html", letter_context(
        person=person, office=vedtak.office, sender=sender, vedtak=vedtak, vilkar=vilkar),
        f"Vedtak om økonomisk stønad {vedtak.periode_fra:%d.%m.%Y}–{vedtak.periode_til:%d.%m.%Y}")


def warning_draft(varsel: Forhandsvarsel) -> LetterDraft:
    brudd, vilkar = varsel.brudd, varsel.brudd.vilkar
    return LetterDraft("letters/forhandsvarsel.html", letter_context(
        person=vilkar.person, office=vilkar.vedtak.office, sender=varsel.sendt_av, varsel=varsel, brudd=brudd,
        vilkar=vilkar, vedtak=vilkar.vedtak, bevis=varsel.hva_skjedde.splitlines()),
        f"Forhåndsvarsel om {varsel.get_konsekvens_display().lower()} ({varsel.sendt_at:%d.%m.%Y})")


def sanction_draft(sanksjon: Sanksjon) -> LetterDraft:
    if sanksjon.status not in DECIDED or sanksjon.decided_at is None:
        raise ValidationError("Vedtaksbrevet om reaksjonen lages når reaksjonen er vedtatt.")
    vilkar = sanksjon.brudd.vilkar
    varsel = Forhandsvarsel.objects.filter(brudd=sanksjon.brudd).first()
    return LetterDraft("letters/reaksjon.html", letter_context(
        person=vilkar.person, office=sanksjon.vedtak.office, sender=sanksjon.decided_by, sanksjon=sanksjon,
        vilkar=vilkar, varsel=varsel, vedtak=sanksjon.vedtak),
        f"Vedtak om {sanksjon.get_konsekvens_display().lower()} ({sanksjon.periode_fra:%d.%m.%Y})")


def vedtak_letter_sources(vedtak: Vedtak) -> list[dict]:
    """Every letter the vedtak unit can make on this vedtak: the vedtak letter for each household
    member, the forhåndsvarsel of each breach of its vilkår that has one, and each decided reaction."""
    sources = []
    if vedtak.resultat:
        members = [vedtak.sak.hovedperson] + ([vedtak.sak.ektefelle] if vedtak.sak.ektefelle_id else [])
        sources += [{"kind": Brevtype.VEDTAK, "kilde_id": vedtak.pk, "person": person,
                     "label": f"Vedtaksbrev til {person.navn}"} for person in members]
    varsler = (Forhandsvarsel.objects.filter(brudd__vilkar__vedtak=vedtak)
               .select_related("brudd__vilkar__person").order_by("sendt_at", "id"))
    sources += [{"kind": Brevtype.FORHANDSVARSEL, "kilde_id": varsel.pk, "person": varsel.brudd.vilkar.person,
                 "label": f"Forhåndsvarsel til {varsel.brudd.vilkar.person.navn} sendt {varsel.sendt_at:%d.%m.%Y}"}
                for varsel in varsler]
    sanksjoner = (Sanksjon.objects.filter(vedtak=vedtak, status__in=DECIDED)
                  .select_related("brudd__vilkar__person").order_by("periode_fra", "id"))
    sources += [{"kind": Brevtype.REAKSJON, "kilde_id": sanksjon.pk, "person": sanksjon.brudd.vilkar.person,
                 "label": f"Vedtak om {sanksjon.get_konsekvens_display().lower()} til "
                          f"{sanksjon.brudd.vilkar.person.navn} fra {sanksjon.periode_fra:%d.%m.%Y}"}
                for sanksjon in sanksjoner]
    return sources


def letter_draft(vedtak: Vedtak, *, kind: str, kilde_id: int, person_id: int, sender) -> tuple[Person, LetterDraft]:
    """The person and the draft of one letter on this vedtak; ValidationError when the source is
    not this vedtak's."""
    if kind == Brevtype.VEDTAK and kilde_id == vedtak.pk:
        person = next((p for p in (vedtak.sak.hovedperson, vedtak.sak.ektefelle) if p and p.pk == person_id), None)
        if person is not None:
            return person, vedtak_draft(vedtak, person, sender=sender)
    elif kind == Brevtype.FORHANDSVARSEL:
        varsel = (Forhandsvarsel.objects.select_related("sendt_av", "brudd__vilkar__person",
                                                        "brudd__vilkar__vedtak__office")
                  .filter(pk=kilde_id, brudd__vilkar__vedtak=vedtak).first())
        if varsel is not None:
            return varsel.brudd.vilkar.person, warning_draft(varsel)
    elif kind == Brevtype.REAKSJON:
        sanksjon = (Sanksjon.objects.select_related("decided_by", "vedtak__office", "brudd__vilkar__person")
                    .filter(pk=kilde_id, vedtak=vedtak).first())
        if sanksjon is not None:
            return sanksjon.brudd.vilkar.person, sanction_draft(sanksjon)
    raise ValidationError("Brevet finnes ikke på dette vedtaket.")


def letter_make(vedtak: Vedtak, *, kind: str, kilde_id: int, person_id: int, language: str,
                actor: Actor) -> tuple[Brev | None, Person, bytes]:
    """Make one letter: kept on the person's participant at the office (the Brev, and its PDF),
    or, when the person is no participant there, only rendered (None and the PDF)."""
    person, draft = letter_draft(vedtak, kind=kind, kilde_id=kilde_id, person_id=person_id, sender=actor.user)
    deltaker = participant_at_office(person, vedtak)
    if deltaker is not None:
        brev = letter_keep(deltaker=deltaker, kind=kind, kilde_id=kilde_id, language=language, draft=draft,
                           actor=actor)
        return brev, person, bytes(brev.pdf)
    if letters.get_letter_language(language) is None:
        raise ValidationError({"language": "Velg et språk det finnes brevtekster for."})
    return None, person, letters.render_letter(draft.body_template, draft.context, language=language)


def kept_letters(vedtak: Vedtak) -> list[Brev]:
    """The letters kept from this vedtak, its forhåndsvarsler and its reactions, newest first."""
    varsler = Forhandsvarsel.objects.filter(brudd__vilkar__vedtak=vedtak).values("pk")
    sanksjoner = Sanksjon.objects.filter(vedtak=vedtak).values("pk")
    return list(Brev.objects.filter(
        Q(kind=Brevtype.VEDTAK, kilde_id=vedtak.pk) | Q(kind=Brevtype.FORHANDSVARSEL, kilde_id__in=varsler)
        | Q(kind=Brevtype.REAKSJON, kilde_id__in=sanksjoner),
        deltaker__office_id=vedtak.office_id,
        deltaker__person_id__in=[pk for pk in (vedtak.sak.hovedperson_id, vedtak.sak.ektefelle_id) if pk],
    ).select_related("created_by", "deltaker__person").defer("pdf"))

