"""Possible breaches (/vilkar/brudd/) and the sanction workflow on a breach's page: close it,
send a forhåndsvarsel (a PDF letter), register the response, decide after the deadline (no
reaction, a reduction, a stop), approve or reject as a leader, and end the reaction when the
participant comes back. Every money step asks for confirmation first."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.letters import NORWEGIAN, render_letter
from alnaaktiv.models import Role
from alnaaktiv.templatetags.norsk import kroner
from conditions import selectors, services
from conditions.forms import (
    CloseBreachForm,
    NoReactionForm,
    ResponseForm,
    SanctionEndForm,
    SanctionForm,
    SanctionRejectForm,
    WarningForm,
)
from conditions.letters import warning_draft
from conditions.models import BruddStatus, Forhandsvarsel, Konsekvens, SanksjonStatus

ACTIONS = "handlinger"


@access.role_required(*selectors.READERS)
@require_GET
def breach_list(request):
    closed = request.GET.get("vis") == "avsluttet"
    data = selectors.breach_list(request.user, closed=closed)
    rows = [{"obj": brudd, "name": access.display_name(request.user, brudd.vilkar.person)} for brudd in data["rows"]]
    return render(request, "conditions/breach_list.html", {"section": data, "rows": rows, "closed": closed})


def _detail_url(brudd) -> str:
    return reverse("breach-detail", args=[brudd.pk])


def breach_page(request, brudd, *, refused: tuple[str, object] | None = None) -> HttpResponse:
    """The breach page; `refused` is (form name, bound form) of the one refused action."""
    office = brudd.office.enhetsnummer
    vedtak = brudd.vilkar.vedtak
    audit.record_read(request, person=brudd.vilkar.person, obj=brudd, office=office)
    context = selectors.breach_page(brudd)
    roles = access.roles(request.user, office)
    may_act = bool(roles & set(selectors.WRITERS))
    # The follow-up veileder reads what happened; the reactions and the letter are the vedtak unit's.
    may_read_sanctions = bool(roles & set(selectors.READERS))
    may_write_letters = Role.VEDTAK in roles
    refused_name, refused_form = refused or ("", None)

    def form(name, cls, **kwargs):
        return refused_form if refused_name == name else cls(auto_id=f"{name}_%s", **kwargs)

    varsel = context["varsel"]
    today = timezone.localdate()
    fullmakt = selectors.fullmakt_for(request.user, vedtak) if may_act else None
    for sanksjon in context["sanksjoner"]:
        sanksjon.may_decide = services.sanction_decide_refusal(request.user, sanksjon) is None
        sanksjon.may_end = may_act and sanksjon.status == SanksjonStatus.GODKJENT
        sanksjon.reject_form = form(f"avvis{sanksjon.pk}", SanctionRejectForm)
        sanksjon.end_form = form(f"avslutt{sanksjon.pk}", SanctionEndForm)
    context.update({
        "name": access.display_name(request.user, brudd.vilkar.person),
        "may_act": may_act,
        "may_read_sanctions": may_read_sanctions, "may_write_letters": may_write_letters,
        "BruddStatus": BruddStatus, "SanksjonStatus": SanksjonStatus, "Konsekvens": Konsekvens,
        "bevis": brudd.bevis.splitlines(),
        "close_form": form("lukk", CloseBreachForm),
        "warning_form": form("varsel", WarningForm, initial={"versjon": brudd.version}),
        "response_form": form("svar", ResponseForm),
        "no_reaction_form": form("ingen", NoReactionForm),
        "sanction_form": form("reaksjon", SanctionForm, initial=_warned_initial(varsel, today)),
        "waiting": any(sanksjon.status == SanksjonStatus.FORBEREDT for sanksjon in context["sanksjoner"]),
        "decision_refusal": services.decision_refusal(varsel, today) if varsel else None,
        "fullmakt": fullmakt,
        "minimum": settings.LIVSOPPHOLD_MINIMUM_KR,
    })
    return render(request, "conditions/breach_detail.html", context)


def _warned_initial(varsel, today) -> dict:
    """The reaction form starts from what the forhåndsvarsel warned of (never harsher)."""
    if varsel is None:
        return {}
    if varsel.konsekvens == Konsekvens.REDUKSJON:
        return {"konsekvens": varsel.konsekvens, "belop": varsel.belop, "periode_fra": max(varsel.periode_fra, today),
                "periode_til": varsel.periode_til}
    return {"konsekvens": varsel.konsekvens, "periode_fra": today}


def _refuse_before_confirming(request, brudd, *, name, form, refusal):
    """Clearly wrong input comes straight back at its fields, before any «Ja, …» page."""
    def perform(data):
        raise services.ConditionsError(refusal)
    return _act(request, brudd, name=name, form=form, perform=perform, success="")


def _day(value) -> str:
    return f"{value:%d.%m.%Y}" if value else "–"


@login_required
@require_GET
def breach_detail(request, pk):
    return breach_page(request, selectors.get_breach_for_user(request.user, pk))


def _act(request, brudd, *, name, form, perform, success):
    return interaction.act(
        request, form=form, perform=perform, success_message=success, redirect_to=_detail_url(brudd),
        section=ACTIONS, rerender=lambda bound: _rerender(request, brudd, name, bound),
    )


def _rerender(request, brudd, name, bound):
    """The page again with the refused form at its fields; a refusal of the whole action (the
    breach moved on meanwhile, the deadline not past) is a message at the workflow instead."""
    if bound.errors and set(bound.errors) == {"__all__"}:
        return None
    return breach_page(request, brudd, refused=(name, bound))


@login_required
@require_POST
def breach_close(request, pk):
    brudd = selectors.get_breach_for_user(request.user, pk, act=selectors.WRITERS)
    return _act(request, brudd, name="lukk", form=CloseBreachForm(request.POST, auto_id="lukk_%s"),
                perform=lambda data: services.breach_close(brudd=brudd, actor=Actor.from_request(request),
                                                           grunn=data["grunn"]),
                success="Det mulige bruddet er lukket.")


@login_required
@require_POST
def warning_send(request, pk):
    brudd = selectors.get_breach_for_user(request.user, pk, act=selectors.WRITERS)
    form = WarningForm(request.POST, auto_id="varsel_%s")
    if form.is_valid() and not interaction.is_confirmed(request):
        data = form.cleaned_data
        refusal = services.warning_refusal(
            brudd.vilkar.vedtak, konsekvens=data["konsekvens"], svarfrist=data["svarfrist"], belop=data["belop"],
            periode_fra=data["periode_fra"], periode_til=data["periode_til"])
        if refusal:
            return _refuse_before_confirming(request, brudd, name="varsel", form=form, refusal=refusal)
        planned = (f"Reduksjon på {kroner(data['belop'] or 0)} i perioden {_day(data['periode_fra'])}–"
                   f"{_day(data['periode_til'])}"
                   if data["konsekvens"] == Konsekvens.REDUKSJON else "Stans av utbetalingen til deltakeren møter igjen")
        return interaction.confirmation(
            request, title="Sende forhåndsvarsel?",
            warning="Forhåndsvarselet blir registrert som sendt, og brevet kan lastes ned for utsending.",
            confirm_label="Ja, send forhåndsvarselet", cancel_url=_detail_url(brudd),
            summary=[("Deltaker", access.display_name(request.user, brudd.vilkar.person)),
                     ("Planlagt konsekvens", planned), ("Svarfrist", f"{data['svarfrist']:%d.%m.%Y}")])
    return _act(request, brudd, name="varsel", form=form,
                perform=lambda data: services.warning_send(
                    brudd=brudd, actor=Actor.from_request(request), konsekvens=data["konsekvens"],
                    svarfrist=data["svarfrist"], belop=data["belop"], periode_fra=data["periode_fra"],
                    periode_til=data["periode_til"], version=data["versjon"]),
                success="Forhåndsvarselet er registrert som sendt. Last ned brevet og send det til deltakeren.")


@login_required
@require_GET
def warning_pdf(request, pk):
    """The letter leaves the system: audited as an export, drawn from the stored forhåndsvarsel."""
    brudd = selectors.get_breach_for_user(request.user, pk, act=selectors.WRITERS)
    varsel = Forhandsvarsel.objects.select_related("sendt_av").filter(brudd=brudd).first()
    if varsel is None:
        raise access.AccessDenied(f"mulig brudd {pk} har ikke forhåndsvarsel")
    audit.record(request, "export", obj=varsel, person=brudd.vilkar.person, office=brudd.office.enhetsnummer)
    # The letter's bokmål text (templates/letters/forhandsvarsel.html); made in another language and
    # kept on the participant from the vedtak's letter page.
    varsel.brudd = brudd
    draft = warning_draft(varsel)
    pdf = render_letter(draft.body_template, draft.context, language=NORWEGIAN)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="forhandsvarsel-{brudd.vilkar.vedtak.sak.saksnummer}-{varsel.pk}.pdf"')
    return response


@login_required
@require_POST
def warning_response(request, pk):
    brudd = selectors.get_breach_for_user(request.user, pk, act=selectors.WRITERS)
    return _act(request, brudd, name="svar", form=ResponseForm(request.POST, auto_id="svar_%s"),
                perform=lambda data: services.warning_response(brudd=brudd, actor=Actor.from_request(request),
                                                               svar=data["svar"], mottatt=data["mottatt"]),
                success="Svaret fra deltakeren er registrert.")


@login_required
@require_POST
def decide_no_reaction(request, pk):
    brudd = selectors.get_breach_for_user(request.user, pk, act=selectors.WRITERS)
    return _act(request, brudd, name="ingen", form=NoReactionForm(request.POST, auto_id="ingen_%s"),
                perform=lambda data: services.decide_no_reaction(brudd=brudd, actor=Actor.from_request(request),
                                                                 begrunnelse=data["begrunnelse"]),
                success="Det er vedtatt at det ikke blir noen reaksjon. Det mulige bruddet er lukket.")


def _planned(data) -> str:
    if data["konsekvens"] == Konsekvens.REDUKSJON:
        til = f"{data['periode_til']:%d.%m.%Y}" if data["periode_til"] else "–"
        return f"Reduksjon på {kroner(data['belop'] or 0)} fra {data['periode_fra']:%d.%m.%Y} til {til}"
    return f"Stans av utbetalingen fra {data['periode_fra']:%d.%m.%Y} til deltakeren møter igjen"


@login_required
@require_POST
def sanction_prepare(request, pk):
    brudd = selectors.get_breach_for_user(request.user, pk, act=selectors.WRITERS)
    alone = request.POST.get("alene") == "1"
    form = SanctionForm(request.POST, auto_id="reaksjon_%s")
    if form.is_valid() and not interaction.is_confirmed(request):
        vedtak = brudd.vilkar.vedtak
        data = form.cleaned_data
        varsel = Forhandsvarsel.objects.filter(brudd=brudd).first()
        refusal = varsel and services.sanction_prepare_refusal(
            brudd, vedtak, varsel, user=request.user, konsekvens=data["konsekvens"], periode_fra=data["periode_fra"],
            belop=data["belop"], periode_til=data["periode_til"], alone=alone)
        if refusal:
            return _refuse_before_confirming(request, brudd, name="reaksjon", form=form, refusal=refusal)
        return interaction.confirmation(
            request, title="Vedta reaksjonen alene?" if alone else "Forberede reaksjonen til godkjenning?",
            warning=("Du vedtar uten at en leder godkjenner, og reaksjonen gjelder straks." if alone else
                     "Reaksjonen gjelder først når en leder som ikke har forberedt den, har godkjent den."),
            confirm_label="Ja, vedta alene med fullmakt" if alone else "Ja, forbered til godkjenning",
            cancel_url=_detail_url(brudd),
            summary=[("Sak", vedtak.sak.saksnummer), ("Vedtakets beløp", kroner(vedtak.belop)),
                     ("Reaksjon", _planned(form.cleaned_data)), ("Begrunnelse", form.cleaned_data["begrunnelse"])])
    return _act(request, brudd, name="reaksjon", form=form,
                perform=lambda data: services.sanction_prepare(
                    brudd=brudd, actor=Actor.from_request(request), konsekvens=data["konsekvens"],
                    begrunnelse=data["begrunnelse"], periode_fra=data["periode_fra"], belop=data["belop"],
                    periode_til=data["periode_til"], alone=alone),
                success="Reaksjonen er vedtatt med fullmakt." if alone
                else "Reaksjonen er forberedt og venter på godkjenning fra en leder.")


def _sanction_breach(request, sanksjon):
    return selectors.get_breach_for_user(request.user, sanksjon.brudd_id)


@login_required
@require_POST
def sanction_approve(request, pk):
    sanksjon = selectors.get_sanction_for_user(request.user, pk, act=selectors.APPROVERS)
    brudd = _sanction_breach(request, sanksjon)
    if not interaction.is_confirmed(request):
        return interaction.confirmation(
            request, title="Godkjenne reaksjonen?",
            warning="Reaksjonen gjelder fra godkjenningen, og fellestjenesten ser den på overføringslisten.",
            confirm_label="Ja, godkjenn", cancel_url=_detail_url(brudd),
            summary=[("Sak", sanksjon.vedtak.sak.saksnummer), ("Reaksjon", str(sanksjon)),
                     ("Beløp", kroner(sanksjon.belop) if sanksjon.belop else f"hele utbetalingen ({kroner(sanksjon.vedtak.belop)})"),
                     ("Begrunnelse", sanksjon.begrunnelse)])
    return interaction.act(
        request, perform=lambda data: services.sanction_approve(sanksjon=sanksjon, actor=Actor.from_request(request)),
        success_message="Reaksjonen er godkjent.", redirect_to=_detail_url(brudd), section=ACTIONS)


@login_required
@require_POST
def sanction_reject(request, pk):
    sanksjon = selectors.get_sanction_for_user(request.user, pk, act=selectors.APPROVERS)
    brudd = _sanction_breach(request, sanksjon)
    name = f"avvis{sanksjon.pk}"
    return _act(request, brudd, name=name, form=SanctionRejectForm(request.POST, auto_id=f"{name}_%s"),
                perform=lambda data: services.sanction_reject(sanksjon=sanksjon, actor=Actor.from_request(request),
                                                              begrunnelse=data["begrunnelse"]),
                success="Reaksjonen er avvist og sendt tilbake til vedtaksavdelingen.")


@login_required
@require_POST
def sanction_end(request, pk):
    sanksjon = selectors.get_sanction_for_user(request.user, pk, act=selectors.WRITERS)
    brudd = _sanction_breach(request, sanksjon)
    name = f"avslutt{sanksjon.pk}"
    form = SanctionEndForm(request.POST, auto_id=f"{name}_%s")
    stop = sanksjon.konsekvens == Konsekvens.STANS
    if form.is_valid() and not interaction.is_confirmed(request):
        refusal = services.sanction_end_refusal(sanksjon, form.cleaned_data["dato"])
        if refusal:
            return _refuse_before_confirming(request, brudd, name=name, form=form, refusal=refusal)
        return interaction.confirmation(
            request, title="Oppheve stansen?" if stop else "Avslutte reduksjonen?",
            warning="Utbetalingen fortsetter som før fra datoen." if stop
            else "Reduksjonen gjelder ikke lenger fra datoen.",
            confirm_label="Ja, opphev stansen" if stop else "Ja, avslutt reduksjonen", cancel_url=_detail_url(brudd),
            summary=[("Sak", sanksjon.vedtak.sak.saksnummer), ("Reaksjon", str(sanksjon)),
                     ("Fra og med", f"{form.cleaned_data['dato']:%d.%m.%Y}"), ("Grunn", form.cleaned_data["grunn"])])
    return _act(request, brudd, name=name, form=form,
                perform=lambda data: services.sanction_end(sanksjon=sanksjon, actor=Actor.from_request(request),
                                                           dato=data["dato"], grunn=data["grunn"]),
                success="Stansen er opphevet." if stop else "Reduksjonen er avsluttet.")

