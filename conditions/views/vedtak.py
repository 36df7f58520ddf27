"""A vedtak's page with its vilkår and documentation, and the actions on them."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from cases.models import Sak
from conditions import selectors, services
from conditions.forms import (
    AssessDocumentForm,
    DecideForm,
    DocumentForm,
    ReductionForm,
    VedtakCreateForm,
    VilkarForm,
    WaiveForm,
)
from conditions.models import DokumentType, Fase, VilkarStatus
from conditions.views.common import act, attach_rejected_document, back, form_errors, remember_rejected_document
from conditions.views.worklist import default_doc_type


def _members(vedtak):
    sak = vedtak.sak
    return [(sak.hovedperson, "Hovedperson")] + ([(sak.ektefelle, "Ektefelle")] if sak.ektefelle_id else [])


@access.role_required(*selectors.WRITERS)
@require_http_methods(["GET", "POST"])
def vedtak_create(request):
    form = VedtakCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            offices = access.offices(request.user, *selectors.WRITERS)
            sak = (Sak.objects.select_related("office", "hovedperson", "ektefelle")
                   .filter(saksnummer=form.cleaned_data["saksnummer"], office__enhetsnummer__in=offices).first())
            if sak is None or not all(access.may_see_person(request.user, p) for p, _ in
                                      [(sak.hovedperson, ""), (sak.ektefelle, "")] if p is not None):
                form.add_error("saksnummer", "Fant ingen sak med dette saksnummeret ved ditt kontor.")
            else:
                data = form.cleaned_data
                try:
                    vedtak = services.vedtak_create(
                        sak=sak, actor=Actor.from_request(request), soknad_mottatt=data["soknad_mottatt"], periode_fra=data["periode_fra"],
                        periode_til=data["periode_til"], belop=data["belop"], varslet_reduksjon=data["varslet_reduksjon"])
                except services.ConditionsError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, "Søknaden er registrert. Legg til vilkår og fatt vedtak.")
                    return redirect("vedtak-detail", pk=vedtak.pk)
        messages.error(request, " ".join(form_errors(form).messages))
    return render(request, "conditions/vedtak_create.html", {"form": form})


@login_required
@require_GET
def vedtak_detail(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk)
    office = vedtak.office.enhetsnummer
    # Written before anything is rendered: no entry, no page.
    for person, _ in _members(vedtak):
        audit.record_read(request, person=person, obj=vedtak, office=office)
    roles = access.roles(request.user, office)
    may_write = bool(roles & set(selectors.WRITERS))
    context = selectors.vedtak_page(vedtak)
    attach_rejected_document(request, context["vilkar"])
    for vilkar in context["vilkar"]:
        vilkar.default_doc_type = default_doc_type(vilkar)
        vilkar.waive_form = WaiveForm(auto_id=f"bortfall{vilkar.pk}_%s", initial={"versjon": vilkar.version})
        vilkar.reduction_form = ReductionForm(auto_id=f"reduksjon{vilkar.pk}_%s")
        vilkar.broken = vilkar.status == VilkarStatus.IKKE_OPPFYLT or (
            vilkar.status == VilkarStatus.APEN and vilkar.frist < timezone.localdate())
        if vilkar.kind == "aktivitet":
            vilkar.progress = services.activity_progress(vilkar)
    fullmakt = services.fullmakt_for(request.user, vedtak) if may_write else None
    alone_refusal = services.alone_refusal(vedtak, fullmakt, services.lifted_alone_sums([vedtak])[vedtak.pk]) \
        if fullmakt is not None else None
    pending = context["pending"]
    context.update({
        "may_write": may_write,
        "may_approve": bool(pending) and "leder" in roles and pending.prepared_by_id != request.user.pk,
        "may_lift_alone": fullmakt is not None and alone_refusal is None,
        # A fullmakt holder who is not offered «opphev alene» is told why.
        "alone_refusal": alone_refusal if fullmakt is not None else None,
        "fullmakt": fullmakt,
        "members": _members(vedtak),
        "decide_form": DecideForm(initial={"versjon": vedtak.version}, auto_id="vedtak_%s"),
        "vilkar_form": VilkarForm(persons=_members(vedtak), auto_id="vilkar_%s"),
        "Fase": Fase,
        "doc_types": DokumentType.choices,
        "today": timezone.localdate(),
        "back": reverse("vedtak-detail", args=[vedtak.pk]),
    })
    return render(request, "conditions/vedtak_detail.html", context)


def _vedtak_action(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, roles=selectors.WRITERS)
    access.require_role(request.user, *selectors.WRITERS, office=vedtak.office.enhetsnummer)
    return vedtak


def _vilkar_action(request, pk):
    vilkar = selectors.get_vilkar_for_user(request.user, pk, roles=selectors.WRITERS)
    access.require_role(request.user, *selectors.WRITERS, office=vilkar.vedtak.office.enhetsnummer)
    return vilkar


@login_required
@require_POST
def vedtak_decide(request, pk):
    vedtak = _vedtak_action(request, pk)
    return act(
        request, DecideForm(request.POST),
        lambda data: services.vedtak_decide(vedtak=vedtak, actor=Actor.from_request(request), resultat=data["resultat"],
                                            vedtaksdato=data["vedtaksdato"], unntak_20a=data["unntak_20a"],
                                            version=data["versjon"]),
        "Vedtaket er fattet.", reverse("vedtak-detail", args=[pk]),
    )


@login_required
@require_POST
def vilkar_create(request, pk):
    vedtak = _vedtak_action(request, pk)
    members = _members(vedtak)
    persons = {person.pk: person for person, _ in members}
    return act(
        request, VilkarForm(request.POST, persons=members),
        lambda data: services.vilkar_create(
            vedtak=vedtak, actor=Actor.from_request(request), person=persons[data["person"]], kind=data["kind"],
            hjemmel=data["hjemmel"], beskrivelse=data["beskrivelse"], frist=data["frist"], mengde=data["mengde"],
            enhet=data["enhet"]),
        "Vilkåret er lagt til.", reverse("vedtak-detail", args=[pk]),
    )


@login_required
@require_POST
def vilkar_waive(request, pk):
    vilkar = _vilkar_action(request, pk)
    return act(
        request, WaiveForm(request.POST),
        lambda data: services.vilkar_waive(vilkar=vilkar, actor=Actor.from_request(request), begrunnelse=data["begrunnelse"],
                                           version=data["versjon"]),
        "Vilkåret er satt som bortfalt.", reverse("vedtak-detail", args=[vilkar.vedtak_id]),
    )


@login_required
@require_POST
def reduction_create(request, pk):
    vilkar = _vilkar_action(request, pk)
    return act(
        request, ReductionForm(request.POST),
        lambda data: services.reduksjon_record(vilkar=vilkar, actor=Actor.from_request(request), belop=data["belop"],
                                               begrunnelse=data["begrunnelse"]),
        "Reduksjonen er registrert.", reverse("vedtak-detail", args=[vilkar.vedtak_id]),
    )


@login_required
@require_POST
def document_register(request, pk):
    """A refusal keeps what was typed and shows each error at its field in the vilkår's form on
    the page the user came from (the message at the top says it too)."""
    vilkar = _vilkar_action(request, pk)
    target = back(request, reverse("vedtak-detail", args=[vilkar.vedtak_id]))
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.dokumentasjon_register(
                vilkar=vilkar, actor=Actor.from_request(request), type=data["type"], mottatt=data["mottatt"],
                vurdering=data["vurdering"], avvist_grunn=data["avvist_grunn"], fil=data["fil"] or None,
                planlagte_dager=data["planlagte_dager"], oppmotte_dager=data["oppmotte_dager"],
                fravaer_godkjent=data["fravaer_godkjent"], soknader=data["soknader"])
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Dokumentasjonen er registrert.")
            return redirect(target)
    else:
        errors = form.errors
        messages.error(request, " ".join(form_errors(form).messages))
    remember_rejected_document(request, vilkar.pk, errors)
    return redirect(f"{target}#dok{vilkar.pk}")


@login_required
@require_POST
def document_assess(request, pk):
    document = selectors.get_document_for_user(request.user, pk)
    access.require_role(request.user, *selectors.WRITERS, office=document.vilkar.vedtak.office.enhetsnummer)
    return act(
        request, AssessDocumentForm(request.POST),
        lambda data: services.dokumentasjon_assess(dokumentasjon=document, actor=Actor.from_request(request),
                                                   vurdering=data["vurdering"], avvist_grunn=data["avvist_grunn"]),
        "Vurderingen av dokumentasjonen er lagret.", reverse("vedtak-detail", args=[document.vilkar.vedtak_id]),
    )


@login_required
@require_GET
def document_download(request, pk):
    document = selectors.get_document_for_user(request.user, pk)
    if not document.fil:
        raise access.AccessDenied(f"dokumentasjon {pk} har ingen fil")
    audit.record_read(request, person=document.vilkar.person, obj=document,
                      office=document.vilkar.vedtak.office.enhetsnummer)
    return FileResponse(document.fil.open("rb"), as_attachment=True, filename=document.filnavn or "dokument",
                        content_type=document.filtype)
