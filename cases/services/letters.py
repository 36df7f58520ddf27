"""Letters kept on the participant (issue 16): rendered from a fixed template in the chosen
language (alnaaktiv.letters), stored as the PDF that was sent, and audited. The cases letters
(innkalling, § 14 a) are built here; the conditions letters (vedtak, forhåndsvarsel, reaksjon)
are built in conditions and kept through letter_keep, since cases never imports conditions."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit, letters
from alnaaktiv.actor import Actor
from cases.models import Arbeidsevnevurdering, Avtale, Avtalestatus, Brev, Brevtype, Deltaker, VurderingStatus

CASES_KINDS = (Brevtype.INNKALLING, Brevtype.ARBEIDSEVNEVURDERING)


@dataclass(frozen=True)
class LetterDraft:
    """What a letter is made from: its body template, the context and the Norwegian title."""
    body_template: str
    context: dict
    tittel: str


def letter_context(*, person, office, sender=None, **extra) -> dict:
    """What every letter body shows: the letterhead (office, date, the person's name) and the sender."""
    return {"person": person, "office": office, "today": timezone.localdate(),
            "sender": sender.display_name if sender else "", **extra}


def _innkalling(deltaker: Deltaker, kilde_id: int) -> LetterDraft:
    avtale = (Avtale.objects.select_related("veileder")
              .filter(pk=kilde_id, deltaker=deltaker, status=Avtalestatus.PLANLAGT).first())
    if avtale is None:
        raise ValidationError("Innkalling skrives bare for planlagte avtaler.", code="kilde_id")
    starts_at = timezone.localtime(avtale.starts_at)
    veileder = avtale.veileder or deltaker.veileder
    return LetterDraft("letters/innkalling.html", letter_context(
        person=deltaker.person, office=deltaker.office, sender=veileder, avtale=avtale, starts_at=starts_at,
        veileder=veileder), f"Innkalling til {avtale.get_kind_display().lower()} {starts_at:%d.%m.%Y}")


def _paragraf_14a(deltaker: Deltaker, kilde_id: int) -> LetterDraft:
    vurdering = (Arbeidsevnevurdering.objects.select_related("signed_by")
                 .filter(pk=kilde_id, deltaker=deltaker, status=VurderingStatus.SIGNERT).first())
    if vurdering is None:
        raise ValidationError("Vedtak etter § 14 a skrives bare for en signert arbeidsevnevurdering.",
                              code="kilde_id")
    return LetterDraft("letters/paragraf_14a.html", letter_context(
        person=deltaker.person, office=deltaker.office, sender=vurdering.signed_by, vurdering=vurdering),
        f"Vedtak etter § 14 a (versjon {vurdering.versjon})")


BUILDERS = {Brevtype.INNKALLING: _innkalling, Brevtype.ARBEIDSEVNEVURDERING: _paragraf_14a}


def _language(code: str) -> letters.LetterLanguage:
    language = letters.get_letter_language(code)
    if language is None:
        raise ValidationError({"language": "Velg et språk det finnes brevtekster for."})
    return language


@transaction.atomic
def letter_keep(*, deltaker: Deltaker, kind: str, kilde_id: int | None, language: str, draft: LetterDraft,
                actor: Actor) -> Brev:
    """Render `draft` in `language` (with the Norwegian original when it is another language)
    and keep the PDF on the participant exactly as made, with an audit entry. A letter is never
    changed afterwards: a new one is made instead."""
    chosen = _language(language)
    brev = Brev(deltaker=deltaker, kind=kind, kilde_id=kilde_id, tittel=draft.tittel[:200], sprak=chosen.code,
                kvalitetssikret=chosen.quality_assured, created_by=actor.user,
                pdf=letters.render_letter(draft.body_template, draft.context, language=chosen.code))
    brev.full_clean()
    brev.save()
    audit.record_change("create", actor=actor, obj=brev, person=deltaker.person,
                        office=deltaker.office.enhetsnummer)
    return brev


def letter_create(*, deltaker: Deltaker, kind: str, kilde_id: int, language: str, actor: Actor) -> Brev:
    """A cases letter (innkalling to a planned appointment, § 14 a of a signed assessment) made
    and kept; ValidationError when the source is not the participant's or not in a state to
    write to."""
    if kind not in BUILDERS:
        raise ValidationError({"kind": "Denne typen brev lages ikke her."})
    _language(language)
    return letter_keep(deltaker=deltaker, kind=kind, kilde_id=kilde_id, language=language,
                       draft=BUILDERS[kind](deltaker, kilde_id), actor=actor)


def letter_render(*, deltaker: Deltaker, kind: str, kilde_id: int, language: str = letters.NORWEGIAN) -> bytes:
    """A cases letter rendered without keeping it (the innkalling printed from the appointment)."""
    draft = BUILDERS[kind](deltaker, kilde_id)
    return letters.render_letter(draft.body_template, draft.context, language=_language(language).code)
