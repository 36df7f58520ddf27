"""Vedtak and vilkår: registering an application, setting individual vilkår, deciding (with the
§ 20 a rule for recipients under 30), and waiving a vilkår."""
import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from alnaaktiv import access
from alnaaktiv.actor import Actor
from alnaaktiv.dates import age_on
from alnaaktiv.models import Role
from cases.choices import SakRolle
from cases.models import Aktivitet, Aktivitetstype, Deltaker, JournalEntry, Lopsstatus, Person, Sak
from cases.models.mapping import FINISHED_STATUSES
from cases.services import journal_create
from conditions.models import (
    DEFAULT_ABSENCE_THRESHOLD,
    DONE,
    GRANTED,
    TILBUD_BY_ATTENDANCE,
    TILBUD_WITH_ACTIVITY,
    Enhet,
    Fase,
    OpphevingStatus,
    Resultat,
    Tilbud,
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


def plan_activities(vedtak: Vedtak, persons: list[int]) -> QuerySet[Aktivitet]:
    """The activities an activity vilkår of the vedtak may rest on: the unfinished activities in
    the plans of the persons' participants at the vedtak's office (a group course enrolment is a
    «kurs» activity there)."""
    return (Aktivitet.objects.filter(deltaker__person_id__in=persons, deltaker__office_id=vedtak.office_id)
            .exclude(status__in=FINISHED_STATUSES).select_related("deltaker__person").order_by("fra_dato", "id"))


def _check_offer_activity(*, vedtak: Vedtak, person: Person, tilbud: str, aktivitet: Aktivitet | None) -> None:
    """A plan or course offer names an unfinished activity of the same person at the vedtak's
    office (a course offer a «kurs» activity); the other offers name none."""
    if tilbud not in TILBUD_WITH_ACTIVITY:
        if aktivitet is not None:
            raise ConditionsError({"aktivitet": "Bare en aktivitet i planen eller et kurs har en aktivitet. Velg ingen "
                                                "aktivitet for dette tilbudet."})
        return
    if aktivitet is None:
        raise ConditionsError({"aktivitet": "Velg aktiviteten i planen vilkåret gjelder."})
    if not plan_activities(vedtak, [person.pk]).filter(pk=aktivitet.pk).exists():
        raise ConditionsError({"aktivitet": f"Aktiviteten er ikke en pågående aktivitet i planen til {person.navn} "
                                            "ved dette kontoret."})
    if tilbud == Tilbud.GRUPPEKURS and aktivitet.type != Aktivitetstype.KURS:
        raise ConditionsError({"aktivitet": "Et vilkår om kurs eller gruppesamling gjelder en kursaktivitet i planen."})


# A reason for no offer typed together with an offer: the form and the service refuse it alike.
OFFER_AND_REASON = "Velg enten et tilbud, eller skriv hvorfor vilkåret stilles uten tilbud."


def is_active_participant(vedtak: Vedtak, person: Person) -> bool:
    """The person is a participant at the vedtak's office whose course is not ended."""
    return (Deltaker.objects.filter(person_id=person.pk, office_id=vedtak.office_id)
            .exclude(status=Lopsstatus.AVSLUTTET).exists())


def _check_offer_can_be_documented(*, vedtak: Vedtak, person: Person, tilbud: str) -> None:
    """Only job search can be done by anyone: every other offer (the plan, Alna Aktiv's meetings,
    work training in Arbeidsboks, a course) is documented by attendance in Alna Aktiv, so it is
    an offer only to an active participant at the vedtak's office. (A work-training vilkår is
    linked to its placement from the Arbeidsboks side when the placement is made.)"""
    if not tilbud or tilbud == Tilbud.JOBBSOKING or is_active_participant(vedtak, person):
        return
    raise ConditionsError({"tilbud": (
        f"{person.navn} er ikke aktiv deltaker i Alna Aktiv ved dette kontoret, så ingen kan dokumentere "
        f"«{Tilbud(tilbud).label}». Velg jobbsøking, eller «uten tilbud» med en grunn.")})


def _check_offer(
    *, vedtak: Vedtak, person: Person, kind: str, enhet: str, tilbud: str, aktivitet: Aktivitet | None,
    uten_tilbud_grunn: str, fravaer_terskel: int,
) -> tuple[str, Aktivitet | None, str, int]:
    """(offer, activity, reason, threshold) of a vilkår, each refusal at its field: an activity
    vilkår rests on an offer (a plan or course activity of the same person at the vedtak's
    office, work training, Alna Aktiv's meetings or job search), or on nothing yet, or on a
    written reason; a documentation vilkår on nothing."""
    reason = uten_tilbud_grunn.strip()
    if kind != VilkarKind.AKTIVITET:
        if tilbud or aktivitet is not None or reason:
            raise ConditionsError({"tilbud": "Bare aktivitetsvilkår gjelder et tilbud."})
        return "", None, "", DEFAULT_ABSENCE_THRESHOLD
    if tilbud and tilbud not in Tilbud.values:
        raise ConditionsError({"tilbud": "Velg et gyldig tilbud."})
    if tilbud and reason:
        raise ConditionsError({"uten_tilbud_grunn": OFFER_AND_REASON})
    _check_offer_can_be_documented(vedtak=vedtak, person=person, tilbud=tilbud)
    if fravaer_terskel is None or not 0 <= fravaer_terskel <= 100:
        raise ConditionsError({"fravaer_terskel": "Terskelen for fravær må være mellom 0 og 100 %."})
    _check_offer_activity(vedtak=vedtak, person=person, tilbud=tilbud, aktivitet=aktivitet)
    if tilbud == Tilbud.JOBBSOKING and enhet != Enhet.SOKNADER_PER_UKE:
        raise ConditionsError({"enhet": "Et vilkår om jobbsøking har krav i antall søknader per uke."})
    if tilbud in TILBUD_BY_ATTENDANCE and enhet != Enhet.OPPMOTE_PROSENT:
        raise ConditionsError({"enhet": "Et vilkår om møter, arbeidstrening eller kurs har krav i prosent oppmøte."})
    return tilbud, aktivitet, reason, fravaer_terskel


def _journal_without_offer(vilkar: Vilkar, vedtak: Vedtak, actor: Actor, on_date: datetime.date) -> None:
    """Why an activity vilkår has no offer goes into the person's journal, if the person is a
    participant at the vedtak's office. KAREA reads the journal: the entry names the vilkår and
    the reason only, never the sak (Oskar's case number) or anything else of the vedtak."""
    deltaker = Deltaker.objects.filter(person_id=vilkar.person_id, office_id=vedtak.office_id).first()
    if deltaker is None:
        return
    journal_create(
        deltaker=deltaker, actor=actor, kind=JournalEntry.Kind.ANNET, on_date=on_date, is_system=True,
        text=(f"Aktivitetsvilkår stilt uten tilbud om aktivitet. "
              f"Vilkår: {vilkar.beskrivelse}. Grunn: {vilkar.uten_tilbud_grunn}"),
    )



@transaction.atomic
def vilkar_create(
    *, vedtak: Vedtak, actor: Actor, person: Person, kind: str, hjemmel: str, beskrivelse: str, frist: datetime.date,
    mengde: int | None = None, enhet: str = "", tilbud: str = "", aktivitet: Aktivitet | None = None,
    uten_tilbud_grunn: str = "", fravaer_terskel: int = DEFAULT_ABSENCE_THRESHOLD,
) -> Vilkar:
    """An individual vilkår for the hovedperson or the ektefelle of the vedtak's sak; an activity
    vilkår with the offer it rests on (_check_offer), which may also be set later."""
    vedtak = lock_vedtak(vedtak.pk)
    if vedtak.fase in (Fase.AVSLAG, Fase.OPPHEVET):
        raise ConditionsError("Vedtaket er avslått eller allerede opphevet. Nye vilkår krever et nytt vedtak.")
    rolle = _rolle_in_sak(vedtak.sak, person)
    if not beskrivelse.strip():
        raise ConditionsError({"beskrivelse": "Skriv en individuell beskrivelse av vilkåret."})
    mengde, enhet = _requirement(kind=kind, hjemmel=hjemmel, mengde=mengde, enhet=enhet)
    if frist < vedtak.soknad_mottatt:
        raise ConditionsError({"frist": "Fristen kan ikke være før søknaden ble mottatt."})
    tilbud, aktivitet, reason, fravaer_terskel = _check_offer(
        vedtak=vedtak, person=person, kind=kind, enhet=enhet, tilbud=tilbud, aktivitet=aktivitet,
        uten_tilbud_grunn=uten_tilbud_grunn, fravaer_terskel=fravaer_terskel)
    vilkar = Vilkar(vedtak=vedtak, person=person, rolle=rolle, kind=kind, hjemmel=hjemmel,
                    beskrivelse=beskrivelse.strip(), frist=frist, mengde=mengde, enhet=enhet, tilbud=tilbud,
                    aktivitet=aktivitet, uten_tilbud_grunn=reason, fravaer_terskel=fravaer_terskel)
    ConditionsError.full_clean(vilkar)
    vilkar.save()
    _send_back_pending(vedtak, "Et nytt vilkår ble lagt til mens opphevingen ventet på godkjenning.")
    refresh_fase(vedtak)
    record(actor, "create", obj=vilkar, person=person, vedtak=vedtak)
    if reason and vedtak.resultat:
        _journal_without_offer(vilkar, vedtak, actor, timezone.localdate())
    return vilkar


@transaction.atomic
def vilkar_set_offer(
    *, vilkar: Vilkar, actor: Actor, tilbud: str, aktivitet: Aktivitet | None = None, uten_tilbud_grunn: str = "",
    fravaer_terskel: int = DEFAULT_ABSENCE_THRESHOLD, version: int | None = None,
) -> Vilkar:
    """The offer of an open activity vilkår, set or changed after it was made (offers often come
    after the decision). A reason for no offer on a decided vedtak is journaled at once."""
    vedtak = lock_vedtak(vilkar.vedtak_id)
    vilkar = Vilkar.objects.select_for_update().select_related("person").get(pk=vilkar.pk)
    if vilkar.kind != VilkarKind.AKTIVITET:
        raise ConditionsError({"tilbud": "Bare aktivitetsvilkår gjelder et tilbud."})
    if vilkar.status != VilkarStatus.APEN:
        raise conflict(f"Vilkåret er allerede {vilkar.get_status_display().lower()}.")
    check_version(vilkar, version, "Vilkåret")
    if vedtak.fase in (Fase.AVSLAG, Fase.OPPHEVET):
        raise ConditionsError("Vedtaket er avslått eller allerede opphevet.")
    if not tilbud and not uten_tilbud_grunn.strip():
        raise ConditionsError({"tilbud": "Velg tilbudet vilkåret gjelder, eller «uten tilbud» med en grunn."})
    tilbud, aktivitet, reason, fravaer_terskel = _check_offer(
        vedtak=vedtak, person=vilkar.person, kind=vilkar.kind, enhet=vilkar.enhet, tilbud=tilbud, aktivitet=aktivitet,
        uten_tilbud_grunn=uten_tilbud_grunn, fravaer_terskel=fravaer_terskel)
    new_reason = reason and reason != vilkar.uten_tilbud_grunn
    vilkar.tilbud, vilkar.aktivitet, vilkar.uten_tilbud_grunn = tilbud, aktivitet, reason
    vilkar.fravaer_terskel, vilkar.version = fravaer_terskel, vilkar.version + 1
    ConditionsError.full_clean(vilkar)
    vilkar.save()
    record(actor, "update", obj=vilkar, person=vilkar.person, vedtak=vedtak)
    if new_reason and vedtak.resultat:
        _journal_without_offer(vilkar, vedtak, actor, timezone.localdate())
    return vilkar


def check_offers(vedtak: Vedtak) -> list[Vilkar]:
    """An activity vilkår is decided only with its offer or a written reason for none (pre-study
    §3.1); returns the vilkår without an offer but with a reason, to be journaled."""
    without = []
    for vilkar in vedtak.vilkar.filter(kind=VilkarKind.AKTIVITET, tilbud="").select_related("person").order_by("id"):
        if not vilkar.uten_tilbud_grunn:
            raise ConditionsError({"resultat":
                f"Aktivitetsvilkåret «{vilkar.beskrivelse}» for {vilkar.person.navn} har ikke noe tilbud. Velg "
                "tilbudet vilkåret gjelder, eller skriv hvorfor det stilles uten tilbud, før vedtaket fattes."})
        without.append(vilkar)
    return without


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
    without_offer = []
    if resultat in GRANTED:
        vedtak.sak = vedtak.sak.__class__.objects.select_related("hovedperson", "ektefelle").get(pk=vedtak.sak_id)
        check_20a(vedtak, vedtaksdato, unntak_20a)
        without_offer = check_offers(vedtak)
    vedtak.resultat, vedtak.vedtaksdato, vedtak.unntak_20a = resultat, vedtaksdato, unntak_20a.strip()
    vedtak.fase = Fase.VILKAR_APNE if resultat in GRANTED else Fase.AVSLAG  # made exact by refresh_fase
    ConditionsError.full_clean(vedtak)
    vedtak.save(update_fields=["resultat", "vedtaksdato", "unntak_20a", "fase"])
    refresh_fase(vedtak)
    record(actor, "update", obj=vedtak, person=vedtak.sak.hovedperson, vedtak=vedtak)
    for vilkar in without_offer:
        _journal_without_offer(vilkar, vedtak, actor, vedtaksdato)
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
