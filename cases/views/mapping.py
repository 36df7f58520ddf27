"""The mapping page (/deltakere/<id>/kartlegging/) with the kartlegging, the § 14 a assessment,
the activity plan and the route; the printable plan and the PDFs; the hovedveileder's list of
cases handed back. Veileder and KAREA do the work on participants they may see; signing,
approving and the route are NAV's (veileder); hovedveileder and prosjektleder read."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role, User
from cases import selectors, selectors_mapping, services_mapping
from cases.forms_mapping import (
    AktivitetForm,
    KartleggingForm,
    KartleggingStartForm,
    KlartJegKanForm,
    RouteForm,
    VurderingForm,
)
from cases.models import Aktivitet, Lopsstatus, Tilbakeforing, VurderingStatus
from cases.pdf import pdf_response, render_pdf
from cases.views.participants import _form_errors

S = Lopsstatus
# The innsatsgruppe in the participant's own words, for the PDF.
PLAIN_GROUP = {
    "standard": "Du har gode muligheter til å komme i arbeid selv, med litt veiledning fra NAV.",
    "situasjonsbestemt": "Du trenger hjelp fra NAV en periode for å komme i arbeid.",
    "spesielt_tilpasset": "Du trenger hjelp som er tilpasset deg, fordi arbeidsevnen din er nedsatt.",
    "gradert_varig_tilpasset": "Arbeidsevnen din er varig nedsatt, men du kan jobbe noe. Du får tilpasset hjelp over tid.",
    "varig_tilpasset": "Arbeidsevnen din er varig og mye nedsatt. Du får tilpasset hjelp over lang tid.",
}
WORKERS = (Role.VEILEDER, Role.KAREA)
NAV_ONLY = (Role.VEILEDER,)


def _mapping_url(pk: int, anchor: str = "") -> str:
    return reverse("mapping-detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def _deltaker_for(request, pk, *roles):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    access.require_role(request.user, *roles, office=deltaker.office.enhetsnummer)
    return deltaker


def _refuse(request, error) -> None:
    messages.error(request, " ".join(error.messages))


def _act(request, pk, roles, form, perform, success: str, anchor: str):
    """Every action of the mapping page: access, form, service, message, back to the page."""
    deltaker = _deltaker_for(request, pk, *roles)
    bound = form(deltaker) if form else None
    if bound is not None and not bound.is_valid():
        _refuse(request, _form_errors(bound))
        return redirect(_mapping_url(pk, anchor))
    try:
        perform(deltaker, bound)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, success)
    return redirect(_mapping_url(pk, anchor))


@login_required
@require_GET
def mapping_detail(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    roles = selectors.roles_for(request.user, deltaker)
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    overview = selectors_mapping.mapping_overview(deltaker)
    is_worker = bool(roles & set(WORKERS))
    is_nav_veileder = Role.VEILEDER in roles
    in_mapping = deltaker.status in services_mapping.MAPPED_STATES
    open_version = overview.open_version
    kartlegging = overview.kartlegging
    awaiting_approval = open_version is not None and open_version.status == VurderingStatus.TIL_GODKJENNING
    if awaiting_approval:
        # Only a version waiting for its second approver needs its authors on the page.
        prefetch_related_objects([open_version], Prefetch("authors", queryset=User.objects.order_by("username")))
    context = {
        "deltaker": deltaker,
        "person": deltaker.person,
        "overview": overview,
        "can_start": is_worker and (deltaker.status == S.MOTT or (deltaker.status == S.I_KARTLEGGING
                                                                  and kartlegging is None)),
        "can_edit_kartlegging": is_worker and kartlegging is not None and kartlegging.closed_on is None,
        "can_edit_vurdering": is_worker and in_mapping and (
            not overview.versions or (open_version is not None and open_version.status == VurderingStatus.UTKAST)),
        "can_new_version": is_worker and in_mapping and overview.in_force is not None and open_version is None,
        "can_sign": is_nav_veileder and open_version is not None and open_version.status == VurderingStatus.UTKAST,
        "awaiting_approval": awaiting_approval,
        # Approving and sending back are offered to NAV; the approve button only to one the
        # service would accept (neither an author nor the signer).
        "can_approve": is_nav_veileder and awaiting_approval,
        "own_assessment": awaiting_approval
        and services_mapping.approval_refusal(open_version, request.user) is not None,
        "can_add_activity": is_worker and in_mapping,
        "can_edit_activities": is_worker,
        "can_decide_route": is_nav_veileder and deltaker.status == S.I_KARTLEGGING,
        "start_form": KartleggingStartForm(auto_id="start_%s"),
        "kartlegging_form": KartleggingForm(instance=kartlegging, omrader=overview.omrader, auto_id="kartlegging_%s"),
        "kjk_form": KlartJegKanForm(auto_id="kjk_%s"),
        "vurdering_form": VurderingForm(instance=open_version, auto_id="vurdering_%s"),
        "aktivitet_form": AktivitetForm(new=True, auto_id="aktivitet_%s",
                                        initial={"fra_dato": timezone.localdate(), "status": "planlagt"}),
        "route_form": RouteForm(auto_id="rute_%s"),
    }
    return render(request, "cases/mapping_detail.html", context)


@login_required
@require_POST
def mapping_start(request, pk):
    return _act(
        request, pk, WORKERS, lambda deltaker: KartleggingStartForm(request.POST),
        lambda deltaker, form: services_mapping.kartlegging_start(
            deltaker=deltaker, actor=Actor.from_request(request), on_date=form.cleaned_data["date"]),
        "Kartleggingen er startet.", "kartlegging",
    )


@login_required
@require_POST
def mapping_update(request, pk):
    return _act(
        request, pk, WORKERS, lambda deltaker: KartleggingForm(request.POST),
        lambda deltaker, form: services_mapping.kartlegging_update(
            deltaker=deltaker, actor=Actor.from_request(request), fields=form.fields_data(), omrader=form.omrader_data()),
        "Kartleggingen er lagret.", "kartlegging",
    )


@login_required
@require_POST
def mapping_week(request, pk):
    return _act(
        request, pk, WORKERS, lambda deltaker: KlartJegKanForm(request.POST),
        lambda deltaker, form: services_mapping.klart_jeg_kan_register(
            deltaker=deltaker, actor=Actor.from_request(request), uke=form.cleaned_data["uke"],
            planlagte_dager=form.cleaned_data["planlagte_dager"], mott_dager=form.cleaned_data["mott_dager"],
            kommentar=form.cleaned_data["kommentar"]),
        "Oppmøtet i «Klart jeg kan» er registrert.", "klart-jeg-kan",
    )


@login_required
@require_POST
def assessment_save(request, pk):
    return _act(
        request, pk, WORKERS, lambda deltaker: VurderingForm(request.POST),
        lambda deltaker, form: services_mapping.vurdering_save(
            deltaker=deltaker, actor=Actor.from_request(request), fields=form.cleaned_data),
        "Utkastet til arbeidsevnevurdering er lagret.", "vurdering",
    )


@login_required
@require_POST
def assessment_new_version(request, pk):
    return _act(
        request, pk, WORKERS, None,
        lambda deltaker, form: services_mapping.vurdering_new_version(
            deltaker=deltaker, actor=Actor.from_request(request)),
        "En ny versjon er laget som utkast. Den signerte versjonen gjelder til den nye er signert.", "vurdering",
    )


def _vurdering_action(request, pk, vurdering_pk, service, success: str):
    deltaker = _deltaker_for(request, pk, *NAV_ONLY)
    vurdering = selectors_mapping.get_vurdering(deltaker, vurdering_pk)
    try:
        result = service(vurdering=vurdering, actor=Actor.from_request(request))
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(_mapping_url(pk, "vurdering"))


@login_required
@require_POST
def assessment_sign(request, pk, vurdering_pk):
    return _vurdering_action(
        request, pk, vurdering_pk, services_mapping.vurdering_sign,
        lambda vurdering: "Vurderingen er signert."
        if vurdering.status == VurderingStatus.SIGNERT
        else "Vurderingen er signert og sendt til andre godkjenner (varig tilpasset innsats).",
    )


@login_required
@require_POST
def assessment_approve(request, pk, vurdering_pk):
    return _vurdering_action(request, pk, vurdering_pk, services_mapping.vurdering_approve,
                             "Vurderingen er godkjent og gjelder fra nå.")


@login_required
@require_POST
def assessment_return(request, pk, vurdering_pk):
    return _vurdering_action(request, pk, vurdering_pk, services_mapping.vurdering_return,
                             "Vurderingen er sendt tilbake som utkast.")


@login_required
@require_GET
def assessment_pdf(request, pk, vurdering_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    vurdering = selectors_mapping.get_vurdering(deltaker, vurdering_pk)
    if vurdering.status != VurderingStatus.SIGNERT:
        messages.error(request, "Bare en signert arbeidsevnevurdering kan lastes ned som PDF.")
        return redirect(_mapping_url(pk, "vurdering"))
    audit.record(request, AuditEntry.Action.EXPORT, obj=vurdering, person=deltaker.person,
                 office=deltaker.office.enhetsnummer)
    pdf = render_pdf("cases/pdf/arbeidsevnevurdering.html", {
        "deltaker": deltaker, "person": deltaker.person, "vurdering": vurdering, "today": timezone.localdate(),
        "plain_group": PLAIN_GROUP.get(vurdering.innsatsgruppe, ""),
    })
    return pdf_response(pdf, f"arbeidsevnevurdering-versjon-{vurdering.versjon}.pdf")


@login_required
@require_POST
def activity_create(request, pk):
    return _act(
        request, pk, WORKERS, lambda deltaker: AktivitetForm(request.POST, new=True),
        lambda deltaker, form: services_mapping.aktivitet_create(
            deltaker=deltaker, actor=Actor.from_request(request), fields=form.values()),
        "Aktiviteten er lagt til i planen.", "plan",
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk, aktivitet_pk):
    deltaker = _deltaker_for(request, pk, *WORKERS)
    aktivitet = get_object_or_404(Aktivitet, pk=aktivitet_pk, deltaker=deltaker)
    form = AktivitetForm(request.POST if request.method == "POST" else None, instance=aktivitet,
                         auto_id="aktivitet_%s")
    if request.method == "POST":
        if form.is_valid():
            try:
                services_mapping.aktivitet_update(aktivitet=aktivitet, actor=Actor.from_request(request), fields=form.values())
            except ValidationError as error:
                _refuse(request, error)
            else:
                messages.success(request, "Aktiviteten er endret.")
                return redirect(_mapping_url(pk, "plan"))
        else:
            _refuse(request, _form_errors(form))
        return redirect("activity-edit", pk=pk, aktivitet_pk=aktivitet_pk)
    audit.record_read(request, person=deltaker.person, obj=aktivitet, office=deltaker.office.enhetsnummer)
    return render(request, "cases/activity_edit.html", {"deltaker": deltaker, "person": deltaker.person,
                                                        "aktivitet": aktivitet, "form": form})


def _plan_context(deltaker) -> dict:
    return {"deltaker": deltaker, "person": deltaker.person, "activities": selectors_mapping.plan_activities(deltaker),
            "vurdering": selectors_mapping.vurdering_in_force(deltaker), "today": timezone.localdate()}


@login_required
@require_GET
def plan_print(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    return render(request, "cases/plan_print.html", _plan_context(deltaker))


@login_required
@require_GET
def plan_pdf(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    audit.record(request, AuditEntry.Action.EXPORT, obj=deltaker, person=deltaker.person,
                 office=deltaker.office.enhetsnummer)
    return pdf_response(render_pdf("cases/pdf/aktivitetsplan.html", _plan_context(deltaker)), "aktivitetsplan.pdf")


@login_required
@require_POST
def route_decide(request, pk):
    return _act(
        request, pk, NAV_ONLY, lambda deltaker: RouteForm(request.POST),
        lambda deltaker, form: services_mapping.deltaker_decide_route(
            deltaker=deltaker, actor=Actor.from_request(request), rute=form.cleaned_data["rute"], on_date=form.cleaned_data["date"],
            comment=form.cleaned_data["comment"]),
        "Ruten er valgt, og deltakeren er avklart.", "rute",
    )


@access.role_required(Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
@require_GET
def handback_list(request):
    rows = [
        {"handback": handback, "name": access.display_name(request.user, handback.deltaker.person),
         "visible": access.may_see_person(request.user, handback.deltaker.person)}
        for handback in selectors_mapping.handbacks_for_user(request.user)
    ]
    return render(request, "cases/handback_list.html", {
        "rows": rows, "can_receive": access.has_role(request.user, Role.HOVEDVEILEDER)})


@login_required
@require_POST
def handback_receive(request, pk, tilbakeforing_pk):
    deltaker = _deltaker_for(request, pk, Role.HOVEDVEILEDER)
    handback = get_object_or_404(Tilbakeforing, pk=tilbakeforing_pk, deltaker=deltaker)
    try:
        services_mapping.tilbakeforing_receive(tilbakeforing=handback, actor=Actor.from_request(request))
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, "Saken er markert som mottatt og er fjernet fra arbeidslisten.")
    return redirect("handback-list")
