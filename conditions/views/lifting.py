"""The lifting queue (/vilkar/oppheving/), the leader's review page where a lifting is approved,
the lifting form as PDF and the payout hand-over list for fellestjenesten with its named exports."""
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit, interaction, spreadsheet
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from alnaaktiv.templatetags.norsk import flertall, kroner
from conditions import selectors, services
from conditions.forms import RejectForm, UndoSentForm
from conditions.models import Oppheving, OpphevingStatus
from conditions.views.vedtak import HEADER


@access.role_required(*selectors.WRITERS)
@require_GET
def lifting_queue(request):
    data = selectors.lifting_queue(request.user)
    user = request.user
    # The sums lifted alone for all rows in one query, asked only by a fullmakt holder.
    lifted_alone = selectors.lifted_alone_sums(data["ready"]["rows"]) if data["fullmakter"] else {}
    for row in data["ready"]["rows"]:
        row.may_lift_alone = services.lifting_alone_refusal(
            row, data["fullmakter"].get(row.office_id), lifted_alone.get(row.pk, Decimal(0))) is None
        row.name = access.display_name(user, row.sak.hovedperson)
    for row in data["pending"]["rows"] + data["approved"]:
        row.name = access.display_name(user, row.vedtak.sak.hovedperson)
        row.is_leader = access.has_role(user, *selectors.APPROVERS, office=row.vedtak.office.enhetsnummer)
        row.may_decide = services.lifting_decide_refusal(user, row) is None
    return render(request, "conditions/lifting_queue.html", data)


def _vedtak_url(vedtak) -> str:
    return reverse("vedtak-detail", args=[vedtak.pk])


@login_required
@require_POST
def lifting_prepare(request, pk):
    vedtak = selectors.get_vedtak_for_user(request.user, pk, act=selectors.WRITERS)
    alone = request.POST.get("alene") == "1"
    if alone:
        # Lifting alone releases the payout at once, with no leader after it: it takes a
        # confirmation that names the sak and the amount. A vedtak that may not be lifted
        # alone gets the reason straight away instead.
        fullmakt = selectors.fullmakt_for(request.user, vedtak)
        refusal = services.lift_alone_refusal(request.user, vedtak, fullmakt=fullmakt)
        if refusal:
            interaction.refuse(request, refusal, section=HEADER)
            return redirect(interaction.with_anchor(_vedtak_url(vedtak), HEADER))
        if not interaction.is_confirmed(request):
            return interaction.confirmation(
                request, title=f"Oppheve vedtaket på sak {vedtak.sak.saksnummer} alene?",
                warning="Du opphever uten at en leder godkjenner. Utbetalingen frigis straks til fellestjenesten, "
                        "og det kan ikke endres etterpå.",
                confirm_label=f"Ja, opphev alene og frigi {kroner(vedtak.belop)}", cancel_url=_vedtak_url(vedtak),
                summary=[("Sak", vedtak.sak.saksnummer), ("Beløp", kroner(vedtak.belop)),
                         ("Periode", f"{vedtak.periode_fra:%d.%m.%Y}–{vedtak.periode_til:%d.%m.%Y}"),
                         ("Fullmakten din", f"opptil {kroner(fullmakt.maks_belop)}")])
    return interaction.act(
        request,
        perform=lambda data: services.lifting_prepare(vedtak=vedtak, actor=Actor.from_request(request), alone=alone),
        success_message="Vedtaket er opphevet med fullmakt. Utbetalingen er frigitt til fellestjenesten." if alone
        else "Opphevingen er forberedt og venter på godkjenning fra en leder.",
        redirect_to=_vedtak_url(vedtak), section=HEADER,
    )


def _review_page(request, pk, *, reject_form=None) -> HttpResponse:
    """What the leader approves: every vilkår of the vedtak with its documentation (the files
    through the audited download), as the lifting form will show them. Approving happens only
    here, never from the queue."""
    context = selectors.get_lifting_review_for_user(request.user, pk)
    vedtak, oppheving = context["vedtak"], context["oppheving"]
    for person in filter(None, [vedtak.sak.hovedperson, vedtak.sak.ektefelle]):
        audit.record_read(request, person=person, obj=oppheving, office=vedtak.office.enhetsnummer)
    context.update({
        "may_download": True,
        "may_decide": services.lifting_decide_refusal(request.user, oppheving) is None,
        "waiting": oppheving.status == OpphevingStatus.FORBEREDT,
        "reject_form": reject_form or RejectForm(auto_id="avvis_%s"),
    })
    return render(request, "conditions/lifting_review.html", context)


@login_required
@require_GET
def lifting_review(request, pk):
    return _review_page(request, pk)


@login_required
@require_POST
def lifting_approve(request, pk):
    """The review page is the confirmation: its «Godkjenn» posts bekreftet=ja. A POST without it
    (from anywhere else) shows the review page and changes nothing."""
    oppheving = selectors.get_lifting_for_user(request.user, pk, act=selectors.APPROVERS)
    if not interaction.is_confirmed(request):
        return _review_page(request, pk)
    return interaction.act(
        request, perform=lambda data: services.lifting_approve(oppheving=oppheving, actor=Actor.from_request(request)),
        success_message="Opphevingen er godkjent. Utbetalingen er frigitt til fellestjenesten, og opphevingsskjemaet "
                        "lages som PDF.",
        redirect_to=reverse("lifting-queue"), section="godkjent",
    )


@login_required
@require_POST
def lifting_reject(request, pk):
    oppheving = selectors.get_lifting_for_user(request.user, pk, act=selectors.APPROVERS)
    return interaction.act(
        request, form=RejectForm(request.POST, auto_id="avvis_%s"),
        perform=lambda data: services.lifting_reject(oppheving=oppheving, actor=Actor.from_request(request),
                                                     begrunnelse=data["begrunnelse"]),
        success_message="Opphevingen er avvist og sendt tilbake til vedtaksavdelingen.",
        redirect_to=reverse("lifting-queue"), section="til-godkjenning",
        # Approved or rejected meanwhile by another leader: the page has no reject form any more.
        rerender=lambda form: _review_page(request, pk, reject_form=form) if Oppheving.objects.filter(
            pk=pk, status=OpphevingStatus.FORBEREDT).exists() else None,
    )


@login_required
@require_GET
def lifting_pdf(request, pk):
    oppheving = selectors.get_lifting_for_user(request.user, pk)
    if not oppheving.pdf:
        interaction.refuse(request, "Opphevingsskjemaet lages fortsatt. Prøv igjen om litt.", section="godkjent")
        return redirect(interaction.with_anchor(reverse("lifting-queue"), "godkjent"))
    # The form shows both spouses: each one's log gets the read.
    for person in filter(None, [oppheving.vedtak.sak.hovedperson, oppheving.vedtak.sak.ektefelle]):
        audit.record_read(request, person=person, obj=oppheving, office=oppheving.vedtak.office.enhetsnummer)
    return FileResponse(oppheving.pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"oppheving-{oppheving.vedtak.sak.saksnummer}-{oppheving.pk}.pdf")


@access.role_required(*selectors.WRITERS)
@require_GET
def handover_list(request):
    return _handover_page(request)


def _handover_page(request, *, undo=None) -> HttpResponse:
    """`undo` is (export pk, bound UndoSentForm) of a refused undo: that form is drawn open and filled in."""
    rows = selectors.with_reductions(selectors.handover_with_exports(request.user))
    sanctions = selectors.sanctions_in_force(request.user)
    for sanksjon in sanctions:
        sanksjon.name = access.display_name(request.user, sanksjon.vedtak.sak.hovedperson)
    for row in rows:
        row.name = access.display_name(request.user, row.vedtak.sak.hovedperson)
    exports = selectors.exports(request.user)
    for eksport in exports:
        eksport.undo_form = undo[1] if undo and undo[0] == eksport.pk else UndoSentForm(auto_id=f"angre{eksport.pk}_%s")
    return render(request, "conditions/handover.html", {
        "rows": rows, "sent": selectors.recently_sent(request.user), "exports": exports,
        "total": sum(row.belop for row in rows), "total_net": sum(row.netto for row in rows), "sanctions": sanctions,
        "sanctions_in_force": sum(1 for item in sanctions if not item.avsluttet),
        "sanctions_ended": sum(1 for item in sanctions if item.avsluttet),
        "not_exported": sum(1 for row in rows if row.open_export is None),
    })


CSV_COLUMNS = ["saksnummer", "fnr", "navn", "belop", "periode_fra", "periode_til", "vedtaksdato", "frigitt", "kontor",
               "reduksjon", "reduksjon_perioder", "netto", "utbetaling"]


def _kr(value) -> str:
    return f"{value:.2f}".replace(".", ",")


@login_required
@require_POST
def handover_export(request):
    """A named export of what is on the hand-over list now; its CSV is downloaded from the list."""
    access.require_role(request.user, *selectors.WRITERS)
    # A row already waiting in an export that is not marked yet stays there (its file can be
    # downloaded again); only the others go into the new one.
    rows = [row for row in selectors.handover_with_exports(request.user) if row.open_export is None]

    def message(exports):
        return " ".join(
            f"{eksport.navn} er laget med {flertall(eksport.rader.count(), 'utbetaling,utbetalinger')}. "
            "Last ned filen, send den til fellestjenesten og marker eksporten som sendt." for eksport in exports)

    return interaction.act(
        request, perform=lambda data: services.handover_export_create(rows=rows, actor=Actor.from_request(request)),
        success_message=message, redirect_to=reverse("handover-list"), section="eksporter",
    )


@access.role_required(*selectors.WRITERS)
@require_GET
def handover_export_csv(request, pk):
    """Personal data leaving the system: one audit entry per person, written before the file. A
    row is the household's payout, so the ektefelle's log gets the export too, as it gets the read
    of the lifting PDF: a row there only because the user may see a protected ektefelle is
    marked for review."""
    eksport = selectors.get_handover_export_for_user(request.user, pk)
    rows = selectors.with_reductions(selectors.handover_export_rows(request.user, eksport))
    actor = Actor.from_request(request)
    AuditEntry.objects.bulk_create([
        audit.build_entry("export", actor=actor, obj=row, person=person, office=row.office.enhetsnummer)
        for row in rows
        for person in filter(None, [row.vedtak.sak.hovedperson, row.vedtak.sak.ektefelle])
    ])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="utbetalinger-eksport-{eksport.pk}-{timezone.localtime(eksport.laget_at):%Y-%m-%d}.csv"')
    response.write("\ufeff")
    writer = spreadsheet.csv_writer(response, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        vedtak = row.vedtak
        writer.writerow([vedtak.sak.saksnummer, vedtak.sak.hovedperson.fnr, vedtak.sak.hovedperson.navn,
                         f"{row.belop:.2f}".replace(".", ","), f"{vedtak.periode_fra:%d.%m.%Y}",
                         f"{vedtak.periode_til:%d.%m.%Y}", f"{vedtak.vedtaksdato:%d.%m.%Y}",
                         f"{timezone.localtime(row.frigitt_at):%d.%m.%Y %H:%M}", row.office.enhetsnummer,
                         _kr(row.reduksjon),
                         ", ".join(f"{item.periode_fra:%d.%m.%Y}–{item.periode_til:%d.%m.%Y}" for item in row.reduksjoner),
                         _kr(row.netto), "stoppet" if row.stoppet else "frigitt"])
    return response


@login_required
@require_POST
def handover_mark_sent(request, pk):
    """Marks the rows of one named export as sent; a payout released after the export is not in
    it. No confirmation page: the export names exactly its rows and sum, and «Angre «sendt»» with a
    reason undoes it (a confirmation made the hand-over two clicks longer than the old list)."""
    eksport = selectors.get_handover_export_for_user(request.user, pk)
    rows = list(selectors.handover_export_rows(request.user, eksport).filter(sendt_at__isnull=True))
    return interaction.act(
        request,
        perform=lambda data: services.handover_export_mark_sent(eksport=eksport, rows=[row.pk for row in rows],
                                                        actor=Actor.from_request(request)),
        success_message=lambda count: f"{flertall(count, 'utbetaling,utbetalinger')} i {eksport.navn} er markert "
                                      "som sendt til fellestjenesten.",
        redirect_to=reverse("handover-list"), section="eksporter",
    )


@login_required
@require_POST
def handover_undo_sent(request, pk):
    eksport = selectors.get_handover_export_for_user(request.user, pk)
    return interaction.act(
        request, form=UndoSentForm(request.POST, auto_id=f"angre{eksport.pk}_%s"),
        perform=lambda data: services.handover_export_undo_sent(eksport=eksport, actor=Actor.from_request(request),
                                                        grunn=data["grunn"]),
        success_message=lambda count: f"«Sendt» er angret for {eksport.navn}. "
                                      f"{flertall(count, 'utbetaling,utbetalinger')} er tilbake på overføringslisten.",
        redirect_to=reverse("handover-list"), section="eksporter",
        rerender=lambda form: _handover_page(request, undo=(eksport.pk, form)) if _undoable(eksport) else None,
    )


def _undoable(eksport) -> bool:
    """The export still shows its undo form (not undone by someone else meanwhile)."""
    eksport.refresh_from_db(fields=["sendt_at", "angret_at"])
    return eksport.sendt_at is not None and eksport.angret_at is None
