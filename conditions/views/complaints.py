"""Complaints (klage, issue 16): registered on the vedtak page (the vedtak unit) or in the
participant page's § 14 a section (composed by the frame, as the vilkår section), the list of
open complaints and one complaint's page, where its status is moved on."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from cases import selectors as cases_selectors
from cases.models import VurderingStatus
from cases.views import participants as participant_page
from conditions import selectors
from conditions.forms import KlageForm, KlageStatusForm, vedtak_klage_form
from conditions.services import complaints as services
from conditions.views.vedtak import vedtak_page

SECTION = "klage-14a"
DETAIL_SECTION = "klage"
VEDTAK_SECTION = "klager"
# A refused § 14 a complaint form, kept on the request while the participant page is drawn again.
REFUSED_FORM = "_conditions_klage_form"


def _signed_versions(deltaker) -> list[tuple[int, str]]:
    rows = deltaker.vurderinger.filter(status=VurderingStatus.SIGNERT).order_by("-versjon")
    return [(row.pk, f"Versjon {row.versjon}, signert {row.signed_at:%d.%m.%Y}") for row in rows]


def participant_section(request, deltaker) -> str:
    """The participant's complaints on their § 14 a assessment, and the form to register one,
    for NAV's people who follow the participant; nothing at all (no query either) for others.
    The page has already written the read entry for the person."""
    if not access.has_role(request.user, *services.ASSESSMENT_COMPLAINT_ROLES, office=deltaker.office.enhetsnummer):
        return ""
    versions = _signed_versions(deltaker)
    form = getattr(request, REFUSED_FORM, None) or KlageForm(versions=versions, auto_id="klage14a_%s")
    return render_to_string("conditions/_participant_complaints.html", {
        "deltaker": deltaker, "klager": selectors.assessment_complaints(deltaker), "form": form,
        "may_register": bool(versions),
    }, request=request)


@login_required
@require_POST
def assessment_complaint_create(request, pk):
    deltaker = cases_selectors.get_participant_for_user(request.user, pk, act=services.ASSESSMENT_COMPLAINT_ROLES)
    form = KlageForm(request.POST, versions=_signed_versions(deltaker), auto_id="klage14a_%s")

    def rerender(bound):
        setattr(request, REFUSED_FORM, bound)
        return participant_page._detail_page(request, deltaker)

    return interaction.act(
        request, form=form,
        perform=lambda data: services.klage_register_vurdering(
            deltaker=deltaker, vurdering=deltaker.vurderinger.filter(pk=data["versjon"]).first(),
            actor=Actor.from_request(request), vedtak_mottatt=data["vedtak_mottatt"], mottatt=data["mottatt"],
            hva_klagen_gjelder=data["hva_klagen_gjelder"], behandles_etter_frist=form.late_answer()),
        success_message=lambda klage: f"Klagen er registrert. Klagefristen var {klage.frist:%d.%m.%Y}.",
        redirect_to=reverse("participant-detail", args=[pk]), section=SECTION, rerender=rerender,
    )


@login_required
@require_POST
def vedtak_complaint_create(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, act=services.VEDTAK_COMPLAINT_ROLES)
    form = vedtak_klage_form(vedtak, request.POST)
    persons = {vedtak.sak.hovedperson_id: vedtak.sak.hovedperson, vedtak.sak.ektefelle_id: vedtak.sak.ektefelle}
    return interaction.act(
        request, form=form,
        perform=lambda data: services.klage_register_vedtak(
            vedtak=vedtak, person=persons[data["klager"]], actor=Actor.from_request(request),
            vedtak_mottatt=data["vedtak_mottatt"], mottatt=data["mottatt"],
            hva_klagen_gjelder=data["hva_klagen_gjelder"], behandles_etter_frist=form.late_answer()),
        success_message=lambda klage: f"Klagen er registrert. Klagefristen var {klage.frist:%d.%m.%Y}.",
        redirect_to=reverse("vedtak-detail", args=[pk]), section=VEDTAK_SECTION,
        rerender=lambda bound: vedtak_page(request, vedtak, refused=("klage", None, bound)),
    )


@access.role_required(*selectors.COMPLAINT_READERS)
@require_GET
def complaint_list(request):
    """Open complaints of the user's offices: a list, not logged (docs/domain.md §7)."""
    return render(request, "conditions/complaint_list.html", {"klager": selectors.open_complaints(request.user)})


def _status_form(klage, data=None) -> KlageStatusForm:
    return KlageStatusForm(data, statuses=services.NEXT_STATUS[klage.status], initial={"versjon": klage.version},
                           auto_id="status_%s")


def _detail_page(request, klage, form=None):
    audit.record_read(request, person=klage.person, obj=klage, office=klage.office.enhetsnummer)
    may_update = (access.has_role(request.user, *services.complaint_roles(klage), office=klage.office.enhetsnummer)
                  and bool(services.NEXT_STATUS[klage.status]))
    return render(request, "conditions/complaint_detail.html", {
        "klage": klage, "may_update": may_update, "form": form or _status_form(klage),
        "deltaker_id": klage.vurdering.deltaker_id if klage.vurdering_id else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request, pk):
    klage = selectors.get_complaint_for_user(request.user, pk)
    if request.method == "GET":
        return _detail_page(request, klage)
    access.require_role(request.user, *services.complaint_roles(klage), office=klage.office.enhetsnummer)
    form = _status_form(klage, request.POST)

    def rerender(bound):
        fresh = selectors.get_complaint_for_user(request.user, pk)
        if fresh.version != klage.version:
            # Changed by someone else meanwhile: the form was for a complaint that is no longer
            # there; the refusal is a message over the page as it is now.
            return None
        return _detail_page(request, fresh, bound)

    return interaction.act(
        request, form=form,
        perform=lambda data: services.klage_update(
            klage=klage, actor=Actor.from_request(request), version=data["versjon"], status=data["status"],
            utfall=data["utfall"], avgjort_dato=data["avgjort_dato"], utfall_begrunnelse=data["utfall_begrunnelse"]),
        success_message=lambda updated: f"Klagen har fått status «{updated.get_status_display()}».",
        redirect_to=reverse("complaint-detail", args=[pk]), section=DETAIL_SECTION, rerender=rerender,
    )
