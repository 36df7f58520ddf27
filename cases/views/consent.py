"""The participant page's consent section (samtykke til deling med KAREA, issue 16): register,
withdraw (after a confirmation: it cuts KAREA off at once) and the printable form for signature.
NAV's roles of the office change it; KAREA only sees that it is in force (without one, KAREA does
not reach the page at all: cases.selectors.karea_consent_q)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from alnaaktiv.pdf import pdf_response, render_pdf
from cases import services
from cases.forms.consent import ConsentRegisterForm, ConsentWithdrawForm
from cases.models import Samtykke
from cases.models.consent import DEFAULT_OMFANG
from cases.selectors import get_participant_for_user

CONSENT_WRITERS = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
SECTION = "samtykke"


def _register_form(data=None) -> ConsentRegisterForm:
    return ConsentRegisterForm(data, auto_id="samtykke_%s")


def _withdraw_form(data=None) -> ConsentWithdrawForm:
    return ConsentWithdrawForm(data, auto_id="samtykke_trekk_%s")


def consent_section(deltaker, roles: set[str], forms: dict) -> dict:
    """What the participant page's consent section shows (1 query): the consent in force, the
    earlier ones, and the forms where the user may change it (a refused form as it was typed)."""
    rows = list(Samtykke.objects.filter(deltaker=deltaker).select_related("registrert_av", "trukket_av"))
    in_force = next((row for row in rows if row.in_force), None)
    may_change = bool(roles & set(CONSENT_WRITERS))
    return {
        "consent": in_force,
        "consent_history": [row for row in rows if not row.in_force],
        "may_change_consent": may_change,
        "consent_register_form": forms.get("consent_register_form") or (_register_form() if may_change else None),
        "consent_withdraw_form": forms.get("consent_withdraw_form") or (_withdraw_form() if may_change else None),
    }


def _page(request, deltaker, **forms):
    # The participant page draws this section; it imports this module for consent_section.
    from cases.views.participants import _detail_page  # noqa: PLC0415 — import cycle with cases.views.participants

    return _detail_page(request, deltaker, **forms)


def _page_url(deltaker) -> str:
    return reverse("participant-detail", args=[deltaker.pk])


@login_required
@require_POST
def consent_register(request, pk):
    deltaker = get_participant_for_user(request.user, pk, act=CONSENT_WRITERS)
    form = _register_form(request.POST)
    return interaction.act(
        request, form=form,
        perform=lambda data: services.consent_register(
            deltaker=deltaker, gitt_dato=data["gitt_dato"], mate=data["mate"], omfang=data["omfang"],
            actor=Actor.from_request(request)),
        success_message="Samtykket er registrert. KAREA kan nå se deltakeren.",
        redirect_to=_page_url(deltaker), section=SECTION,
        rerender=lambda bound: _page(request, deltaker, consent_register_form=bound),
    )


@login_required
@require_POST
def consent_withdraw(request, pk, samtykke_pk):
    """Withdrawing ends KAREA's access at once: checked, then confirmed, then done."""
    deltaker = get_participant_for_user(request.user, pk, act=CONSENT_WRITERS)
    samtykke = get_object_or_404(Samtykke, pk=samtykke_pk, deltaker=deltaker)
    form = _withdraw_form(request.POST)
    if (not interaction.is_confirmed(request) and form.is_valid()
            and services.consent_withdraw_refusal(samtykke, form.cleaned_data["trukket_dato"]) is None):
        audit.record_read(request, person=deltaker.person, obj=samtykke, office=deltaker.office.enhetsnummer)
        data = form.cleaned_data
        return interaction.confirmation(
            request, title="Trekk samtykket til deling med KAREA",
            warning="Når samtykket er trukket, kan KAREA ikke lenger se deltakeren eller noe om deltakeren. "
                    "Det gjelder fra det øyeblikket du bekrefter.",
            confirm_label="Bekreft: trekk samtykket",
            cancel_url=interaction.with_anchor(_page_url(deltaker), SECTION),
            summary=[("Deltaker", deltaker.person.navn),
                     ("Samtykke gitt", f"{samtykke.gitt_dato:%d.%m.%Y}"),
                     ("Trukket fra", f"{data['trukket_dato']:%d.%m.%Y}"),
                     ("Kommentar", data["grunn"] or "–")],
        )
    # An invalid form or a refusal is drawn at its field; a confirmed one is done.
    return interaction.act(
        request, form=form,
        perform=lambda data: services.consent_withdraw(
            samtykke=samtykke, trukket_dato=data["trukket_dato"], grunn=data["grunn"], actor=Actor.from_request(request)),
        success_message="Samtykket er trukket. KAREA kan ikke lenger se deltakeren.",
        redirect_to=_page_url(deltaker), section=SECTION,
        rerender=lambda bound: _page(request, deltaker, consent_withdraw_form=bound),
    )


@login_required
@require_GET
def consent_form_pdf(request, pk):
    """The consent form for the participant to read and sign, in plain bokmål (an export: audited)."""
    deltaker = get_participant_for_user(request.user, pk, act=CONSENT_WRITERS)
    audit.record(request, AuditEntry.Action.EXPORT, obj=deltaker, person=deltaker.person,
                 office=deltaker.office.enhetsnummer)
    pdf = render_pdf("cases/pdf/samtykke.html", {
        "deltaker": deltaker, "person": deltaker.person, "office": deltaker.office, "today": timezone.localdate(),
        "omfang": DEFAULT_OMFANG,
    })
    return pdf_response(pdf, "samtykke-karea.pdf")
