"""What every conditions service shares: the refusal type, the audit entry and the vedtak's
phase, recomputed under the vedtak's row lock after every change of its vilkår or lifting."""


from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from conditions.models import DONE, GRANTED, Fase, OpphevingStatus, Utbetaling, Vedtak


class ConditionsError(DomainError):
    """A refused change; the message is shown to the user as it is, and nothing was written."""


CONFLICT = "Noen andre har gjort dette før deg: "


def conflict(what: str) -> ConditionsError:
    return ConditionsError(f"{CONFLICT}{what} Siden viser nå det som gjelder.")


def lock_vedtak(pk: int) -> Vedtak:
    """Every writer locks the vedtak first (then its vilkår or lifting), so two users acting on
    the same case are serialised in one order and never deadlock."""
    return Vedtak.objects.select_for_update().select_related("office", "sak__hovedperson").get(pk=pk)


def check_version(obj, version: int | None, what: str) -> None:
    if version is not None and version != obj.version:
        raise conflict(f"{what} ble endret etter at du åpnet siden.")


def refresh_fase(vedtak: Vedtak) -> None:
    """The phase follows from result, payout, liftings and vilkår (docs/domain.md §3: ready for
    lifting as soon as every vilkår is oppfylt or bortfalt)."""
    if not vedtak.resultat:
        fase = Fase.SOKNAD
    elif vedtak.resultat not in GRANTED:
        fase = Fase.AVSLAG
    elif vedtak.utbetaling == Utbetaling.FRIGITT or (vedtak.utbetaling == Utbetaling.STOPPET
                                                       and vedtak.fase == Fase.OPPHEVET):
        # A stopped payout stays where it was stopped: a lifted vedtak stays lifted, a held one
        # keeps following its vilkår (and cannot be lifted while stopped).
        fase = Fase.OPPHEVET
    elif vedtak.opphevinger.filter(status=OpphevingStatus.FORBEREDT).exists():
        fase = Fase.TIL_GODKJENNING
    elif vedtak.vilkar.exclude(status__in=DONE).exists():
        fase = Fase.VILKAR_APNE
    else:
        fase = Fase.KLAR
    vedtak.fase = fase
    vedtak.version += 1
    vedtak.save(update_fields=["fase", "version"])


def record(actor: Actor, action: str, *, obj, person, vedtak: Vedtak) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=person,
                        office=vedtak.office.enhetsnummer)
