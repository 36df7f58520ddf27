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
from django.db.models import F, Q, Sum
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


WAITING = "Det er allerede forberedt en reaksjon på dette mulige bruddet, og den venter på godkjenning fra en leder."


def _refuse_if_waiting(brudd: MuligBrudd) -> None:
    """A prepared reaction keeps the breach open («Forhåndsvarsel sendt») until a leader approves
    or rejects it; meanwhile nothing else is decided on the breach."""
    if Sanksjon.objects.filter(brudd=brudd, status=SanksjonStatus.FORBEREDT).exists():
        raise conflict(WAITING)


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


def warning_refusal(vedtak: Vedtak, *, konsekvens: str, svarfrist: datetime.date | None,
                    belop: Decimal | None = None, periode_fra: datetime.date | None = None,
                    periode_til: datetime.date | None = None) -> dict | str | None:
    """Why this forhåndsvarsel may not be sent, by field (or for the whole form); None when it
    may. The page asks it before its confirmation, the service again under the lock."""
    if konsekvens not in Konsekvens.values:
        return {"konsekvens": "Velg den planlagte konsekvensen: reduksjon eller stans."}
    if svarfrist is None or svarfrist < timezone.localdate():
        return {"svarfrist": "Svarfristen kan ikke være tilbake i tid."}
    if not vedtak.varslet_reduksjon:
        return NOT_NOTIFIED.format(what="Reduksjon" if konsekvens == Konsekvens.REDUKSJON else "Stans")
    if konsekvens == Konsekvens.REDUKSJON:
        return reduction_refusal(vedtak, belop, periode_fra, periode_til)
    return None


@transaction.atomic
def warning_send(*, brudd: MuligBrudd, actor: Actor, konsekvens: str, svarfrist: datetime.date,
                 belop: Decimal | None = None, periode_fra: datetime.date | None = None,
                 periode_til: datetime.date | None = None, version: int | None = None) -> Forhandsvarsel:
    """(b) The forhåndsvarsel: the vilkår, what happened, the planned consequence and a response
    deadline not in the past. The letter is drawn from what is stored here. A new forhåndsvarsel
    (a harsher reaction than the first one warned of, forvaltningsloven § 16) replaces the first
    while no reaction waits; the first one and any answer to it stay in the vedtak's events."""
    if konsekvens not in Konsekvens.values:
        raise ConditionsError({"konsekvens": "Velg den planlagte konsekvensen: reduksjon eller stans."})
    if svarfrist < timezone.localdate():
        raise ConditionsError({"svarfrist": "Svarfristen kan ikke være tilbake i tid."})
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.TIL_VURDERING, BruddStatus.VARSLET))
    if brudd.status == BruddStatus.VARSLET and (version is None or version != brudd.version):
        raise conflict(BRUDD_ALREADY[BruddStatus.VARSLET])  # the page did not show the warning it would replace
    _refuse_if_waiting(brudd)
    refusal = warning_refusal(vedtak, konsekvens=konsekvens, svarfrist=svarfrist, belop=belop,
                              periode_fra=periode_fra, periode_til=periode_til)
    if refusal:
        raise ConditionsError(refusal)
    if konsekvens != Konsekvens.REDUKSJON:
        belop = periode_fra = periode_til = None
    earlier = Forhandsvarsel.objects.select_for_update().filter(brudd=brudd).first()
    varsel = earlier or Forhandsvarsel(brudd=brudd)
    replaced = ""
    if earlier is not None:
        replaced = f" Erstatter forhåndsvarselet av {timezone.localtime(earlier.sendt_at):%d.%m.%Y} om {_warned(earlier)}"
        replaced += f" (svar {earlier.svar_mottatt:%d.%m.%Y}: {earlier.svar})." if earlier.svar else "."
    varsel.konsekvens, varsel.belop, varsel.periode_fra, varsel.periode_til = konsekvens, belop, periode_fra, periode_til
    varsel.svarfrist, varsel.hva_skjedde, varsel.sendt_av, varsel.sendt_at = svarfrist, brudd.bevis, actor.user, timezone.now()
    varsel.svar, varsel.svar_mottatt, varsel.svar_registrert_av = "", None, None
    ConditionsError.full_clean(varsel)
    varsel.save()
    brudd.status, brudd.version = BruddStatus.VARSLET, brudd.version + 1
    brudd.save(update_fields=["status", "version"])
    planned = (f"reduksjon på {kroner(belop)} {periode_fra:%d.%m.%Y}–{periode_til:%d.%m.%Y}"
               if konsekvens == Konsekvens.REDUKSJON else "stans av utbetalingen")
    what = "Nytt forhåndsvarsel" if earlier is not None else "Forhåndsvarsel"
    _event(vedtak, brudd, actor, f"{what} sendt om {planned}, svarfrist {svarfrist:%d.%m.%Y}.{replaced}")
    record(actor, "update" if earlier is not None else "create", obj=varsel, person=brudd.vilkar.person, vedtak=vedtak)
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
    _refuse_if_waiting(brudd)
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


def _warned(varsel: Forhandsvarsel) -> str:
    if varsel.konsekvens == Konsekvens.REDUKSJON:
        return (f"en reduksjon på høyst {kroner(varsel.belop)} i perioden {varsel.periode_fra:%d.%m.%Y}–"
                f"{varsel.periode_til:%d.%m.%Y}")
    return "stans av utbetalingen"


def harsher_refusal(varsel: Forhandsvarsel, konsekvens: str, belop: Decimal | None, periode_fra: datetime.date | None,
                    periode_til: datetime.date | None) -> dict | None:
    """forvaltningsloven § 16: the reaction may not be harsher than what the forhåndsvarsel told
    the participant. After a warned reduction only a reduction of at most the warned amount within
    the warned period; after a warned stop a stop or a reduction."""
    if varsel.konsekvens == Konsekvens.STANS:
        return None
    again = (f" Forhåndsvarselet gjaldt {_warned(varsel)}. For en strengere reaksjon: send et nytt forhåndsvarsel "
             "først («Send nytt forhåndsvarsel», forvaltningsloven § 16).")
    if konsekvens != Konsekvens.REDUKSJON:
        return {"konsekvens": f"Stans er strengere enn det deltakeren er varslet om.{again}"}
    if belop is not None and belop > varsel.belop:
        return {"belop": f"Reduksjonen kan ikke være større enn i forhåndsvarselet.{again}"}
    if (periode_fra is not None and periode_fra < varsel.periode_fra) or (
            periode_til is not None and periode_til > varsel.periode_til):
        field = "periode_fra" if periode_fra is not None and periode_fra < varsel.periode_fra else "periode_til"
        return {field: f"Reduksjonen må ligge innenfor perioden i forhåndsvarselet.{again}"}
    return None


def _stop_refusal(vedtak: Vedtak, periode_fra: datetime.date) -> dict | str | None:
    if periode_fra < vedtak.periode_fra or periode_fra > vedtak.periode_til:
        return {"periode_fra": f"Stansen må begynne innenfor vedtakets periode ({vedtak.periode_fra:%d.%m.%Y}–"
                               f"{vedtak.periode_til:%d.%m.%Y})."}
    if vedtak.utbetaling == Utbetaling.STOPPET:
        return "Utbetalingen er allerede stoppet."
    return None


def sanction_prepare_refusal(brudd: MuligBrudd, vedtak: Vedtak, varsel: Forhandsvarsel, *, user, konsekvens: str,
                             periode_fra: datetime.date | None, belop: Decimal | None = None,
                             periode_til: datetime.date | None = None, alone: bool = False) -> dict | str | None:
    """Why this reaction may not be prepared (or decided alone), by field or for the whole form;
    None when it may. The page asks it before its confirmation, the service again under the lock."""
    if konsekvens not in Konsekvens.values:
        return {"konsekvens": "Velg reaksjon: reduksjon eller stans."}
    refusal = decision_refusal(varsel, timezone.localdate())
    if refusal:
        return refusal
    if not vedtak.varslet_reduksjon:
        return NOT_NOTIFIED.format(what="Reduksjon" if konsekvens == Konsekvens.REDUKSJON else "Stans")
    if periode_fra is None:
        return {"periode_fra": "Skriv fra hvilken dato reaksjonen gjelder."}
    harsher = harsher_refusal(varsel, konsekvens, belop, periode_fra, periode_til)
    if harsher:
        return harsher
    field_refusal = (reduction_refusal(vedtak, belop, periode_fra, periode_til) if konsekvens == Konsekvens.REDUKSJON
                     else _stop_refusal(vedtak, periode_fra))
    if field_refusal:
        return field_refusal
    if alone:
        return sanction_alone_refusal(vedtak, fullmakt_for(user, vedtak), sanction_amount(vedtak, konsekvens, belop))
    return None


@transaction.atomic
def sanction_prepare(*, brudd: MuligBrudd, actor: Actor, konsekvens: str, begrunnelse: str,
                     periode_fra: datetime.date, belop: Decimal | None = None, periode_til: datetime.date | None = None,
                     alone: bool = False) -> Sanksjon:
    """(c) After the deadline: a reduction of an amount for a period, or a stop from a date,
    prepared for a leader's approval; with `alone` a fullmakt holder decides it at once. Never
    harsher than the forhåndsvarsel."""
    if konsekvens not in Konsekvens.values:
        raise ConditionsError({"konsekvens": "Velg reaksjon: reduksjon eller stans."})
    begrunnelse = _text(begrunnelse, "begrunnelse", "Skriv en begrunnelse for reaksjonen.")
    vedtak, brudd = _lock_brudd(brudd, expect=(BruddStatus.VARSLET,))
    _refuse_if_waiting(brudd)
    if konsekvens == Konsekvens.STANS and vedtak.utbetaling == Utbetaling.STOPPET:
        raise conflict("Utbetalingen er allerede stoppet.")
    refusal = sanction_prepare_refusal(brudd, vedtak, Forhandsvarsel.objects.get(brudd=brudd), user=actor.user,
                                       konsekvens=konsekvens, periode_fra=periode_fra, belop=belop,
                                       periode_til=periode_til, alone=alone)
    if refusal:
        raise ConditionsError(refusal)
    if konsekvens != Konsekvens.REDUKSJON:
        belop, periode_til = None, None
    now = timezone.now()
    sanksjon = Sanksjon(brudd=brudd, vedtak=vedtak, konsekvens=konsekvens, belop=belop, periode_fra=periode_fra,
                        periode_til=periode_til, begrunnelse=begrunnelse, prepared_by=actor.user, prepared_at=now)
    if alone:
        sanksjon.status, sanksjon.decided_by, sanksjon.decided_at = SanksjonStatus.GODKJENT, actor.user, now
        sanksjon.alene_med_fullmakt = True
    ConditionsError.full_clean(sanksjon)
    sanksjon.save()
    # Decided only when it applies: a reaction waiting for a leader keeps the breach open.
    brudd.status = BruddStatus.AVGJORT if alone else brudd.status
    brudd.version += 1
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
    MuligBrudd.objects.filter(pk=sanksjon.brudd_id).update(status=BruddStatus.AVGJORT, version=F("version") + 1)
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
    MuligBrudd.objects.filter(pk=sanksjon.brudd_id).update(status=BruddStatus.VARSLET, version=F("version") + 1)
    _event(vedtak, sanksjon.brudd, actor, f"Avvist av leder: {_describe(sanksjon)}. {begrunnelse}")
    record(actor, "update", obj=sanksjon, person=sanksjon.brudd.vilkar.person, vedtak=vedtak)
    return sanksjon


def sanction_end_refusal(sanksjon: Sanksjon, dato: datetime.date | None) -> dict | None:
    """Why the reaction may not be ended from `dato`; None when it may. From its start at the
    earliest and not after today, except that a reaction that has not begun yet is cancelled
    from its start date (it never takes effect)."""
    if dato is None:
        return {"dato": "Skriv fra hvilken dato reaksjonen avsluttes."}
    if dato < sanksjon.periode_fra:
        return {"dato": f"Reaksjonen kan ikke avsluttes før den begynte ({sanksjon.periode_fra:%d.%m.%Y})."}
    if sanksjon.periode_til and dato > sanksjon.periode_til:
        return {"dato": f"Reduksjonen er allerede over ({sanksjon.periode_til:%d.%m.%Y})."}
    today = timezone.localdate()
    if dato > today and dato != sanksjon.periode_fra:
        if sanksjon.periode_fra > today:
            return {"dato": f"Datoen kan ikke være fram i tid. Reaksjonen har ikke begynt ennå: avslutt den fra "
                            f"{sanksjon.periode_fra:%d.%m.%Y}, så får den aldri virkning."}
        return {"dato": "Datoen kan ikke være fram i tid."}
    return None


@transaction.atomic
def sanction_end(*, sanksjon: Sanksjon, actor: Actor, dato: datetime.date, grunn: str) -> Sanksjon:
    """(d) The participant came back: a stop is lifted (the payout resumes where it was), a
    reduction ends early, from `dato`; one that has not begun is cancelled from its start."""
    grunn = _text(grunn, "grunn", "Skriv hvorfor reaksjonen avsluttes, for eksempel at deltakeren møter igjen.")
    vedtak, sanksjon = _lock_sanksjon(sanksjon, expect=SanksjonStatus.GODKJENT)
    refusal = sanction_end_refusal(sanksjon, dato)
    if refusal:
        raise ConditionsError(refusal)
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
    if dato == sanksjon.periode_fra:
        what += " (før den begynte, så den fikk aldri virkning)"
    _event(vedtak, sanksjon.brudd, actor, f"{what}: {grunn}")
    record(actor, "update", obj=sanksjon, person=sanksjon.brudd.vilkar.person, vedtak=vedtak)
    return sanksjon


def active_sanctions_q(today: datetime.date) -> Q:
    """Approved reactions that apply on `today` or later (the hand-over list's «reduced or stopped»)."""
    return Q(status=SanksjonStatus.GODKJENT) & (Q(periode_til__isnull=True) | Q(periode_til__gte=today))
