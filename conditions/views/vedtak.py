"""A vedtak's page with its vilkår and documentation, and the actions on them. Every action goes
through interaction.act: a refused form is drawn again on the page it came from (the vedtak page
or the work list), filled in and with its errors at the fields; every other form stays plain."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases.models import Sak
from conditions import selectors, services
from conditions.forms import (
    AssessDocumentForm,
    DecideForm,
    DocumentForm,
    OfferForm,
    VedtakCreateForm,
    VilkarForm,
    WaiveForm,
    vedtak_klage_form,
)
from conditions.models import DokumentType, VilkarKind, VilkarStatus
from conditions.services.complaints import VEDTAK_COMPLAINT_ROLES
from conditions.views.worklist import default_doc_type, vilkar_section, worklist_page

# The header of the vedtak page: the section for actions that change the whole vedtak (its
# decision, its lifting), whose own section may be gone after them.
HEADER = "vedtak-overskrift"


def _members(vedtak):
    sak = vedtak.sak
    return [(sak.hovedperson, "Hovedperson")] + ([(sak.ektefelle, "Ektefelle")] if sak.ektefelle_id else [])


def _member_links(user, vedtak) -> list[tuple]:
    """(person, role, participant id or None): the header links back to each member's participant
    page, where the user may open it."""
    pages = selectors.participant_pages(user, vedtak)
    return [(person, rolle, pages.get(person.pk)) for person, rolle in _members(vedtak)]


def _find_sak(user, saksnummer: str) -> Sak:
    sak = selectors.sak_for_new_vedtak(user, saksnummer)
    if sak is None:
        raise ValidationError({"saksnummer": "Fant ingen sak med dette saksnummeret ved ditt kontor."})
    return sak


@access.role_required(*selectors.WRITERS)
@require_http_methods(["GET", "POST"])
def vedtak_create(request):
    def page(form):
        return render(request, "conditions/vedtak_create.html",
                      {"form": form, "deadline_days": settings.DECISION_DEADLINE_DAYS})

    if request.method == "GET":
        return page(VedtakCreateForm())

    made = {}

    def perform(data):
        made["vedtak"] = services.vedtak_create(
            sak=_find_sak(request.user, data["saksnummer"]), actor=Actor.from_request(request),
            soknad_mottatt=data["soknad_mottatt"], periode_fra=data["periode_fra"], periode_til=data["periode_til"],
            belop=data["belop"], varslet_reduksjon=data["varslet_reduksjon"])

    response = interaction.act(
        request, form=VedtakCreateForm(request.POST), perform=perform,
        success_message="Søknaden er registrert. Legg til vilkår og fatt vedtak.",
        redirect_to=reverse("conditions-worklist"), section=HEADER, rerender=page,
    )
    if "vedtak" in made and response.status_code == 302:
        # On to the new vedtak's own page, whose address is known only after the service ran.
        response["Location"] = interaction.with_anchor(_detail_url(made["vedtak"].pk), HEADER)
    return response


@login_required
@require_GET
def vedtak_detail(request, pk):
    return vedtak_page(request, selectors.get_vedtak_for_user(request.user, pk))


def _refused(refused: tuple[str, int | None, object], name: str, pk: int | None):
    """The refused bound form when it is form `name` of object `pk`, else None."""
    kind, refused_pk, form = refused
    return form if (kind, refused_pk) == (name, pk) else None


def _activities(vedtak) -> list:
    """The plan activities the vedtak's activity vilkår may rest on (one query)."""
    return list(services.plan_activities(vedtak, [person.pk for person, _ in _members(vedtak)]))


def _offer_form(vilkar, activities: list, data=None) -> OfferForm:
    tilbud = vilkar.tilbud or ("uten" if vilkar.uten_tilbud_grunn else "")
    return OfferForm(data, activities=[item for item in activities if item.deltaker.person_id == vilkar.person_id],
                     auto_id=f"tilbud{vilkar.pk}_%s",
                     initial={"versjon": vilkar.version, "tilbud": tilbud, "aktivitet": vilkar.aktivitet_id,
                              "uten_tilbud_grunn": vilkar.uten_tilbud_grunn, "fravaer_terskel": vilkar.fravaer_terskel})


def _with_forms(vilkar, refused: tuple[str, int | None, object], today, activities: list) -> None:
    """One vilkår's forms and marks for the vedtak page; the refused form, if it is this
    vilkår's (or one of its documents'), drawn filled in with its errors."""
    if vilkar.kind == VilkarKind.AKTIVITET and vilkar.status == VilkarStatus.APEN:
        vilkar.offer_form = _refused(refused, "offer", vilkar.pk) or _offer_form(vilkar, activities)
    vilkar.default_doc_type = default_doc_type(vilkar)
    vilkar.section_id = _vilkar_section(vilkar)
    vilkar.waive_form = _refused(refused, "waive", vilkar.pk) or WaiveForm(
        auto_id=f"bortfall{vilkar.pk}_%s", initial={"versjon": vilkar.version})
    vilkar.refused_form = _refused(refused, "document", vilkar.pk)
    for doc in vilkar.dokumentasjon.all():
        doc.refused_form = _refused(refused, "assess", doc.pk)
    vilkar.broken = services.vilkar_broken(vilkar, today)
    if vilkar.kind == VilkarKind.AKTIVITET:
        vilkar.progress = services.activity_vilkar_progress(vilkar)


def _lifting_actions(user, vedtak, roles: set[str], pending) -> dict:
    """What the user may do with the vedtak's lifting, each asked of the rule next to its service."""
    may_write = bool(roles & set(selectors.WRITERS))
    fullmakt = selectors.fullmakt_for(user, vedtak) if may_write else None
    # A fullmakt holder who is not offered «opphev alene» is told why.
    lifting_alone_refusal = services.lift_alone_refusal(user, vedtak, fullmakt=fullmakt) if fullmakt else None
    return {
        "may_write": may_write,
        # Documents and the lifting form are for the vedtak unit and leaders, not for a reader.
        "may_download": may_write,
        # The letters to the household (vedtak, forhåndsvarsel, reaksjon) are the vedtak unit's.
        "may_write_letters": Role.VEDTAK in roles,
        "is_leader": Role.LEDER in roles,
        "may_approve": pending is not None and services.lifting_decide_refusal(user, pending) is None,
        "may_lift_alone": fullmakt is not None and lifting_alone_refusal is None,
        "lifting_alone_refusal": lifting_alone_refusal,
        "fullmakt": fullmakt,
    }


def vedtak_page(request, vedtak, *, refused: tuple[str, int | None, object] | None = None) -> HttpResponse:
    """The vedtak page. `refused` is (which form, the vilkår or document pk, the bound form) of
    the one action that was refused: that form is drawn filled in with its errors, the others plain."""
    office = vedtak.office.enhetsnummer
    # Written before anything is rendered: no entry, no page.
    for person, _ in _members(vedtak):
        audit.record_read(request, person=person, obj=vedtak, office=office)
    refused = refused or ("", None, None)
    context = selectors.vedtak_page(vedtak)
    today = timezone.localdate()
    activities = _activities(vedtak)
    for vilkar in context["vilkar"]:
        _with_forms(vilkar, refused, today, activities)
    context.update(_lifting_actions(request.user, vedtak, access.roles(request.user, office), context["pending"]))
    context.update({
        "members": _members(vedtak),
        "member_links": _member_links(request.user, vedtak),
        "any_broken": any(vilkar.broken for vilkar in context["vilkar"]),
        "decide_form": _refused(refused, "decide", None) or DecideForm(initial={"versjon": vedtak.version},
                                                                       auto_id="vedtak_%s"),
        "vilkar_form": _refused(refused, "vilkar", None) or VilkarForm(persons=_members(vedtak), activities=activities,
                                                                       auto_id="vilkar_%s"),
        "klager": selectors.vedtak_complaints(vedtak),
        "may_register_complaint": bool(vedtak.resultat) and access.has_role(
            request.user, *VEDTAK_COMPLAINT_ROLES, office=office),
        "klage_form": _refused(refused, "klage", None) or vedtak_klage_form(vedtak),
        "doc_types": DokumentType.choices,
        "today": today,
        "back": reverse("vedtak-detail", args=[vedtak.pk]),
    })
    return render(request, "conditions/vedtak_detail.html", context)


def _detail_url(vedtak_id: int) -> str:
    return reverse("vedtak-detail", args=[vedtak_id])


@login_required
@require_POST
def vedtak_decide(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, act=selectors.WRITERS)
    return interaction.act(
        request, form=DecideForm(request.POST, auto_id="vedtak_%s"),
        perform=lambda data: services.vedtak_decide(
            vedtak=vedtak, actor=Actor.from_request(request), resultat=data["resultat"],
            vedtaksdato=data["vedtaksdato"], unntak_20a=data["unntak_20a"], version=data["versjon"]),
        success_message="Vedtaket er fattet.", redirect_to=_detail_url(pk), section=HEADER,
        rerender=lambda form: vedtak_page(request, vedtak, refused=("decide", None, form)),
    )


@login_required
@require_POST
def vilkar_create(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, act=selectors.WRITERS)
    members = _members(vedtak)
    persons = {person.pk: person for person, _ in members}
    activities = _activities(vedtak)
    form = VilkarForm(request.POST, persons=members, activities=activities, auto_id="vilkar_%s")
    return interaction.act(
        request, form=form,
        perform=lambda data: services.vilkar_create(
            vedtak=vedtak, actor=Actor.from_request(request), person=persons[data["person"]], kind=data["kind"],
            hjemmel=data["hjemmel"], beskrivelse=data["beskrivelse"], frist=data["frist"], mengde=data["mengde"],
            enhet=data["enhet"], **form.offer_fields({item.pk: item for item in activities})),
        success_message="Vilkåret er lagt til.", redirect_to=_detail_url(pk), section="nytt-vilkar",
        rerender=lambda form: vedtak_page(request, vedtak, refused=("vilkar", None, form)),
    )


def _vilkar_section(vilkar) -> str:
    return f"vilkar-{vilkar.pk}"


@login_required
@require_POST
def vilkar_waive(request, pk):
    vilkar = selectors.get_vilkar_for_user(request.user, pk, act=selectors.WRITERS)
    return interaction.act(
        request, form=WaiveForm(request.POST, auto_id=f"bortfall{vilkar.pk}_%s"),
        perform=lambda data: services.vilkar_waive(vilkar=vilkar, actor=Actor.from_request(request),
                                                   begrunnelse=data["begrunnelse"], version=data["versjon"]),
        success_message="Vilkåret er satt som bortfalt.", redirect_to=_detail_url(vilkar.vedtak_id),
        section=_vilkar_section(vilkar),
        rerender=lambda form: vedtak_page(request, vilkar.vedtak, refused=("waive", vilkar.pk, form)),
    )


@login_required
@require_POST
def vilkar_set_offer(request, pk):
    """The offer of an open activity vilkår, set after the vilkår was made (vedtak unit and leaders)."""
    vilkar = selectors.get_vilkar_for_user(request.user, pk, act=selectors.WRITERS)
    activities = _activities(vilkar.vedtak)
    form = _offer_form(vilkar, activities, request.POST)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.vilkar_set_offer(
            vilkar=vilkar, actor=Actor.from_request(request), version=data["versjon"],
            **form.offer_fields({item.pk: item for item in activities})),
        success_message="Tilbudet på vilkåret er lagret.", redirect_to=_detail_url(vilkar.vedtak_id),
        section=_vilkar_section(vilkar),
        rerender=lambda form: vedtak_page(request, vilkar.vedtak, refused=("offer", vilkar.pk, form)),
    )


def _from_worklist(request) -> bool:
    """The documentation forms sit on the work list and on the vedtak page; «tilbake» says which."""
    return interaction.back(request, "").split("#")[0] == reverse("conditions-worklist")


@login_required
@require_POST
def document_register(request, pk):
    """A refusal draws the page the form came from again with this vilkår's form open, filled in
    and each error at its field (the file must be chosen again: browsers never prefill it)."""
    vilkar = selectors.get_vilkar_for_user(request.user, pk, act=selectors.WRITERS)
    form = DocumentForm(request.POST, request.FILES, activity=vilkar.kind == VilkarKind.AKTIVITET, auto_id=f"dok{vilkar.pk}_%s")
    if _from_worklist(request):
        target, section = reverse("conditions-worklist"), vilkar_section(vilkar, timezone.localdate())

        def rerender(form):
            return worklist_page(request, document=(vilkar.pk, form))
    else:
        target, section = _detail_url(vilkar.vedtak_id), _vilkar_section(vilkar)

        def rerender(form):
            return vedtak_page(request, vilkar.vedtak, refused=("document", vilkar.pk, form))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.document_register(
            vilkar=vilkar, actor=Actor.from_request(request), **form.service_fields()),
        success_message=f"Dokumentasjonen er registrert for {access.display_name(request.user, vilkar.person)}.",
        redirect_to=target, section=section, rerender=rerender,
    )


@login_required
@require_POST
def document_assess(request, pk):
    document = selectors.get_document_for_user(request.user, pk, act=selectors.WRITERS)
    vilkar = document.vilkar
    form = AssessDocumentForm(request.POST, auto_id=f"vurd{document.pk}_%s")
    if _from_worklist(request):
        target, section = reverse("conditions-worklist"), "ikke-vurdert"

        def rerender(form):
            return worklist_page(request, assess=(document.pk, form))
    else:
        target, section = _detail_url(vilkar.vedtak_id), _vilkar_section(vilkar)

        def rerender(form):
            return vedtak_page(request, vilkar.vedtak, refused=("assess", document.pk, form))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.document_assess(dokumentasjon=document, actor=Actor.from_request(request),
                                                           vurdering=data["vurdering"], avvist_grunn=data["avvist_grunn"]),
        success_message="Vurderingen av dokumentasjonen er lagret.", redirect_to=target, section=section,
        rerender=rerender,
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
