"""The vedtak unit's letters on a vedtak (/vilkar/vedtak/<id>/brev/): the vedtak letter to each
household member, the forhåndsvarsler and the decided reactions, in a language of the letter
catalogues (the person's preferred written language first), kept on the participant; and the
kept letters to download. Only the vedtak unit of the vedtak's office."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from alnaaktiv import access, audit, interaction, letters
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from alnaaktiv.pdf import pdf_response
from cases.models import Brev
from conditions import selectors
from conditions.letters import CONDITIONS_KINDS, kept_letters, letter_make, vedtak_letter_sources

SECTION = "brev"
LETTER_WRITERS = (Role.VEDTAK,)


class VedtakLetterForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind.label) for kind in CONDITIONS_KINDS], widget=forms.HiddenInput)
    kilde_id = forms.IntegerField(widget=forms.HiddenInput)
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(label="Språk")

    def __init__(self, *args, preferred: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = letters.language_choices(preferred)


def _page(request, vedtak, *, refused: tuple[str, object] | None = None) -> HttpResponse:
    office = vedtak.office.enhetsnummer
    for person in filter(None, (vedtak.sak.hovedperson, vedtak.sak.ektefelle if vedtak.sak.ektefelle_id else None)):
        audit.record_read(request, person=person, obj=vedtak, office=office)
    refused_key, refused_form = refused or ("", None)
    sources = vedtak_letter_sources(vedtak)
    for source in sources:
        key = f"{source['kind']}-{source['kilde_id']}-{source['person'].pk}"
        source["form"] = refused_form if key == refused_key else VedtakLetterForm(
            preferred=source["person"].skriftsprak, auto_id=f"brev-{key}-%s",
            initial={"kind": source["kind"], "kilde_id": source["kilde_id"], "person_id": source["person"].pk})
    names = dict(letters.language_choices())
    kept = kept_letters(vedtak)
    for brev in kept:
        brev.language_name = names.get(brev.sprak, brev.sprak).split(" (")[0]
    return render(request, "conditions/vedtak_letters.html", {"vedtak": vedtak, "sources": sources, "kept": kept})


@login_required
@require_http_methods(["GET", "POST"])
def vedtak_letters(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, act=LETTER_WRITERS)
    if request.method == "GET":
        return _page(request, vedtak)
    form = VedtakLetterForm(request.POST)
    key = "-".join(request.POST.get(name, "") for name in ("kind", "kilde_id", "person_id"))
    form.auto_id = f"brev-{key}-%s"
    person_id = request.POST.get("person_id", "")
    for person in (vedtak.sak.hovedperson, vedtak.sak.ektefelle):
        if person and str(person.pk) == person_id:
            form.fields["language"].choices = letters.language_choices(person.skriftsprak)
    if form.is_valid():
        data = form.cleaned_data
        try:
            brev, person, pdf = letter_make(vedtak, kind=data["kind"], kilde_id=data["kilde_id"],
                                            person_id=data["person_id"], language=data["language"],
                                            actor=Actor.from_request(request))
        except ValidationError as error:
            interaction.apply_error(form, error)
        else:
            if brev is not None:
                interaction.success(request, f"Brevet «{brev.tittel}» er laget og lagret hos deltakeren.",
                                    section=SECTION)
                return redirect(interaction.with_anchor(reverse("vedtak-letters", args=[pk]), SECTION))
            # No participant to keep it on: the letter is handed out now, and only the export is logged.
            audit.record(request, "export", obj=vedtak, person=person, office=vedtak.office.enhetsnummer)
            response = pdf_response(pdf, f"brev-{data['kind']}-{vedtak.sak.saksnummer}.pdf")
            response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment")
            return response
    interaction.focus_first_error(form)
    return _page(request, vedtak, refused=(key, form))


@login_required
@require_GET
def letter_download(request, pk):
    """A letter the vedtak unit made, kept on the participant: for the vedtak unit of its office."""
    access.require_role(request.user, *LETTER_WRITERS)
    brev = (Brev.objects.select_related("deltaker__person", "deltaker__office")
            .filter(pk=pk, kind__in=CONDITIONS_KINDS).first())
    if brev is None or not access.has_role(request.user, *LETTER_WRITERS, office=brev.deltaker.office.enhetsnummer):
        raise access.AccessDenied(f"brev {pk} utenfor brukerens tilgang")
    access.require_person_visible(request.user, brev.deltaker.person)
    audit.record(request, "export", obj=brev, person=brev.deltaker.person, office=brev.deltaker.office.enhetsnummer)
    return pdf_response(bytes(brev.pdf), f"brev-{brev.kind}-{brev.created_at:%Y-%m-%d}-{brev.pk}.pdf")
