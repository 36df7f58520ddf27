"""The lifting queue (/vilkar/oppheving/), four-eyes approval, the lifting form as PDF and the
payout hand-over list for fellestjenesten."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit, spreadsheet
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from conditions import selectors, services
from conditions.forms import MarkSentForm, PrepareForm, RejectForm
from conditions.views.common import act


@access.role_required(*selectors.WRITERS)
@require_GET
def lifting_queue(request):
    data = selectors.lifting_queue(request.user)
    user = request.user
    lifted_alone = services.lifted_alone_sums(data["ready"]["rows"]) if data["fullmakter"] else {}
    for row in data["ready"]["rows"]:
        fullmakt = data["fullmakter"].get(row.office_id)
        row.may_lift_alone = fullmakt is not None and services.alone_refusal(
            row, fullmakt, lifted_alone[row.pk]) is None
        row.name = access.display_name(user, row.sak.hovedperson)
    for row in data["pending"]["rows"] + data["approved"]:
        row.name = access.display_name(user, row.vedtak.sak.hovedperson)
        row.may_decide = access.has_role(user, *selectors.APPROVERS, office=row.vedtak.office.enhetsnummer) and \
            row.prepared_by_id != user.pk
    return render(request, "conditions/lifting_queue.html", {**data, "reject_form": RejectForm()})


@login_required
@require_POST
def lifting_prepare(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, roles=selectors.WRITERS)
    access.require_role(request.user, *selectors.WRITERS, office=vedtak.office.enhetsnummer)
    alone = request.POST.get("alene") == "1"
    if alone and request.POST.get("bekreft") != "ja":
        # Lifting alone releases the payout at once, with no leader after it: it takes a
        # confirmation that names the sak and the amount. A vedtak that may not be lifted
        # alone gets the reason straight away instead.
        refusal = services.alone_refusal(vedtak, services.fullmakt_for(request.user, vedtak),
                                         services.lifted_alone_sums([vedtak])[vedtak.pk])
        if refusal:
            messages.error(request, refusal)
            return redirect("vedtak-detail", pk=vedtak.pk)
        return render(request, "conditions/lifting_alone_confirm.html", {
            "vedtak": vedtak, "fullmakt": services.fullmakt_for(request.user, vedtak)})
    return act(
        request, PrepareForm(request.POST),
        lambda data: services.lifting_prepare(vedtak=vedtak, actor=Actor.from_request(request), alone=alone),
        "Vedtaket er opphevet med fullmakt. Utbetalingen er frigitt til fellestjenesten." if alone
        else "Opphevingen er forberedt og venter på godkjenning fra en leder.",
        reverse("lifting-queue"),
    )


def _decision(request, pk):
    oppheving = selectors.get_lifting_for_user(request.user, pk, roles=selectors.APPROVERS)
    access.require_role(request.user, *selectors.APPROVERS, office=oppheving.vedtak.office.enhetsnummer)
    return oppheving


@login_required
@require_POST
def lifting_approve(request, pk):
    oppheving = _decision(request, pk)
    return act(
        request, PrepareForm(request.POST),
        lambda data: services.lifting_approve(oppheving=oppheving, actor=Actor.from_request(request)),
        "Opphevingen er godkjent. Utbetalingen er frigitt til fellestjenesten, og opphevingsskjemaet lages som PDF.",
        reverse("lifting-queue"),
    )


@login_required
@require_POST
def lifting_reject(request, pk):
    oppheving = _decision(request, pk)
    return act(
        request, RejectForm(request.POST),
        lambda data: services.lifting_reject(oppheving=oppheving, actor=Actor.from_request(request), begrunnelse=data["begrunnelse"]),
        "Opphevingen er avvist og sendt tilbake til vedtaksavdelingen.", reverse("lifting-queue"),
    )


@login_required
@require_GET
def lifting_pdf(request, pk):
    oppheving = selectors.get_lifting_for_user(request.user, pk)
    if not oppheving.pdf:
        messages.info(request, "Opphevingsskjemaet lages fortsatt. Prøv igjen om litt.")
        return redirect("lifting-queue")
    # The form shows both spouses: each one's log gets the read.
    for person in filter(None, [oppheving.vedtak.sak.hovedperson, oppheving.vedtak.sak.ektefelle]):
        audit.record_read(request, person=person, obj=oppheving, office=oppheving.vedtak.office.enhetsnummer)
    return FileResponse(oppheving.pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"oppheving-{oppheving.vedtak.sak.saksnummer}-{oppheving.pk}.pdf")


@access.role_required(*selectors.WRITERS)
@require_GET
def handover_list(request):
    rows = list(selectors.handover(request.user))
    for row in rows:
        row.name = access.display_name(request.user, row.vedtak.sak.hovedperson)
    return render(request, "conditions/handover.html", {
        "rows": rows, "sent": selectors.recently_sent(request.user),
        "total": sum(row.belop for row in rows),
    })


CSV_COLUMNS = ["saksnummer", "fnr", "navn", "belop", "periode_fra", "periode_til", "vedtaksdato", "frigitt", "kontor"]


@access.role_required(*selectors.WRITERS)
@require_GET
def handover_export(request):
    """Personal data leaving the system: one audit entry per person, written before the file. A
    row is the household's payout, so the ektefelle's log gets the export too, as it gets the read
    of the lifting PDF: a row there only because the user may see a protected ektefelle is
    marked for review."""
    rows = list(selectors.handover(request.user))
    actor = Actor.from_request(request)
    AuditEntry.objects.bulk_create([
        audit.build_entry("export", actor=actor, obj=row, person=person, office=row.office.enhetsnummer)
        for row in rows
        for person in filter(None, [row.vedtak.sak.hovedperson, row.vedtak.sak.ektefelle])
    ])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utbetalinger-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = spreadsheet.csv_writer(response, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        vedtak = row.vedtak
        writer.writerow([vedtak.sak.saksnummer, vedtak.sak.hovedperson.fnr, vedtak.sak.hovedperson.navn,
                         f"{row.belop:.2f}".replace(".", ","), f"{vedtak.periode_fra:%d.%m.%Y}",
                         f"{vedtak.periode_til:%d.%m.%Y}", f"{vedtak.vedtaksdato:%d.%m.%Y}",
                         f"{timezone.localtime(row.frigitt_at):%d.%m.%Y %H:%M}", row.office.enhetsnummer])
    return response


@login_required
@require_POST
def handover_mark_sent(request):
    access.require_role(request.user, *selectors.WRITERS)
    ids = list(selectors.handover(request.user).values_list("pk", flat=True))
    offices = access.offices(request.user, *selectors.WRITERS)
    form = MarkSentForm(request.POST, ids=ids)
    return act(
        request, form,
        lambda data: services.overforing_mark_sent(ids=data["overforinger"], offices=offices, actor=Actor.from_request(request)),
        "De valgte utbetalingene er markert som sendt til fellestjenesten.", reverse("handover-list"),
    )
