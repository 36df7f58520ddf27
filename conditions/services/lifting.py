"""Four-eyes lifting: a vedtak user prepares, a leader who did not prepare approves or rejects;
a fullmakt holder lifts alone up to an amount. Approval releases the payout to the hand-over
list and renders the lifting form as PDF in a task."""
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.pdf import render_pdf
from alnaaktiv.tasks import enqueue_on_commit
from alnaaktiv.templatetags.norsk import kroner
from cases.models import Sak
from conditions import selectors
from conditions.models import (
    Fase,
    Fullmakt,
    Oppheving,
    OpphevingStatus,
    Overforing,
    OverforingEksport,
    Utbetaling,
    Vedtak,
)
from conditions.selectors import fullmakt_for, lifted_alone_sums
from conditions.services.common import ConditionsError, conflict, lock_vedtak, record, refresh_fase
from conditions.services.vedtak import is_leader

ALREADY = {
    OpphevingStatus.GODKJENT: "Opphevingen er allerede godkjent.",
    OpphevingStatus.AVVIST: "Opphevingen er allerede avvist.",
    OpphevingStatus.SENDT_TILBAKE: "Opphevingen ble sendt tilbake fordi saken ble endret etter at den ble forberedt. "
                             "Den må forberedes på nytt.",
}

STOPPED = ("Utbetalingen er stoppet til deltakeren møter igjen, så vedtaket kan ikke oppheves nå. Avslutt stansen "
           "først.")


def lifting_alone_refusal(vedtak: Vedtak, fullmakt: Fullmakt | None, lifted_alone: Decimal) -> str | None:
    """Why the holder of `fullmakt` may not lift `vedtak` alone, or None if they may. The limit
    is on the sum lifted alone per sak and period, so a payout split into several vedtak below
    the limit still needs a leader's approval. The lifting pages ask the same question before
    they offer «opphev alene»."""
    if fullmakt is None:
        return "Du har ikke fullmakt til å oppheve alene. Forbered opphevingen for godkjenning."
    if vedtak.belop > fullmakt.maks_belop:
        return (f"Beløpet ({kroner(vedtak.belop)}) er over fullmakten din ({kroner(fullmakt.maks_belop)}). "
                "Opphevingen må godkjennes av en leder.")
    total = lifted_alone + vedtak.belop
    if total > fullmakt.maks_belop:
        return (f"Vedtak på samme sak og periode er allerede opphevet alene for {kroner(lifted_alone)}. Med dette "
                f"vedtaket blir summen {kroner(total)}, over fullmakten din ({kroner(fullmakt.maks_belop)}). "
                "Opphevingen må godkjennes av en leder.")
    return None


def lift_alone_refusal(user, vedtak: Vedtak, *, fullmakt: Fullmakt | None = None) -> str | None:
    """lifting_alone_refusal for one vedtak with the user's fullmakt in its office (looked up unless the
    caller has it) and what was already lifted alone on its sak: the vedtak page, the lifting
    view (before its confirmation) and lifting_prepare ask this one question."""
    fullmakt = fullmakt or fullmakt_for(user, vedtak)
    return lifting_alone_refusal(vedtak, fullmakt, lifted_alone_sums([vedtak])[vedtak.pk] if fullmakt else Decimal(0))


def lifting_decide_refusal(user, oppheving: Oppheving) -> str | None:
    """Why `user` may not approve or reject `oppheving`, or None if they may. Four eyes: a leader
    of the vedtak's office who did not prepare it, while it waits. The queue, the vedtak page and
    the review page offer the decision only when this is None; lifting_approve and lifting_reject
    refuse with the same message."""
    if oppheving.status != OpphevingStatus.FORBEREDT:
        return ALREADY[oppheving.status]
    if not is_leader(user, oppheving.vedtak):
        return "Bare en leder kan godkjenne eller avvise en oppheving."
    if oppheving.prepared_by_id == user.pk:
        return "Du kan ikke godkjenne eller avvise en oppheving du har forberedt selv (fire øyne)."
    return None


def _release(vedtak: Vedtak, oppheving: Oppheving, actor: Actor) -> None:
    now = timezone.now()
    oppheving.status, oppheving.decided_by, oppheving.decided_at = OpphevingStatus.GODKJENT, actor.user, now
    ConditionsError.full_clean(oppheving)
    oppheving.save()
    vedtak.utbetaling = Utbetaling.FRIGITT
    vedtak.save(update_fields=["utbetaling"])
    refresh_fase(vedtak)
    Overforing.objects.create(vedtak=vedtak, oppheving=oppheving, office=vedtak.office, belop=vedtak.belop, frigitt_at=now)
    record(actor, "update", obj=oppheving, person=vedtak.sak.hovedperson, vedtak=vedtak)
    # The task module imports the services it runs: imported here, where the task is sent.
    from conditions.tasks import render_lifting_pdf  # noqa: PLC0415 — conditions.tasks imports conditions.services

    enqueue_on_commit(render_lifting_pdf, oppheving.pk, actor.task_payload(), actor=actor)


@transaction.atomic
def lifting_prepare(*, vedtak: Vedtak, actor: Actor, alone: bool = False) -> Oppheving:
    """Prepare the lifting of a vedtak that is ready (every vilkår oppfylt or bortfalt). With
    `alone`, a fullmakt holder lifts at once, as long as this vedtak and every other vedtak of
    the same sak with an overlapping period that was lifted alone sum to no more than the
    fullmakt's amount; above it the normal four-eyes path remains."""
    vedtak = lock_vedtak(vedtak.pk)
    if vedtak.fase == Fase.TIL_GODKJENNING:
        raise conflict("Opphevingen av dette vedtaket er allerede forberedt og venter på godkjenning.")
    if vedtak.fase == Fase.OPPHEVET:
        raise conflict("Vedtaket er allerede opphevet.")
    if vedtak.utbetaling == Utbetaling.STOPPET:
        raise ConditionsError(STOPPED)
    if vedtak.fase != Fase.KLAR:
        raise ConditionsError("Vedtaket er ikke klart for oppheving: alle vilkår må være oppfylt eller bortfalt.")
    if alone:
        # The sak's row (after the vedtak, the order every writer takes) serialises two alone-
        # liftings on the same sak, so the second one counts the first one's amount.
        Sak.objects.select_for_update().filter(pk=vedtak.sak_id).values_list("pk", flat=True).get()
        refusal = lift_alone_refusal(actor.user, vedtak)
        if refusal:
            raise ConditionsError(refusal)
    oppheving = Oppheving(vedtak=vedtak, prepared_by=actor.user, prepared_at=timezone.now(), alene_med_fullmakt=alone)
    if alone:
        _release(vedtak, oppheving, actor)
        return oppheving
    ConditionsError.full_clean(oppheving)
    oppheving.save()
    refresh_fase(vedtak)
    record(actor, "create", obj=oppheving, person=vedtak.sak.hovedperson, vedtak=vedtak)
    return oppheving


def _lock_pending(oppheving: Oppheving, user) -> tuple[Vedtak, Oppheving]:
    vedtak = lock_vedtak(oppheving.vedtak_id)
    if vedtak.utbetaling == Utbetaling.STOPPET:
        raise ConditionsError(STOPPED)
    oppheving = Oppheving.objects.select_for_update().get(pk=oppheving.pk)
    if oppheving.status != OpphevingStatus.FORBEREDT:
        message = ALREADY[oppheving.status]
        raise conflict(message) if oppheving.status != OpphevingStatus.SENDT_TILBAKE else ConditionsError(message)
    oppheving.vedtak = vedtak
    refusal = lifting_decide_refusal(user, oppheving)
    if refusal:
        raise ConditionsError(refusal)
    return vedtak, oppheving


@transaction.atomic
def lifting_approve(*, oppheving: Oppheving, actor: Actor) -> Oppheving:
    """Four eyes: a leader who did not prepare it approves; the payout is released."""
    vedtak, oppheving = _lock_pending(oppheving, actor.user)
    _release(vedtak, oppheving, actor)
    return oppheving


@transaction.atomic
def lifting_reject(*, oppheving: Oppheving, actor: Actor, begrunnelse: str) -> Oppheving:
    if not begrunnelse.strip():
        raise ConditionsError({"begrunnelse": "Skriv hvorfor opphevingen avvises."})
    vedtak, oppheving = _lock_pending(oppheving, actor.user)
    oppheving.status, oppheving.decided_by, oppheving.decided_at = OpphevingStatus.AVVIST, actor.user, timezone.now()
    oppheving.begrunnelse = begrunnelse.strip()
    ConditionsError.full_clean(oppheving)
    oppheving.save()
    refresh_fase(vedtak)
    record(actor, "update", obj=oppheving, person=vedtak.sak.hovedperson, vedtak=vedtak)
    return oppheving


@transaction.atomic
def lifting_render_pdf(*, oppheving_id: int, actor: Actor) -> Oppheving:
    """Renders the lifting form (every vilkår with its documentation) once; a second run of the
    task finds the PDF and does nothing."""
    oppheving = Oppheving.objects.select_for_update().get(pk=oppheving_id)
    if oppheving.pdf or oppheving.status != OpphevingStatus.GODKJENT:
        return oppheving
    context = selectors.lifting_form(oppheving)
    pdf = render_pdf("conditions/oppheving_pdf.html", context)
    oppheving.pdf.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    oppheving.save(update_fields=["pdf"])
    vedtak = context["vedtak"]
    # The form shows both spouses: each one's log gets the entry.
    for person in filter(None, [vedtak.sak.hovedperson, vedtak.sak.ektefelle]):
        audit.record_change("create", actor=actor, obj=oppheving, person=person, office=vedtak.office.enhetsnummer)
    return oppheving


@transaction.atomic
def handover_export_create(*, rows: list[Overforing], actor: Actor) -> list[OverforingEksport]:
    """A named export of the payouts on the hand-over list, one per office: the CSV is made from
    exactly these rows, and only they are marked as sent with it. Refused when there is nothing
    to export."""
    if not rows:
        raise ConditionsError("Ingen utbetalinger venter på overføring, så det er ingenting å eksportere.")
    now = timezone.now()
    by_office: dict[int, list[Overforing]] = {}
    for row in rows:
        by_office.setdefault(row.office_id, []).append(row)
    exports = []
    for office_rows in by_office.values():
        eksport = OverforingEksport.objects.create(office=office_rows[0].office, laget_av=actor.user, laget_at=now)
        eksport.rader.set(office_rows)
        audit.record_change("create", actor=actor, obj=eksport, office=office_rows[0].office.enhetsnummer)
        exports.append(eksport)
    return exports


def _lock_export(eksport: OverforingEksport) -> OverforingEksport:
    return OverforingEksport.objects.select_for_update().select_related("office").get(pk=eksport.pk)


@transaction.atomic
def handover_export_mark_sent(*, eksport: OverforingEksport, rows: list[int], actor: Actor) -> int:
    """Marks the rows of a named export (those of `rows`, the ones the actor may see) as handed
    over to fellestjenesten. Rows marked meanwhile with another export are left as they are;
    when none are left the actor is told."""
    eksport = _lock_export(eksport)
    if eksport.sendt_at and not eksport.angret_at:
        raise conflict(f"{eksport.navn} er allerede markert som sendt.")
    if eksport.angret_at:
        raise ConditionsError(f"«Sendt» ble angret for {eksport.navn}. Lag en ny eksport av det som ikke er sendt.")
    marked = list(
        Overforing.objects.select_for_update().select_related("vedtak__sak__hovedperson", "vedtak__office")
        .filter(pk__in=rows, eksporter=eksport, sendt_at__isnull=True)
    )
    if not marked:
        raise conflict("Utbetalingene i eksporten er allerede markert som sendt.")
    now = timezone.now()
    eksport.sendt_at, eksport.sendt_av = now, actor.user
    eksport.save(update_fields=["sendt_at", "sendt_av"])
    for row in marked:
        row.sendt_at, row.sendt_av, row.sendt_eksport = now, actor.user, eksport
        row.save(update_fields=["sendt_at", "sendt_av", "sendt_eksport"])
        record(actor, "update", obj=row, person=row.vedtak.sak.hovedperson, vedtak=row.vedtak)
    return len(marked)


@transaction.atomic
def handover_export_undo_sent(*, eksport: OverforingEksport, actor: Actor, grunn: str) -> int:
    """A mistaken «sendt» is undone with a reason: the export's rows are back on the hand-over
    list, and the export shows who undid it, when and why."""
    if not grunn.strip():
        raise ConditionsError({"grunn": "Skriv hvorfor «sendt» angres."})
    eksport = _lock_export(eksport)
    if not eksport.sendt_at:
        raise ConditionsError(f"{eksport.navn} er ikke markert som sendt.")
    if eksport.angret_at:
        raise conflict(f"«Sendt» er allerede angret for {eksport.navn}.")
    rows = list(Overforing.objects.select_for_update().select_related("vedtak__sak__hovedperson", "vedtak__office")
                .filter(sendt_eksport=eksport))
    eksport.angret_at, eksport.angret_av, eksport.angret_grunn = timezone.now(), actor.user, grunn.strip()
    ConditionsError.full_clean(eksport)
    eksport.save(update_fields=["angret_at", "angret_av", "angret_grunn"])
    for row in rows:
        row.sendt_at, row.sendt_av, row.sendt_eksport = None, None, None
        row.save(update_fields=["sendt_at", "sendt_av", "sendt_eksport"])
        record(actor, "update", obj=row, person=row.vedtak.sak.hovedperson, vedtak=row.vedtak)
    audit.record_change("update", actor=actor, obj=eksport, office=eksport.office.enhetsnummer)
    return len(rows)
