"""Appointments (avtaler): the veileder's «Mine avtaler» with today's, this week's and the overdue
ones, the outcome of one appointment, «registrer møtt» for a day's group meeting, and the
innkalling letter (PDF)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from alnaaktiv.pdf import pdf_response
from cases import selectors, services
from cases.forms import AppointmentFilterForm, AppointmentOutcomeForm, BulkMetForm
from cases.models import Brevtype
from cases.services import letters as letter_services

SECTION = "avtaler"


def _rows(request, avtaler: list) -> list[dict]:
    return [
        {
            "avtale": avtale,
            "name": access.display_name(request.user, avtale.deltaker.person),
            "may_close": services.appointment_close_refusal(request.user, avtale) is None,
        }
        for avtale in avtaler
    ]


@access.role_required(Role.VEILEDER)
@require_GET
def appointment_list(request):
    """«Mine avtaler»: the day's appointments (today unless another day is chosen) with «registrer
    møtt» for several at once, the rest of this week, and the overdue ones."""
    form = AppointmentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    mine = data.get("vis", "mine") != "kontor"
    overview = selectors.appointment_overview(request.user, mine=mine, day=data.get("dato"))
    on_day = _rows(request, overview.on_day)
    return render(request, "cases/appointment_list.html", {
        "form": form, "mine": mine, "day": overview.day, "is_today": overview.day == timezone.localdate(),
        "on_day": on_day, "bulk_possible": any(row["may_close"] for row in on_day),
        "this_week": _rows(request, overview.this_week), "overdue": _rows(request, overview.overdue),
        "outcome_form": AppointmentOutcomeForm(auto_id=False),
        "back": request.get_full_path(),
    })


@access.role_required(Role.VEILEDER)
@require_POST
def appointment_bulk_met(request):
    """Several appointments registered as met in one go; one refused and none is registered."""
    form = BulkMetForm(request.POST, queryset=selectors.appointments_for_user(request.user))
    return interaction.act(
        request, form=form,
        perform=lambda data: services.appointments_register_met(
            avtaler=sorted(data["avtaler"], key=lambda avtale: (avtale.starts_at, avtale.pk)),
            actor=Actor.from_request(request)),
        success_message=lambda count: f"{count} {'avtale er' if count == 1 else 'avtaler er'} registrert som møtt.",
        redirect_to=interaction.back(request, reverse("appointment-list")), section=SECTION,
    )


@login_required
@require_POST
def appointment_close(request, pk, avtale_pk):
    avtale = selectors.get_appointment_for_user(request.user, pk, avtale_pk, act=(Role.VEILEDER,))
    default = interaction.with_anchor(reverse("participant-detail", args=[pk]), None)
    return interaction.act(
        request, form=AppointmentOutcomeForm(request.POST),
        perform=lambda data: services.appointment_close(avtale=avtale, actor=Actor.from_request(request),
                                                        outcome=data["outcome"]),
        success_message=lambda closed: f"Avtalen er registrert som «{closed.outcome_label}».",
        redirect_to=interaction.back(request, default), section=SECTION,
    )


@login_required
@require_GET
def appointment_letter(request, pk, avtale_pk):
    """The innkalling letter to the participant, in bokmål, not kept: for NAV's roles that meet them."""
    avtale = selectors.get_appointment_for_user(request.user, pk, avtale_pk, act=selectors.LETTER_ROLES)
    deltaker = avtale.deltaker
    if not avtale.is_open:
        interaction.refuse(request, "Innkalling skrives bare for planlagte avtaler.", section=SECTION)
        return redirect(interaction.with_anchor(reverse("participant-detail", args=[pk]), SECTION))
    audit.record(request, AuditEntry.Action.EXPORT, obj=avtale, person=deltaker.person,
                 office=deltaker.office.enhetsnummer)
    # The letter's bokmål text (templates/letters/innkalling.html); made in another language and
    # kept on the participant from the letter page (/deltakere/<id>/brev/).
    pdf = letter_services.letter_render(deltaker=deltaker, kind=Brevtype.INNKALLING, kilde_id=avtale.pk)
    return pdf_response(pdf, f"innkalling-{timezone.localtime(avtale.starts_at):%Y-%m-%d}.pdf")
