"""The mapping page (/deltakere/<id>/kartlegging/) with the kartlegging, the § 14 a assessment,
the activity plan and the route; the printable plan and the PDFs; the hovedveileder's list of
cases handed back. Veileder and KAREA do the work on participants they may see; signing,
approving and the route are NAV's (veileder); hovedveileder and prosjektleder read."""
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role, User
from alnaaktiv.pdf import pdf_response, render_pdf
from cases import selectors, services
from cases.choices import Innsatsgruppe
from cases.forms import (
    ActivityForm,
    AssessmentForm,
    KlartJegKanForm,
    MappingForm,
    MappingStartForm,
    RouteForm,
    UndoReceiptForm,
)
from cases.forms.voice import StatementForm
from cases.models import (
    Aktivitet,
    Aktivitetsstatus,
    Hovedmal,
    Lopsstatus,
    Rute,
    Tilbakeforing,
    UttalelseGjelder,
    VurderingStatus,
)
from cases.models.mapping import VARIG_GROUPS
from cases.selectors import voice as voice_selectors
from cases.services import voice as voice_services
from cases.views import participants

# The innsatsgruppe in the participant's own words, for the PDF.
PLAIN_GROUP = {
    "standard": "Du har gode muligheter til å komme i arbeid selv, med litt veiledning fra NAV.",
    "situasjonsbestemt": "Du trenger hjelp fra NAV en periode for å komme i arbeid.",
    "spesielt_tilpasset": "Du trenger hjelp som er tilpasset deg, fordi arbeidsevnen din er nedsatt.",
    "gradert_varig_tilpasset": "Arbeidsevnen din er varig nedsatt, men du kan jobbe noe. Du får tilpasset hjelp over tid.",
    "varig_tilpasset": "Arbeidsevnen din er varig og mye nedsatt. Du får tilpasset hjelp over lang tid.",
}
WORKERS = services.MAPPING_WORKERS
NAV_ONLY = (Role.VEILEDER,)


def _mapping_url(pk: int, anchor: str = "") -> str:
    return reverse("mapping-detail", args=[pk]) + (f"#{anchor}" if anchor else "")


# The forms of the page, each with the ids the page gives it, so a refused form re-renders with
# the same labels and anchors as the empty one.
def _start_form(data=None):
    return MappingStartForm(data, auto_id="start_%s")


def _kartlegging_form(data=None, **kwargs):
    return MappingForm(data, auto_id="kartlegging_%s", **kwargs)


def _kjk_form(data=None):
    return KlartJegKanForm(data, auto_id="kjk_%s")


def _vurdering_form(data=None, **kwargs):
    return AssessmentForm(data, auto_id="vurdering_%s", **kwargs)


def _aktivitet_form(data=None, **kwargs):
    return ActivityForm(data, new=True, auto_id="aktivitet_%s", **kwargs)


def _route_form(data=None):
    return RouteForm(data, auto_id="rute_%s")


def _plan_statement_form(data=None):
    return StatementForm(data, auto_id="planuttalelse_%s")


def _version_choices(overview) -> list[tuple[int, str]]:
    """The versions a statement on the assessment may name: the one in force and the open one."""
    choices = []
    if overview.in_force is not None:
        choices.append((overview.in_force.pk, f"Versjon {overview.in_force.versjon} (gjeldende, signert "
                                              f"{overview.in_force.signed_at:%d.%m.%Y})"))
    if overview.open_version is not None:
        choices.append((overview.open_version.pk, f"Versjon {overview.open_version.versjon} "
                                                  f"({overview.open_version.get_status_display().lower()})"))
    return choices


def _vurdering_statement_form(overview, data=None):
    return StatementForm(data, versions=_version_choices(overview), auto_id="vurderingsuttalelse_%s")


def _may(request, deltaker, overview) -> dict:
    """What the user may do on the mapping page, each the rule the service applies."""
    roles = selectors.roles_for(request.user, deltaker)
    is_worker = bool(roles & set(WORKERS))
    is_nav_veileder = Role.VEILEDER in roles
    in_mapping = deltaker.status in services.MAPPED_STATES
    open_version, kartlegging = overview.open_version, overview.kartlegging
    is_draft = open_version is not None and open_version.status == VurderingStatus.UTKAST
    awaiting_approval = open_version is not None and open_version.status == VurderingStatus.TIL_GODKJENNING
    return {
        "can_start": services.mapping_start_refusal(request.user, deltaker,
                                                        kartlegging_exists=kartlegging is not None) is None,
        "can_edit_kartlegging": is_worker and kartlegging is not None and kartlegging.closed_on is None,
        "can_edit_vurdering": is_worker and in_mapping and (not overview.versions or is_draft),
        "can_new_version": is_worker and in_mapping and overview.in_force is not None and open_version is None,
        "can_sign": is_nav_veileder and is_draft,
        "awaiting_approval": awaiting_approval,
        # Approving and sending back are offered to NAV; the approve button only to one the
        # service would accept (neither an author nor the signer).
        "can_approve": is_nav_veileder and awaiting_approval,
        "own_assessment": awaiting_approval and services.second_approver_refusal(open_version, request.user) is not None,
        "can_add_activity": is_worker and in_mapping,
        "can_edit_activities": is_worker,
        "can_decide_route": is_nav_veileder and deltaker.status == Lopsstatus.I_KARTLEGGING,
        "can_add_statement": voice_services.statement_refusal(request.user, deltaker) is None,
        "sees_assessment_statements": voice_selectors.sees_assessment_statements(request.user, deltaker),
    }


def _page(request, deltaker, **forms) -> HttpResponse:
    """The mapping page; a refused action passes its bound form (e.g. `vurdering_form=`) to be
    drawn with what was typed and the errors at the fields."""
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    overview = selectors.mapping_overview(deltaker)
    may = _may(request, deltaker, overview)
    if may["awaiting_approval"]:
        # Only a version waiting for its second approver needs its authors on the page.
        prefetch_related_objects([overview.open_version],
                                 Prefetch("authors", queryset=User.objects.order_by("username")))
    empty_forms = {
        "start_form": _start_form,
        "kartlegging_form": lambda: _kartlegging_form(instance=overview.kartlegging, omrader=overview.omrader),
        "kjk_form": _kjk_form,
        "vurdering_form": lambda: _vurdering_form(instance=overview.open_version),
        "aktivitet_form": lambda: _aktivitet_form(initial={"fra_dato": timezone.localdate(), "status": Aktivitetsstatus.PLANLAGT}),
        "route_form": _route_form,
        "plan_uttalelse_form": _plan_statement_form,
        "vurdering_uttalelse_form": lambda: _vurdering_statement_form(overview),
    }
    statements = voice_selectors.statements(request.user, deltaker)
    for version in overview.versions:
        version.statements = statements.by_version.get(version.pk, [])
    carried = selectors.activity_vilkar(request.user, deltaker)
    for aktivitet in overview.activities:
        aktivitet.vilkar_labels = carried.get(aktivitet.pk, [])
    context = {
        "deltaker": deltaker,
        "person": deltaker.person,
        "overview": overview,
        "plan_statements": statements.plan,
        "has_assessment_statements": bool(statements.by_version),
        **may,
        **{name: forms.get(name) or empty() for name, empty in empty_forms.items()},
    }
    return render(request, "cases/mapping_detail.html", context)


@login_required
@require_GET
def mapping_detail(request, pk):
    return _page(request, selectors.get_participant_for_user(request.user, pk))


def _route_message(deltaker) -> str:
    if deltaker.status == Lopsstatus.I_AKTIVITET:  # an activity was under way (services.route_decide)
        return ("Ruten er valgt, og deltakeren er avklart. En aktivitet pågår allerede, så løpet er flyttet "
                "til «I aktivitet».")
    return "Ruten er valgt, og deltakeren er avklart."


def _mapping_act(request, deltaker, *, form_name: str, form, perform, success_message, section: str):
    """An action of the mapping page: refused, the page again with this form as typed."""
    return interaction.act(
        request, perform=perform, success_message=success_message, redirect_to=_mapping_url(deltaker.pk),
        section=section, form=form, rerender=lambda bound: _page(request, deltaker, **{form_name: bound}),
    )


def _refused_page(form, error, rerender) -> HttpResponse:
    """A refusal found before a confirmation: the page again with the form, as act() refuses."""
    if error is not None:
        interaction.apply_error(form, error)
    interaction.focus_first_error(form)
    response = rerender(form)
    response.status_code = interaction.REFUSED_STATUS
    return response


@login_required
@require_POST
def mapping_start(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    return _mapping_act(
        request, deltaker, form_name="start_form", form=_start_form(request.POST),
        perform=lambda data: services.mapping_start(
            deltaker=deltaker, actor=Actor.from_request(request), on_date=data["date"]),
        success_message="Kartleggingen er startet.", section="kartlegging",
    )


@login_required
@require_POST
def mapping_update(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    form = _kartlegging_form(request.POST)
    return _mapping_act(
        request, deltaker, form_name="kartlegging_form", form=form,
        perform=lambda data: services.mapping_update(
            deltaker=deltaker, actor=Actor.from_request(request), fields=form.fields_data(),
            omrader=form.omrader_data()),
        success_message="Kartleggingen er lagret.", section="kartlegging",
    )


@login_required
@require_POST
def mapping_week(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    return _mapping_act(
        request, deltaker, form_name="kjk_form", form=_kjk_form(request.POST),
        perform=lambda data: services.klart_jeg_kan_register(
            deltaker=deltaker, actor=Actor.from_request(request), uke=data["uke"],
            planlagte_dager=data["planlagte_dager"], mott_dager=data["mott_dager"], kommentar=data["kommentar"],
            fravaer_godkjent=data["fravaer_godkjent"] or 0),
        success_message="Oppmøtet i «Klart jeg kan» er registrert.", section="klart-jeg-kan",
    )


@login_required
@require_POST
def assessment_save(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    return _mapping_act(
        request, deltaker, form_name="vurdering_form", form=_vurdering_form(request.POST),
        perform=lambda data: services.assessment_save(
            deltaker=deltaker, actor=Actor.from_request(request), fields=data),
        success_message="Utkastet til arbeidsevnevurdering er lagret.", section="vurdering",
    )


@login_required
@require_POST
def assessment_new_version(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    return interaction.act(
        request, perform=lambda data: services.assessment_new_version(
            deltaker=deltaker, actor=Actor.from_request(request)),
        success_message="En ny versjon er laget som utkast. Den signerte versjonen gjelder til den nye er signert.",
        redirect_to=_mapping_url(deltaker.pk), section="vurdering",
    )


def _label(choices, value: str) -> str:
    return dict(choices.choices).get(value, "Ikke valgt")


def _signed_message(vurdering) -> str:
    if vurdering.status == VurderingStatus.SIGNERT:
        return "Vurderingen er signert."
    return "Vurderingen er signert og sendt til andre godkjenner (varig tilpasset innsats)."


@login_required
@require_POST
def assessment_sign(request, pk, vurdering_pk):
    """«Signer vurderingen» is a button of the draft form: it posts the draft as it is on screen.
    Checked first (refused: the page again, as typed), then a confirmation that repeats it, and
    only «Bekreft» saves and signs that text in one transaction. «Tilbake» from the confirmation
    posts the same text to `?rediger=1`: the page with the draft still filled in, nothing saved."""
    deltaker = selectors.get_participant_for_user(request.user, pk, act=NAV_ONLY)
    vurdering = selectors.get_assessment(deltaker, vurdering_pk)
    if vurdering.status != VurderingStatus.UTKAST:
        # Signed or sent on since the page was drawn: there is no draft form to show it at.
        interaction.refuse(request, "Bare et utkast kan signeres.", section="vurdering")
        return redirect(_mapping_url(deltaker.pk, "vurdering"))
    form = _vurdering_form(request.POST)
    sign_url = reverse("assessment-sign", args=[deltaker.pk, vurdering.pk])

    def rerender(bound):
        return _page(request, deltaker, vurdering_form=bound)

    if request.GET.get("rediger"):
        return rerender(form)
    if not interaction.is_confirmed(request):
        if not form.is_valid():
            return _refused_page(form, None, rerender)
        refusal = services.assessment_sign_refusal(vurdering=vurdering, fields=form.cleaned_data)
        if refusal is not None:
            return _refused_page(form, refusal, rerender)
        data = form.cleaned_data
        warning = ("En signert arbeidsevnevurdering kan ikke endres etterpå. Endringer må gjøres i en ny versjon, "
                   "som gjelder først når den er signert.")
        if data["innsatsgruppe"] in VARIG_GROUPS:
            warning += " Vurderingen sendes til en andre godkjenner før den gjelder."
        audit.record_read(request, person=deltaker.person, obj=vurdering, office=deltaker.office.enhetsnummer)
        return interaction.confirmation(
            request, title=f"Signer arbeidsevnevurderingen (versjon {vurdering.versjon})", warning=warning,
            confirm_label="Bekreft og signer", cancel_url=_mapping_url(deltaker.pk, "vurdering"),
            summary=[
                ("Deltaker", deltaker.person.navn),
                ("Innsatsgruppe", _label(Innsatsgruppe, data["innsatsgruppe"])),
                ("Hovedmål", _label(Hovedmal, data["hovedmal"])),
                ("Begrunnelse for innsatsgruppen", data["begrunnelse"] or "–"),
            ],
            back_action=f"{sign_url}?rediger=1#vurdering", back_label="Tilbake til utkastet uten å signere",
        )
    return _mapping_act(
        request, deltaker, form_name="vurdering_form", form=form,
        perform=lambda data: services.assessment_save_and_sign(
            deltaker=deltaker, vurdering=vurdering, actor=Actor.from_request(request), fields=data),
        success_message=_signed_message, section="vurdering",
    )


@login_required
@require_POST
def assessment_approve(request, pk, vurdering_pk):
    """The second approver's approval puts the version in force for good: a confirmation first."""
    deltaker = selectors.get_participant_for_user(request.user, pk, act=NAV_ONLY)
    vurdering = selectors.get_assessment(deltaker, vurdering_pk)
    refusal = services.assessment_approve_refusal(vurdering, request.user)
    if refusal is not None:
        interaction.refuse(request, refusal, section="vurdering")
        return redirect(_mapping_url(deltaker.pk, "vurdering"))
    if not interaction.is_confirmed(request):
        audit.record_read(request, person=deltaker.person, obj=vurdering, office=deltaker.office.enhetsnummer)
        return interaction.confirmation(
            request, title=f"Godkjenn arbeidsevnevurderingen (versjon {vurdering.versjon})",
            warning="Når du godkjenner, gjelder vurderingen fra nå og kan ikke endres etterpå. "
                    "Endringer må gjøres i en ny versjon.",
            confirm_label="Bekreft og godkjenn", cancel_url=_mapping_url(deltaker.pk, "vurdering"),
            summary=[
                ("Deltaker", deltaker.person.navn),
                ("Innsatsgruppe", vurdering.get_innsatsgruppe_display()),
                ("Hovedmål", vurdering.get_hovedmal_display()),
                ("Begrunnelse for innsatsgruppen", vurdering.begrunnelse or "–"),
                ("Signert av", vurdering.signed_by.get_full_name() or vurdering.signed_by.username),
            ],
        )
    return interaction.act(
        request, perform=lambda data: services.assessment_approve(
            vurdering=vurdering, actor=Actor.from_request(request)),
        success_message="Vurderingen er godkjent og gjelder fra nå.", redirect_to=_mapping_url(deltaker.pk),
        section="vurdering",
    )


@login_required
@require_POST
def assessment_return(request, pk, vurdering_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=NAV_ONLY)
    vurdering = selectors.get_assessment(deltaker, vurdering_pk)
    return interaction.act(
        request, perform=lambda data: services.assessment_return(
            vurdering=vurdering, actor=Actor.from_request(request)),
        success_message="Vurderingen er sendt tilbake som utkast.", redirect_to=_mapping_url(deltaker.pk),
        section="vurdering",
    )


@login_required
@require_GET
def assessment_pdf(request, pk, vurdering_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    vurdering = selectors.get_assessment(deltaker, vurdering_pk)
    if vurdering.status != VurderingStatus.SIGNERT:
        interaction.refuse(request, "Bare en signert arbeidsevnevurdering kan lastes ned som PDF.", section="vurdering")
        return redirect(_mapping_url(pk, "vurdering"))
    audit.record(request, AuditEntry.Action.EXPORT, obj=vurdering, person=deltaker.person,
                 office=deltaker.office.enhetsnummer)
    pdf = render_pdf("cases/pdf/arbeidsevnevurdering.html", {
        "deltaker": deltaker, "person": deltaker.person, "vurdering": vurdering, "today": timezone.localdate(),
        "plain_group": PLAIN_GROUP.get(vurdering.innsatsgruppe, ""),
        "statements": voice_selectors.version_statements(vurdering),
    })
    return pdf_response(pdf, f"arbeidsevnevurdering-versjon-{vurdering.versjon}.pdf")


@login_required
@require_POST
def activity_create(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    return _mapping_act(
        request, deltaker, form_name="aktivitet_form", form=_aktivitet_form(request.POST),
        perform=lambda data: services.activity_create(
            deltaker=deltaker, actor=Actor.from_request(request), fields=dict(data)),
        success_message="Aktiviteten er lagt til i planen.", section="plan",
    )


def _activity_edit_page(request, deltaker, aktivitet, form) -> HttpResponse:
    audit.record_read(request, person=deltaker.person, obj=aktivitet, office=deltaker.office.enhetsnummer)
    return render(request, "cases/activity_edit.html", {"deltaker": deltaker, "person": deltaker.person,
                                                        "aktivitet": aktivitet, "form": form})


def _activity_update(request, deltaker, aktivitet, data) -> Aktivitet:
    """The change, then the next step asked for when it ended the participant's last activity."""
    changed = services.activity_update(aktivitet=aktivitet, actor=Actor.from_request(request), fields=dict(data))
    participants.prompt_next_step(request, deltaker)
    return changed


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk, aktivitet_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=WORKERS)
    aktivitet = get_object_or_404(Aktivitet, pk=aktivitet_pk, deltaker=deltaker)
    if request.method == "GET":
        return _activity_edit_page(request, deltaker, aktivitet, ActivityForm(instance=aktivitet, auto_id="aktivitet_%s"))
    return interaction.act(
        request, form=ActivityForm(request.POST, instance=aktivitet, auto_id="aktivitet_%s"),
        perform=lambda data: _activity_update(request, deltaker, aktivitet, data),
        success_message="Aktiviteten er endret.", redirect_to=_mapping_url(deltaker.pk), section="plan",
        # The bound model form has put what was typed on `aktivitet`; the page shows it as stored.
        rerender=lambda bound: _activity_edit_page(request, deltaker, Aktivitet.objects.get(pk=aktivitet.pk), bound),
    )


def _plan_context(deltaker) -> dict:
    return {"deltaker": deltaker, "person": deltaker.person, "activities": selectors.plan_activities(deltaker),
            "vurdering": selectors.assessment_in_force(deltaker), "today": timezone.localdate(),
            "statements": voice_selectors.plan_statements(deltaker)}


# --- the participant's statement on the plan and the assessment ------------------------------

STATEMENT_ROLES = voice_services.STATEMENT_ROLES


@login_required
@require_POST
def plan_statement_create(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=STATEMENT_ROLES)
    return _mapping_act(
        request, deltaker, form_name="plan_uttalelse_form", form=_plan_statement_form(request.POST),
        perform=lambda data: voice_services.uttalelse_create(
            deltaker=deltaker, actor=Actor.from_request(request), gjelder=UttalelseGjelder.PLAN,
            standpunkt=data["standpunkt"], tekst=data["tekst"], dato=data["dato"], med_tolk=data["med_tolk"]),
        success_message="Deltakerens uttalelse om aktivitetsplanen er registrert.", section="plan",
    )


@login_required
@require_POST
def assessment_statement_create(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=STATEMENT_ROLES)
    overview = selectors.mapping_overview(deltaker)
    form = _vurdering_statement_form(overview, request.POST)

    def perform(data):
        vurdering = next((v for v in overview.versions if v.pk == data["versjon"]), None)
        return voice_services.uttalelse_create(
            deltaker=deltaker, actor=Actor.from_request(request), gjelder=UttalelseGjelder.ARBEIDSEVNEVURDERING,
            vurdering=vurdering, standpunkt=data["standpunkt"], tekst=data["tekst"], dato=data["dato"],
            med_tolk=data["med_tolk"])

    return _mapping_act(
        request, deltaker, form_name="vurdering_uttalelse_form", form=form, perform=perform,
        success_message="Deltakerens uttalelse om arbeidsevnevurderingen er registrert.", section="vurdering",
    )


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
    """The route ends the mapping for good (the participant is avklart, the kartlegging closed,
    perhaps the case handed back): checked, then confirmed, then done. «Tilbake» from the
    confirmation posts the form to `?rediger=1`, the page with it still filled in."""
    deltaker = selectors.get_participant_for_user(request.user, pk, act=NAV_ONLY)
    form = _route_form(request.POST)

    def rerender(bound):
        return _page(request, deltaker, route_form=bound)

    if request.GET.get("rediger"):
        return rerender(form)
    if not interaction.is_confirmed(request):
        if not form.is_valid():
            return _refused_page(form, None, rerender)
        data = form.cleaned_data
        refusal = services.route_refusal(deltaker=deltaker, rute=data["rute"], comment=data["comment"])
        if refusal is not None:
            return _refused_page(form, refusal, rerender)
        warning = ("Når ruten er valgt, er deltakeren avklart og kartleggingen avsluttet. "
                   "Det kan ikke endres etterpå.")
        if data["rute"] in services.HANDBACK_ROUTES:
            warning += " Saken føres tilbake til hovedveilederen med det som er avklart."
        audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
        return interaction.confirmation(
            request, title="Velg ruten og avslutt kartleggingen", warning=warning, confirm_label="Bekreft ruten",
            cancel_url=_mapping_url(deltaker.pk, "rute"),
            summary=[("Deltaker", deltaker.person.navn), ("Rute", _label(Rute, data["rute"])),
                     ("Dato", data["date"].strftime("%d.%m.%Y")), ("Hva er avklart", data["comment"] or "–")],
            back_action=f"{reverse('route-decide', args=[deltaker.pk])}?rediger=1#rute",
            back_label="Tilbake til ruten uten å velge",
        )
    return _mapping_act(
        request, deltaker, form_name="route_form", form=form,
        perform=lambda data: services.route_decide(
            deltaker=deltaker, actor=Actor.from_request(request), rute=data["rute"], on_date=data["date"],
            comment=data["comment"]),
        success_message=lambda event: _route_message(deltaker), section="rute",
    )


# --- the hovedveileder's hand-back list -------------------------------------------------------

def _handback_rows(user, handbacks, undo_forms) -> list[dict]:
    return [
        {"handback": handback, "name": access.display_name(user, handback.deltaker.person),
         "visible": access.may_see_person(user, handback.deltaker.person),
         "undo_form": undo_forms.get(handback.pk) or UndoReceiptForm(auto_id=f"angre_{handback.pk}_%s")}
        for handback in handbacks
    ]


def _handback_page(request, undo_forms=None) -> HttpResponse:
    """The list; a refused undo passes its bound form ({hand-back id: form}) to be drawn as typed."""
    open_rows, received = selectors.handback_list(request.user)
    undo_forms = undo_forms or {}
    return render(request, "cases/handback_list.html", {
        "rows": _handback_rows(request.user, open_rows, {}),
        "received_rows": _handback_rows(request.user, received, undo_forms),
        "received_days": selectors.RECEIVED_SHOWN_DAYS,
        "can_receive": access.has_role(request.user, Role.HOVEDVEILEDER)})


@access.role_required(Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
@require_GET
def handback_list(request):
    return _handback_page(request)


def _handback_for(request, pk, tilbakeforing_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=(Role.HOVEDVEILEDER,))
    return deltaker, get_object_or_404(Tilbakeforing, pk=tilbakeforing_pk, deltaker=deltaker)


@login_required
@require_POST
def handback_receive(request, pk, tilbakeforing_pk):
    deltaker, handback = _handback_for(request, pk, tilbakeforing_pk)
    return interaction.act(
        request, perform=lambda data: services.handback_receive(
            tilbakeforing=handback, actor=Actor.from_request(request)),
        success_message=f"Saken til {deltaker.person.navn} er markert som mottatt og er flyttet til «Mottatt». "
                        "Du kan angre der.",
        redirect_to=reverse("handback-list"), section="tilbakeforte",
    )


@login_required
@require_POST
def handback_undo_receipt(request, pk, tilbakeforing_pk):
    deltaker, handback = _handback_for(request, pk, tilbakeforing_pk)
    if handback.received_at is None:
        # Not on the received list (undone already): no form there to show the refusal at.
        interaction.refuse(request, "Tilbakeføringen er ikke markert som mottatt.", section="mottatt")
        return redirect(interaction.with_anchor(reverse("handback-list"), "mottatt"))
    return interaction.act(
        request, form=UndoReceiptForm(request.POST, auto_id=f"angre_{handback.pk}_%s"),
        perform=lambda data: services.handback_undo_receipt(
            tilbakeforing=handback, actor=Actor.from_request(request), reason=data["reason"]),
        success_message=f"«Mottatt» er angret for {deltaker.person.navn}. Saken står igjen blant de tilbakeførte.",
        redirect_to=reverse("handback-list"), section="mottatt",
        # «Mottatt» undone meanwhile by someone else: the row has no undo form any more.
        rerender=lambda bound: _handback_page(request, {handback.pk: bound}) if Tilbakeforing.objects.filter(
            pk=handback.pk, received_at__isnull=False).exists() else None,
    )
