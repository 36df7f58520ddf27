"""Vedtak and vilkår: registering an application, setting individual vilkår, deciding (with the
§ 20 a rule for recipients under 30), and waiving a vilkår."""
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.actor import Actor
from alnaaktiv.dates import age_on
from alnaaktiv.models import Role
from cases.choices import SakRolle
from cases.models import Person, Sak
from conditions.models import (
    DONE,
    GRANTED,
    Enhet,
    Fase,
    OpphevingStatus,
    Resultat,
    Vedtak,
    Vilkar,
    VilkarKind,
    VilkarStatus,
)
from conditions.services.common import (
    ConditionsError,
    check_version,
    conflict,
    lock_vedtak,
    record,
    refresh_fase,
)

UNDER_30 = 30


@transaction.atomic
def vedtak_create(
    *, sak: Sak, actor: Actor, soknad_mottatt: datetime.date, periode_fra: datetime.date, periode_til: datetime.date,
    belop: Decimal, varslet_reduksjon: bool,
) -> Vedtak:
    """An application on a sak, to be decided within the processing deadline."""
    if soknad_mottatt > timezone.localdate():
        raise ConditionsError({"soknad_mottatt": "Søknadsdatoen kan ikke være fram i tid."})
    vedtak = Vedtak(office=sak.office, sak=sak, soknad_mottatt=soknad_mottatt, periode_fra=periode_fra,
                    periode_til=periode_til, belop=belop, varslet_reduksjon=varslet_reduksjon, created_by=actor.user)
    ConditionsError.full_clean(vedtak)
    vedtak.save()
    record(actor, "create", obj=vedtak, person=sak.hovedperson, vedtak=vedtak)
    return vedtak


def _send_back_pending(vedtak: Vedtak, reason: str) -> bool:
    """A change of the vilkår while a lifting waits for approval sends the lifting back: the
    leader must never approve a form that no longer shows the case."""
    return bool(vedtak.opphevinger.filter(status=OpphevingStatus.FORBEREDT).update(
        status=OpphevingStatus.SENDT_TILBAKE, decided_at=timezone.now(), begrunnelse=reason,
    ))


def _rolle_in_sak(sak: Sak, person: Person) -> str:
    if person.pk == sak.hovedperson_id:
        return SakRolle.HOVEDPERSON
    if person.pk == sak.ektefelle_id:
        return SakRolle.EKTEFELLE
    raise ConditionsError({"person": "Vilkår kan bare stilles til hovedpersonen eller ektefellen i saken."})


def _requirement(*, kind: str, hjemmel: str, mengde: int | None, enhet: str) -> tuple[int | None, str]:
    """(quantity, unit) of a vilkår: an activity vilkår's individual requirement, none for a
    documentation vilkår. Each refusal names its field, so the page shows it there with what was
    typed kept."""
    if kind == VilkarKind.DOKUMENTASJON:
        return None, ""
    if kind != VilkarKind.AKTIVITET:
        raise ConditionsError({"kind": "Velg type vilkår."})
    if not mengde:
        raise ConditionsError({"mengde": "Et aktivitetsvilkår trenger et individuelt krav: antall søknader per uke "
                                         "eller prosent oppmøte."})
    if enhet not in Enhet.values:
        raise ConditionsError({"enhet": "Velg enheten for kravet: jobbsøknader per uke eller prosent oppmøte."})
    return mengde, enhet


@transaction.atomic
def vilkar_create(
    *, vedtak: Vedtak, actor: Actor, person: Person, kind: str, hjemmel: str, beskrivelse: str, frist: datetime.date,
    mengde: int | None = None, enhet: str = "",
) -> Vilkar:
    """An individual vilkår for the hovedperson or the ektefelle of the vedtak's sak."""
    vedtak = lock_vedtak(vedtak.pk)
    if vedtak.fase in (Fase.AVSLAG, Fase.OPPHEVET):
        raise ConditionsError("Vedtaket er avslått eller allerede opphevet. Nye vilkår krever et nytt vedtak.")
    rolle = _rolle_in_sak(vedtak.sak, person)
    if not beskrivelse.strip():
        raise ConditionsError({"beskrivelse": "Skriv en individuell beskrivelse av vilkåret."})
    mengde, enhet = _requirement(kind=kind, hjemmel=hjemmel, mengde=mengde, enhet=enhet)
    if frist < vedtak.soknad_mottatt:
        raise ConditionsError({"frist": "Fristen kan ikke være før søknaden ble mottatt."})
    vilkar = Vilkar(vedtak=vedtak, person=person, rolle=rolle, kind=kind, hjemmel=hjemmel,
                    beskrivelse=beskrivelse.strip(), frist=frist, mengde=mengde, enhet=enhet)
    ConditionsError.full_clean(vilkar)
    vilkar.save()
    _send_back_pending(vedtak, "Et nytt vilkår ble lagt til mens opphevingen ventet på godkjenning.")
    refresh_fase(vedtak)
    record(actor, "create", obj=vilkar, person=person, vedtak=vedtak)
    return vilkar


def check_20a(vedtak: Vedtak, on_date: datetime.date, unntak: str) -> None:
    """§ 20 a: a person under 30 must get an activity vilkår unless weighty reasons speak
    against it, and then the reasons are recorded."""
    sak = vedtak.sak
    members = [sak.hovedperson] + ([sak.ektefelle] if sak.ektefelle_id else [])
    with_activity = set(vedtak.vilkar.filter(kind=VilkarKind.AKTIVITET).values_list("person_id", flat=True))
    for person in members:
        if age_on(person.fodselsdato, on_date) < UNDER_30 and person.pk not in with_activity and not unntak.strip():
            raise ConditionsError({"unntak_20a":
                f"{person.navn} er under 30 år. Etter sosialtjenesteloven § 20 a skal det stilles vilkår om "
                "aktivitet. Legg til et aktivitetsvilkår, eller skriv hvilke tungtveiende grunner som taler mot det."
            })


@transaction.atomic
def vedtak_decide(
    *, vedtak: Vedtak, actor: Actor, resultat: str, vedtaksdato: datetime.date, unntak_20a: str = "",
    version: int | None = None,
) -> Vedtak:
    vedtak = lock_vedtak(vedtak.pk)
    if vedtak.resultat:
        raise conflict("Søknaden er allerede avgjort.")
    check_version(vedtak, version, "Vedtaket")
    if resultat not in Resultat.values:
        raise ConditionsError({"resultat": "Velg et resultat."})
    if vedtaksdato > timezone.localdate():
        raise ConditionsError({"vedtaksdato": "Vedtaksdatoen kan ikke være fram i tid."})
    if resultat in GRANTED:
        vedtak.sak = vedtak.sak.__class__.objects.select_related("hovedperson", "ektefelle").get(pk=vedtak.sak_id)
        check_20a(vedtak, vedtaksdato, unntak_20a)
    vedtak.resultat, vedtak.vedtaksdato, vedtak.unntak_20a = resultat, vedtaksdato, unntak_20a.strip()
    vedtak.fase = Fase.VILKAR_APNE if resultat in GRANTED else Fase.AVSLAG  # made exact by refresh_fase
    ConditionsError.full_clean(vedtak)
    vedtak.save(update_fields=["resultat", "vedtaksdato", "unntak_20a", "fase"])
    refresh_fase(vedtak)
    record(actor, "update", obj=vedtak, person=vedtak.sak.hovedperson, vedtak=vedtak)
    return vedtak


@transaction.atomic
def vilkar_waive(*, vilkar: Vilkar, actor: Actor, begrunnelse: str, version: int | None = None) -> Vilkar:
    """Bortfall: the vilkår no longer applies, with a reason."""
    vedtak = lock_vedtak(vilkar.vedtak_id)
    vilkar = Vilkar.objects.select_for_update().select_related("person").get(pk=vilkar.pk)
    if vilkar.status in DONE:
        raise conflict(f"Vilkåret er allerede {vilkar.get_status_display().lower()}.")
    check_version(vilkar, version, "Vilkåret")
    if vedtak.fase == Fase.OPPHEVET:
        raise ConditionsError("Vedtaket er allerede opphevet.")
    vilkar.status, vilkar.begrunnelse = VilkarStatus.BORTFALT, begrunnelse.strip()
    vilkar.vurdert_av, vilkar.vurdert_at, vilkar.version = actor.user, timezone.now(), vilkar.version + 1
    ConditionsError.full_clean(vilkar)
    vilkar.save()
    refresh_fase(vedtak)
    record(actor, "update", obj=vilkar, person=vilkar.person, vedtak=vedtak)
    return vilkar


def vilkar_broken(vilkar: Vilkar, today: datetime.date) -> bool:
    """Broken: assessed as not fulfilled, or still open past its deadline. The vedtak page marks
    it «brutt»; a reaction goes through a possible breach (conditions.services.sanctions)."""
    return vilkar.status == VilkarStatus.IKKE_OPPFYLT or (vilkar.status == VilkarStatus.APEN and vilkar.frist < today)


def is_leader(user, vedtak: Vedtak) -> bool:
    return access.has_role(user, Role.LEDER, office=vedtak.office.enhetsnummer)
