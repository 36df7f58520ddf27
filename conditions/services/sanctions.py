"""The sanction workflow on a possible breach (sosialtjenesteloven § 20/§ 20 a, forvaltningsloven
§ 16): close it with a reason, or send a forhåndsvarsel with a response deadline; after the
deadline decide no reaction, a reduction for a period, or a stop of the payout until the
participant resumes. Reductions and stops follow the lifting's four-eyes and fullmakt rules; the
stop is lifted (and a reduction ended early) when the participant comes back. Every step locks
the vedtak first, then the breach or sanction, and is a dated, audited event on the vedtak."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.templatetags.norsk import kroner
from conditions.models import (
    ACTIVE_SANKSJON,
    BruddStatus,
    Fase,
    Forhandsvarsel,
    Fullmakt,
    Konsekvens,
    MuligBrudd,
    Sanksjon,
    SanksjonHendelse,
    SanksjonStatus,
    Utbetaling,
    Vedtak,
)
from conditions.selectors import fullmakt_for
from conditions.services.common import ConditionsError, conflict, lock_vedtak, record, refresh_fase
from conditions.services.vedtak import _send_back_pending, is_leader

NOT_NOTIFIED = ("{what} kan ikke vedtas: vedtaksbrevet opplyste ikke om at stønaden kan reduseres ved brudd på "
                "vilkår (sosialtjenesteloven § 20).")
BRUDD_ALREADY = {
    BruddStatus.VARSLET: "Forhåndsvarsel er allerede sendt for dette mulige bruddet.",
    BruddStatus.AVGJORT: "Det er allerede vedtatt en reaksjon på dette mulige bruddet.",
    BruddStatus.LUKKET: "Det mulige bruddet er allerede lukket.",
    BruddStatus.TIL_VURDERING: "Det er ikke sendt forhåndsvarsel for dette mulige bruddet ennå.",
}
SANKSJON_ALREADY = {
    SanksjonStatus.GODKJENT: "Reaksjonen er allerede godkjent.",
    SanksjonStatus.AVVIST: "Reaksjonen er allerede avvist.",
    SanksjonStatus.AVSLUTTET: "Reaksjonen er allerede avsluttet.",
    SanksjonStatus.FORBEREDT: "Reaksjonen venter fortsatt på godkjenning.",
}


def _event(vedtak: Vedtak, brudd: MuligBrudd | None, actor: Actor, tekst: str) -> None:
    SanksjonHendelse.objects.create(vedtak=vedtak, brudd=brudd, tekst=tekst[:500], at=timezone.now(),
                                    utfort_av=actor.user)


def _lock_brudd(brudd: MuligBrudd, *, expect: tuple[str, ...]) -> tuple[Vedtak, MuligBrudd]:
    """The vedtak's row lock, then the breach's: the second of two users acting at once waits,
    then finds the breach moved on and is told so."""
    vedtak = lock_vedtak(MuligBrudd.objects.values_list("vilkar__vedtak_id", flat=True).get(pk=brudd.pk))
    brudd = MuligBrudd.objects.select_for_update(of=("self",)).select_related("vilkar__person").get(pk=brudd.pk)
    if brudd.status not in expect:
        raise conflict(BRUDD_ALREADY[brudd.status])
    return vedtak, brudd


def _text(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ConditionsError({field: message})
    return value.strip()


@transaction.atomic
def breach_close(*, brudd: MuligBrudd, actor: Actor, grunn: str) -> MuligBrudd:
    """(a) Not a breach after all (approved absence, an error): closed with a reason."""
    grunn = _text(grunn, "grunn", "Skriv hvorfor det mulige bruddet lukkes.")
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.TIL_VURDERING, BruddStatus.VARSLET))
    if Sanksjon.objects.filter(brudd=brudd, status__in=ACTIVE_SANKSJON).exists():
        raise ConditionsError("Det er vedtatt en reaksjon på dette bruddet. Avslutt reaksjonen i stedet.")
    brudd.status, brudd.lukket_av, brudd.lukket_at, brudd.lukket_grunn = (
        BruddStatus.LUKKET, actor.user, timezone.now(), grunn)
    brudd.version += 1
    ConditionsError.full_clean(brudd)
    brudd.save()
    _event(vedtak, brudd, actor, f"Mulig brudd lukket: {grunn}")
    record(actor, "update", obj=brudd, person=brudd.vilkar.person, vedtak=vedtak)
    return brudd


def _check_notified(vedtak: Vedtak, konsekvens: str) -> None:
    if not vedtak.varslet_reduksjon:
        raise ConditionsError(NOT_NOTIFIED.format(what="Reduksjon" if konsekvens == Konsekvens.REDUKSJON else "Stans"))


def _active_reductions(vedtak: Vedtak, fra: datetime.date, til: datetime.date, exclude_pk=None) -> Decimal:
    """What other reductions already take from the vedtak in an overlapping period."""
    rows = (Sanksjon.objects.filter(vedtak=vedtak, konsekvens=Konsekvens.REDUKSJON, status__in=ACTIVE_SANKSJON,
                                    periode_fra__lte=til, periode_til__gte=fra)
            .exclude(pk=exclude_pk))
    return rows.aggregate(total=Sum("belop"))["total"] or Decimal(0)


def reduction_refusal(vedtak: Vedtak, belop: Decimal | None, fra: datetime.date | None, til: datetime.date | None,
                      *, exclude_pk=None) -> dict | None:
    """Why this reduction may not be planned or decided, by field; None when it may."""
    if belop is None or belop <= 0:
        return {"belop": "Skriv hvor mange kroner stønaden skal reduseres med (mer enn 0 kr)."}
    if belop > vedtak.belop:
        return {"belop": f"Reduksjonen kan ikke være større enn vedtakets beløp ({kroner(vedtak.belop)})."}
    if fra is None:
        return {"periode_fra": "Skriv når reduksjonen begynner."}
    if til is None:
        return {"periode_til": "Skriv når reduksjonen slutter."}
    if til < fra:
        return {"periode_til": "Perioden kan ikke slutte før den begynner."}
    if fra < vedtak.periode_fra or til > vedtak.periode_til:
        return {"periode_fra": f"Reduksjonen må ligge innenfor vedtakets periode ({vedtak.periode_fra:%d.%m.%Y}–"
                               f"{vedtak.periode_til:%d.%m.%Y})."}
    minimum = Decimal(settings.LIVSOPPHOLD_MINIMUM_KR)
    other = _active_reductions(vedtak, fra, til, exclude_pk)
    remaining = vedtak.belop - other - belop
    if remaining < minimum:
        most = max(vedtak.belop - other - minimum, Decimal(0))
        already = f" Andre reduksjoner i perioden trekker allerede {kroner(other)}." if other else ""
        return {"belop": f"Etter reduksjonen blir det {kroner(remaining)} igjen, under minstebeløpet til livsopphold "
                         f"({kroner(minimum)}).{already} Reduksjonen kan være høyst {kroner(most)}."}
    return None


@transaction.atomic
def warning_send(*, brudd: MuligBrudd, actor: Actor, konsekvens: str, svarfrist: datetime.date,
                 belop: Decimal | None = None, periode_fra: datetime.date | None = None,
                 periode_til: datetime.date | None = None) -> Forhandsvarsel:
    """(b) The forhåndsvarsel: the vilkår, what happened, the planned consequence and a response
    deadline not in the past. The letter is drawn from what is stored here."""
    if konsekvens not in Konsekvens.values:
        raise ConditionsError({"konsekvens": "Velg den planlagte konsekvensen: reduksjon eller stans."})
    if svarfrist < timezone.localdate():
        raise ConditionsError({"svarfrist": "Svarfristen kan ikke være tilbake i tid."})
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.TIL_VURDERING,))
    _check_notified(vedtak, konsekvens)
    if konsekvens == Konsekvens.REDUKSJON:
        refusal = reduction_refusal(vedtak, belop, periode_fra, periode_til)
        if refusal:
            raise ConditionsError(refusal)
    else:
        belop = periode_fra = periode_til = None
    varsel = Forhandsvarsel(brudd=brudd, konsekvens=konsekvens, belop=belop, periode_fra=periode_fra,
                            periode_til=periode_til, svarfrist=svarfrist, hva_skjedde=brudd.bevis,
                            sendt_av=actor.user, sendt_at=timezone.now())
    ConditionsError.full_clean(varsel)
    varsel.save()
    brudd.status, brudd.version = BruddStatus.VARSLET, brudd.version + 1
    brudd.save(update_fields=["status", "version"])
    planned = (f"reduksjon på {kroner(belop)} {periode_fra:%d.%m.%Y}–{periode_til:%d.%m.%Y}"
               if konsekvens == Konsekvens.REDUKSJON else "stans av utbetalingen")
    _event(vedtak, brudd, actor, f"Forhåndsvarsel sendt om {planned}, svarfrist {svarfrist:%d.%m.%Y}.")
    record(actor, "create", obj=varsel, person=brudd.vilkar.person, vedtak=vedtak)
    return varsel


@transaction.atomic
def warning_response(*, brudd: MuligBrudd, actor: Actor, svar: str, mottatt: datetime.date) -> Forhandsvarsel:
    """The participant's response to the forhåndsvarsel, registered on the breach."""
    svar = _text(svar, "svar", "Skriv hva deltakeren svarte.")
    if mottatt > timezone.localdate():
        raise ConditionsError({"mottatt": "Datoen svaret kom, kan ikke være fram i tid."})
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.VARSLET,))
    varsel = Forhandsvarsel.objects.select_for_update().get(brudd=brudd)
    if mottatt < timezone.localtime(varsel.sendt_at).date():
        raise ConditionsError({"mottatt": "Svaret kan ikke ha kommet før forhåndsvarselet ble sendt."})
    varsel.svar, varsel.svar_mottatt, varsel.svar_registrert_av = svar, mottatt, actor.user
    ConditionsError.full_clean(varsel)
    varsel.save()
    _event(vedtak, brudd, actor, f"Svar på forhåndsvarselet mottatt {mottatt:%d.%m.%Y} og registrert.")
    record(actor, "update", obj=varsel, person=brudd.vilkar.person, vedtak=vedtak)
    return varsel


def decision_refusal(varsel: Forhandsvarsel, today: datetime.date) -> str | None:
    """A reaction is decided after the response deadline, or once the response is registered."""
    if varsel.svar_mottatt is None and today <= varsel.svarfrist:
        return (f"Svarfristen i forhåndsvarselet går ut {varsel.svarfrist:%d.%m.%Y}. Reaksjonen kan vedtas etter "
                "fristen, eller når svaret fra deltakeren er registrert.")
    return None


def sanction_alone_refusal(vedtak: Vedtak, fullmakt: Fullmakt | None, amount: Decimal) -> str | None:
    """Why the holder of `fullmakt` may not decide a reaction of `amount` alone (the lifting's
    wording); None when they may."""
    if fullmakt is None:
        return "Du har ikke fullmakt til å vedta reaksjonen alene. Forbered den for godkjenning."
    if amount > fullmakt.maks_belop:
        return (f"Beløpet ({kroner(amount)}) er over fullmakten din ({kroner(fullmakt.maks_belop)}). "
                "Reaksjonen må godkjennes av en leder.")
    return None


def sanction_amount(vedtak: Vedtak, konsekvens: str, belop: Decimal | None) -> Decimal:
    """The amount a fullmakt must cover: the reduction, or the whole payout for a stop."""
    return belop if konsekvens == Konsekvens.REDUKSJON and belop is not None else vedtak.belop


@transaction.atomic
def decide_no_reaction(*, brudd: MuligBrudd, actor: Actor, begrunnelse: str) -> MuligBrudd:
    """(c) After the deadline: no reaction; the breach is closed with the reason."""
    begrunnelse = _text(begrunnelse, "begrunnelse", "Skriv hvorfor det ikke blir noen reaksjon.")
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.VARSLET,))
    refusal = decision_refusal(Forhandsvarsel.objects.get(brudd=brudd), timezone.localdate())
    if refusal:
        raise ConditionsError(refusal)
    brudd.status, brudd.lukket_av, brudd.lukket_at = BruddStatus.LUKKET, actor.user, timezone.now()
    brudd.lukket_grunn, brudd.version = f"Ingen reaksjon: {begrunnelse}", brudd.version + 1
    ConditionsError.full_clean(brudd)
    brudd.save()
    _event(vedtak, brudd, actor, f"Vedtatt ingen reaksjon: {begrunnelse}")
    record(actor, "update", obj=brudd, person=brudd.vilkar.person, vedtak=vedtak)
    return brudd


def _apply(vedtak: Vedtak, sanksjon: Sanksjon, actor: Actor) -> None:
    """An approved stop stops the payout (and sends a waiting lifting back)."""
    if sanksjon.konsekvens == Konsekvens.STANS:
        _send_back_pending(vedtak, "Utbetalingen ble stoppet mens opphevingen ventet på godkjenning.")
        vedtak.utbetaling = Utbetaling.STOPPET
        vedtak.save(update_fields=["utbetaling"])
        refresh_fase(vedtak)


def _describe(sanksjon: Sanksjon) -> str:
    if sanksjon.konsekvens == Konsekvens.REDUKSJON:
        return f"reduksjon på {kroner(sanksjon.belop)} {sanksjon.periode_fra:%d.%m.%Y}–{sanksjon.periode_til:%d.%m.%Y}"
    return f"stans av utbetalingen fra {sanksjon.periode_fra:%d.%m.%Y}"


@transaction.atomic
def sanction_prepare(*, brudd: MuligBrudd, actor: Actor, konsekvens: str, begrunnelse: str,
                     periode_fra: datetime.date, belop: Decimal | None = None, periode_til: datetime.date | None = None,
                     alone: bool = False) -> Sanksjon:
    """(c) After the deadline: a reduction of an amount for a period, or a stop from a date,
    prepared for a leader's approval; with `alone` a fullmakt holder decides it at once."""
    if konsekvens not in Konsekvens.values:
        raise ConditionsError({"konsekvens": "Velg reaksjon: reduksjon eller stans."})
    begrunnelse = _text(begrunnelse, "begrunnelse", "Skriv en begrunnelse for reaksjonen.")
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.VARSLET,))
    refusal = decision_refusal(Forhandsvarsel.objects.get(brudd=brudd), timezone.localdate())
    if refusal:
        raise ConditionsError(refusal)
    _check_notified(vedtak, konsekvens)
    if konsekvens == Konsekvens.REDUKSJON:
        field_refusal = reduction_refusal(vedtak, belop, periode_fra, periode_til)
        if field_refusal:
            raise ConditionsError(field_refusal)
    else:
        belop, periode_til = None, None
        if vedtak.utbetaling == Utbetaling.STOPPET:
            raise conflict("Utbetalingen er allerede stoppet.")
    if alone:
        alone_refusal = sanction_alone_refusal(vedtak, fullmakt_for(actor.user, vedtak),
                                               sanction_amount(vedtak, konsekvens, belop))
        if alone_refusal:
            raise ConditionsError(alone_refusal)
    now = timezone.now()
    sanksjon = Sanksjon(brudd=brudd, vedtak=vedtak, konsekvens=konsekvens, belop=belop, periode_fra=periode_fra,
                        periode_til=periode_til, begrunnelse=begrunnelse, prepared_by=actor.user, prepared_at=now)
    if alone:
        sanksjon.status, sanksjon.decided_by, sanksjon.decided_at = SanksjonStatus.GODKJENT, actor.user, now
        sanksjon.alene_med_fullmakt = True
    ConditionsError.full_clean(sanksjon)
    sanksjon.save()
    brudd.status, brudd.version = BruddStatus.AVGJORT, brudd.version + 1
    brudd.save(update_fields=["status", "version"])
    if alone:
        _apply(vedtak, sanksjon, actor)
        _event(vedtak, brudd, actor, f"Vedtatt alene med fullmakt: {_describe(sanksjon)}. {begrunnelse}")
    else:
        _event(vedtak, brudd, actor, f"Forberedt til godkjenning: {_describe(sanksjon)}. {begrunnelse}")
    record(actor, "create", obj=sanksjon, person=brudd.vilkar.person, vedtak=vedtak)
    return sanksjon


def sanction_decide_refusal(user, sanksjon: Sanksjon) -> str | None:
    """Four eyes, as for a lifting: a leader of the vedtak's office who did not prepare it."""
    if sanksjon.status != SanksjonStatus.FORBEREDT:
        return SANKSJON_ALREADY[sanksjon.status]
    if not is_leader(user, sanksjon.vedtak):
        return "Bare en leder kan godkjenne eller avvise en reaksjon."
    if sanksjon.prepared_by_id == user.pk:
        return "Du kan ikke godkjenne eller avvise en reaksjon du har forberedt selv (fire øyne)."
    return None


def _lock_sanksjon(sanksjon: Sanksjon, *, expect: str) -> tuple[Vedtak, Sanksjon]:
    vedtak = lock_vedtak(sanksjon.vedtak_id)
    sanksjon = (Sanksjon.objects.select_for_update(of=("self",)).select_related("brudd__vilkar__person")
                .get(pk=sanksjon.pk))
    if sanksjon.status != expect:
        raise conflict(SANKSJON_ALREADY[sanksjon.status])
    sanksjon.vedtak = vedtak
    return vedtak, sanksjon


@transaction.atomic
def sanction_approve(*, sanksjon: Sanksjon, actor: Actor) -> Sanksjon:
    vedtak, sanksjon = _lock_sanksjon(sanksjon, expect=SanksjonStatus.FORBEREDT)
    refusal = sanction_decide_refusal(actor.user, sanksjon)
    if refusal:
        raise ConditionsError(refusal)
    if sanksjon.konsekvens == Konsekvens.STANS and vedtak.utbetaling == Utbetaling.STOPPET:
        raise conflict("Utbetalingen er allerede stoppet.")
    sanksjon.status, sanksjon.decided_by, sanksjon.decided_at = SanksjonStatus.GODKJENT, actor.user, timezone.now()
    ConditionsError.full_clean(sanksjon)
    sanksjon.save()
    _apply(vedtak, sanksjon, actor)
    _event(vedtak, sanksjon.brudd, actor, f"Godkjent av leder: {_describe(sanksjon)}.")
    record(actor, "update", obj=sanksjon, person=sanksjon.brudd.vilkar.person, vedtak=vedtak)
    return sanksjon


@transaction.atomic
def sanction_reject(*, sanksjon: Sanksjon, actor: Actor, begrunnelse: str) -> Sanksjon:
    """A leader rejects: the breach goes back to the vedtak unit to decide again."""
    begrunnelse = _text(begrunnelse, "begrunnelse", "Skriv hvorfor reaksjonen avvises.")
    vedtak, sanksjon = _lock_sanksjon(sanksjon, expect=SanksjonStatus.FORBEREDT)
    refusal = sanction_decide_refusal(actor.user, sanksjon)
    if refusal:
        raise ConditionsError(refusal)
    sanksjon.status, sanksjon.decided_by, sanksjon.decided_at = SanksjonStatus.AVVIST, actor.user, timezone.now()
    sanksjon.avvist_grunn = begrunnelse
    ConditionsError.full_clean(sanksjon)
    sanksjon.save()
    MuligBrudd.objects.filter(pk=sanksjon.brudd_id).update(status=BruddStatus.VARSLET)
    _event(vedtak, sanksjon.brudd, actor, f"Avvist av leder: {_describe(sanksjon)}. {begrunnelse}")
    record(actor, "update", obj=sanksjon, person=sanksjon.brudd.vilkar.person, vedtak=vedtak)
    return sanksjon


@transaction.atomic
def sanction_end(*, sanksjon: Sanksjon, actor: Actor, dato: datetime.date, grunn: str) -> Sanksjon:
    """(d) The participant came back: a stop is lifted (the payout resumes where it was), a
    reduction ends early, from `dato`."""
    grunn = _text(grunn, "grunn", "Skriv hvorfor reaksjonen avsluttes, for eksempel at deltakeren møter igjen.")
    if dato > timezone.localdate():
        raise ConditionsError({"dato": "Datoen kan ikke være fram i tid."})
    vedtak, sanksjon = _lock_sanksjon(sanksjon, expect=SanksjonStatus.GODKJENT)
    if dato < sanksjon.periode_fra:
        raise ConditionsError({"dato": f"Reaksjonen kan ikke avsluttes før den begynte ({sanksjon.periode_fra:%d.%m.%Y})."})
    if sanksjon.periode_til and dato > sanksjon.periode_til:
        raise ConditionsError({"dato": f"Reduksjonen er allerede over ({sanksjon.periode_til:%d.%m.%Y})."})
    sanksjon.status, sanksjon.avsluttet_dato, sanksjon.avsluttet_grunn = SanksjonStatus.AVSLUTTET, dato, grunn
    sanksjon.avsluttet_av, sanksjon.avsluttet_at = actor.user, timezone.now()
    ConditionsError.full_clean(sanksjon)
    sanksjon.save()
    if sanksjon.konsekvens == Konsekvens.STANS:
        vedtak.utbetaling = Utbetaling.FRIGITT if vedtak.fase == Fase.OPPHEVET else Utbetaling.HOLDT
        vedtak.save(update_fields=["utbetaling"])
        refresh_fase(vedtak)
        what = f"Stansen er opphevet fra {dato:%d.%m.%Y}"
    else:
        what = f"Reduksjonen er avsluttet fra {dato:%d.%m.%Y}"
    _event(vedtak, sanksjon.brudd, actor, f"{what}: {grunn}")
    record(actor, "update", obj=sanksjon, person=sanksjon.brudd.vilkar.person, vedtak=vedtak)
    return sanksjon


def active_sanctions_q(today: datetime.date) -> Q:
    """Approved reactions that apply on `today` or later (the hand-over list's «reduced or stopped»)."""
    return Q(status=SanksjonStatus.GODKJENT) & (Q(periode_til__isnull=True) | Q(periode_til__gte=today))
