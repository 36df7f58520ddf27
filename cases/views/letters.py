"""The participant's letters (/deltakere/<id>/brev/): the letters kept on the participant, each
downloadable exactly as it was made, and forms to make a new innkalling (for each planned
appointment) or § 14 a letter (for each signed assessment) in a language of the letter
catalogues, the person's preferred written language first. The vedtak unit makes the vedtak,
forhåndsvarsel and reaksjon letters from its own pages (conditions); they are kept here too."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import audit, interaction, letters
from alnaaktiv.actor import Actor
from alnaaktiv.pdf import pdf_response
from cases.models import Arbeidsevnevurdering, Avtale, Avtalestatus, Brev, Brevtype, VurderingStatus
from cases.selectors.participants import NAV_PARTICIPANT_ROLES, get_participant_for_user
from cases.services import letters as letter_services

SECTION = "brev"
# Who makes and reads the cases letters: NAV's roles that follow the participant, in its office.
LETTER_READERS = NAV_PARTICIPANT_ROLES


class LetterForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind.label) for kind in letter_services.CASES_KINDS],
                             widget=forms.HiddenInput)
    kilde_id = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(label="Språk")

    def __init__(self, *args, preferred: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = letters.language_choices(preferred)


def _sources(deltaker) -> list[dict]:
    """What a new letter can be made from: the planned appointments and the signed assessments."""
    appointments = Avtale.objects.filter(deltaker=deltaker, status=Avtalestatus.PLANLAGT).order_by("starts_at", "id")
    vurderinger = Arbeidsevnevurdering.objects.filter(deltaker=deltaker, status=VurderingStatus.SIGNERT).order_by(
        "-versjon")
    return ([{"kind": Brevtype.INNKALLING, "obj": avtale,
              "label": f"Innkalling til {avtale.get_kind_display().lower()} {timezone.localtime(avtale.starts_at):%d.%m.%Y}"}
             for avtale in appointments]
            + [{"kind": Brevtype.ARBEIDSEVNEVURDERING, "obj": vurdering,
                "label": f"Vedtak etter § 14 a, versjon {vurdering.versjon} (signert {vurdering.signed_at:%d.%m.%Y})"}
               for vurdering in vurderinger])


def letters_page(request, deltaker, *, refused: tuple[str, object] | None = None):
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    preferred = deltaker.person.skriftsprak
    refused_key, refused_form = refused or ("", None)
    sources = _sources(deltaker)
    if refused_key and refused_key not in {f"{source['kind']}-{source['obj'].pk}" for source in sources}:
        return None  # the form has no place on the page: interaction.act says why in a message
    for source in sources:
        key = f"{source['kind']}-{source['obj'].pk}"
        source["form"] = refused_form if key == refused_key else LetterForm(
            preferred=preferred, auto_id=f"brev-{key}-%s", initial={"kind": source["kind"], "kilde_id": source["obj"].pk})
    kept = list(Brev.objects.filter(deltaker=deltaker).select_related("created_by").defer("pdf"))
    names = dict(letters.language_choices())
    for brev in kept:
        brev.language_name = names.get(brev.sprak, brev.sprak).split(" (")[0]
    return render(request, "cases/letters.html", {
        "deltaker": deltaker, "person": deltaker.person, "kept": kept, "sources": sources, "section": SECTION,
        "preferred_name": names.get(preferred or letters.NORWEGIAN, "").split(" (")[0],
    })


@login_required
@require_GET
def letter_list(request, pk):
    return letters_page(request, get_participant_for_user(request.user, pk, act=LETTER_READERS))


@login_required
@require_POST
def letter_create(request, pk):
    deltaker = get_participant_for_user(request.user, pk, act=LETTER_READERS)
    form = LetterForm(request.POST, preferred=deltaker.person.skriftsprak)
    key = f"{request.POST.get('kind', '')}-{request.POST.get('kilde_id', '')}"
    form.auto_id = f"brev-{key}-%s"

    def rerender(bound):
        return letters_page(request, deltaker, refused=(key, bound))

    return interaction.act(
        request, form=form, rerender=rerender, section=SECTION,
        perform=lambda data: letter_services.letter_create(
            deltaker=deltaker, kind=data["kind"], kilde_id=data["kilde_id"], language=data["language"],
            actor=Actor.from_request(request)),
        success_message=lambda brev: f"Brevet «{brev.tittel}» er laget og lagret. Last det ned og send det.",
        redirect_to=reverse("letter-list", args=[pk]))


@login_required
@require_GET
def letter_download(request, pk, brev_pk):
    """A kept letter exactly as made; it leaves the system, so it is audited as an export."""
    deltaker = get_participant_for_user(request.user, pk, act=LETTER_READERS)
    brev = get_object_or_404(Brev, pk=brev_pk, deltaker=deltaker)
    audit.record(request, "export", obj=brev, person=deltaker.person, office=deltaker.office.enhetsnummer)
    return pdf_response(bytes(brev.pdf), f"brev-{brev.kind}-{brev.created_at:%Y-%m-%d}-{brev.pk}.pdf")
