"""Demo vedtak for seed_demo: every list of the vedtak unit, the leader and the veileder has
something in it. Made through the services, dated from today; skipped when the office already
has vedtak, so running seed_demo twice changes nothing."""
import datetime
from decimal import Decimal

from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.dates import age_on
from alnaaktiv.models import Office, User
from cases.choices import SakRolle
from cases.models import Adressebeskyttelse, Avtale, Avtalestatus, Avtaletype, Deltaker, Lopsstatus, Sak
from cases.services.appointments import appointment_close
from conditions import services
from conditions.models import (
    DokumentType,
    Enhet,
    Hjemmel,
    Konsekvens,
    Resultat,
    Tilbud,
    Vedtak,
    VilkarKind,
    VilkarStatus,
    Vurdering,
)
from conditions.services.breaches import detect_possible_breaches

# The description of the one documentation vilkår still open in the browser journey's case.
LAST_DOCUMENT = "Lever kvittering for strøm for februar"


def _vedtak(sak: Sak, user: User, *, soknad: datetime.date, belop: str, vilkar: list[dict], decide: bool = True,
            varslet: bool = True) -> Vedtak:
    made = services.vedtak_create(sak=sak, actor=Actor.for_user(user), soknad_mottatt=soknad, periode_fra=soknad,
                                  periode_til=soknad + datetime.timedelta(days=30), belop=Decimal(belop),
                                  varslet_reduksjon=varslet)
    members = [sak.hovedperson] + ([sak.ektefelle] if sak.ektefelle_id else [])
    for item in vilkar:
        services.vilkar_create(vedtak=made, actor=Actor.for_user(user), person=item.get("person", sak.hovedperson), **{
            "hjemmel": Hjemmel.SOTJL_20, "frist": soknad + datetime.timedelta(days=21), **{k: v for k, v in item.items() if k != "person"}})
    # § 20 a: everyone under 30 gets an individual activity vilkår: Alna Aktiv's meetings for a
    # participant, else (nobody could document meetings) without an offer, with the reason.
    for person in members:
        if age_on(person.fodselsdato, soknad) < 30:
            offer = ({"tilbud": Tilbud.ALNA_AKTIV} if services.is_active_participant(made, person) else
                     {"uten_tilbud_grunn": "Ikke deltaker i Alna Aktiv ennå. Tilbud gis ved oppstart."})
            services.vilkar_create(vedtak=made, actor=Actor.for_user(user), person=person, kind=VilkarKind.AKTIVITET, hjemmel=Hjemmel.SOTJL_20A,
                                   beskrivelse="Møt på Alna Aktiv og følg aktivitetsplanen", mengde=80,
                                   enhet=Enhet.OPPMOTE_PROSENT, frist=soknad + datetime.timedelta(days=28), **offer)
    if decide:
        services.vedtak_decide(vedtak=made, actor=Actor.for_user(user), resultat=Resultat.INNVILGET, vedtaksdato=soknad + datetime.timedelta(days=3))
    return made


def _fulfil(made: Vedtak, user: User, today: datetime.date) -> None:
    for item in made.vilkar.filter(status=VilkarStatus.APEN):
        if item.kind == VilkarKind.DOKUMENTASJON:
            services.document_register(vilkar=item, actor=Actor.for_user(user), type=DokumentType.HUSLEIE, mottatt=today, vurdering=Vurdering.GODKJENT)
        else:
            services.vilkar_waive(vilkar=item, actor=Actor.for_user(user), begrunnelse="Startet i arbeid, aktivitetsvilkåret faller bort")


def seed_conditions(office: Office, users: dict[str, User]) -> int:
    if Vedtak.objects.filter(office=office).exists():
        return 0
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    vedtak_user, leder = users["vedtak"], users["leder"]
    saker = {int(sak.saksnummer.rsplit("-", 1)[1]): sak for sak in
             Sak.objects.filter(office=office).select_related("hovedperson", "ektefelle")}
    rent = {"kind": VilkarKind.DOKUMENTASJON, "beskrivelse": "Lever kvittering for betalt husleie for mars"}
    made = []
    # Ready for lifting (two), one waiting for the leader, one lifted and on the hand-over list.
    for number in (20, 21, 22, 23):
        vedtak = _vedtak(saker[number], vedtak_user, soknad=today - 20 * day, belop=str(5200 + number * 100),
                         vilkar=[rent])
        _fulfil(vedtak, vedtak_user, today - 2 * day)
        made.append(vedtak)
    services.lifting_prepare(vedtak=made[2], actor=Actor.for_user(vedtak_user))
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=made[3], actor=Actor.for_user(vedtak_user)), actor=Actor.for_user(leder))
    # The browser journey's case: rent is approved, the electricity receipt is the last document.
    journey = _vedtak(saker[25], vedtak_user, soknad=today - 15 * day, belop="6100", vilkar=[
        rent, {"kind": VilkarKind.DOKUMENTASJON, "beskrivelse": LAST_DOCUMENT}])
    services.document_register(vilkar=journey.vilkar.get(beskrivelse=rent["beskrivelse"]), actor=Actor.for_user(vedtak_user),
                                    type=DokumentType.HUSLEIE, mottatt=today - 3 * day, vurdering=Vurdering.GODKJENT)
    # Documentation received but not assessed; a job-search vilkår for a participant in activity
    # (Jonas Yilmaz, under 30: his § 20 a vilkår rests on Alna Aktiv's meetings, and he has a
    # meeting today whose outcome documents it).
    unassessed = _vedtak(saker[26], vedtak_user, soknad=today - 12 * day, belop="4800", vilkar=[
        {"kind": VilkarKind.DOKUMENTASJON, "beskrivelse": "Dokumenter søknad om bostøtte fra Husbanken"}])
    services.document_register(vilkar=unassessed.vilkar.get(), actor=Actor.for_user(vedtak_user), type=DokumentType.BOSTOTTE,
                                    mottatt=today - day)
    activity = _vedtak(saker[12], vedtak_user, soknad=today - 18 * day, belop="7300", vilkar=[
        {"kind": VilkarKind.AKTIVITET, "beskrivelse": "Søk minst 4 stillinger i uka innen renhold eller lager, med kopi av søknadene",
         "mengde": 4, "enhet": Enhet.SOKNADER_PER_UKE, "tilbud": Tilbud.JOBBSOKING}])
    services.document_register(
        vilkar=activity.vilkar.get(enhet=Enhet.SOKNADER_PER_UKE), actor=Actor.for_user(vedtak_user), type=DokumentType.JOBBSOKNADER,
        mottatt=today - 2 * day, vurdering=Vurdering.GODKJENT,
        soknader=[("Alna renhold og tekniske", today - 9 * day), ("Rema 1000 Furuset", today - 7 * day),
                  ("Posten Norge, Alnabru", today - 4 * day)])
    # A vilkår past its due date (the vedtak warned about reductions).
    _vedtak(saker[27], vedtak_user, soknad=today - 40 * day, belop="5900", vilkar=[
        {"kind": VilkarKind.DOKUMENTASJON, "beskrivelse": "Lever kontoutskrift for de siste tre månedene",
         "frist": today - 5 * day}])
    # Applications near and past the 14-day deadline.
    _vedtak(saker[28], vedtak_user, soknad=today - 12 * day, belop="6400", vilkar=[rent], decide=False)
    _vedtak(saker[29], vedtak_user, soknad=today - 16 * day, belop="5100", vilkar=[rent], decide=False)
    _seed_breaches(office, vedtak_user, users["veileder"], today)
    return Vedtak.objects.filter(office=office).count()


def _breach_participants(office: Office, veileder: User) -> list[Deltaker]:
    """Two participants the demo veileder follows up (met, in mapping or in activity), not
    protected or skjermet and with no vedtak yet: their no-shows reach «Mulige brudd hos mine
    deltakere» as well as the vedtak unit."""
    return list(Deltaker.objects.filter(
        office=office, veileder=veileder, rolle=SakRolle.HOVEDPERSON, sak__isnull=False,
        status__in=[Lopsstatus.MOTT, Lopsstatus.I_KARTLEGGING, Lopsstatus.AVKLART, Lopsstatus.I_AKTIVITET],
        person__adressebeskyttelse=Adressebeskyttelse.UGRADERT, person__skjermet=False,
    ).exclude(sak__vedtak__isnull=False).select_related("sak__hovedperson", "sak__ektefelle", "person")
        .order_by("sak__saksnummer")[:2])


def _missed_meeting(deltaker: Deltaker, veileder: User, day: datetime.date) -> None:
    """A follow-up meeting on `day` (in the past: made as it stood in the calendar then), closed
    as «ikke møtt» by the veileder: the appointment's hook documents the meeting vilkår."""
    avtale = Avtale(deltaker=deltaker, kind=Avtaletype.OPPFOLGING, sted="Alna Aktiv, NAV Alna", veileder=veileder,
                    created_by=veileder,
                    starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))))
    avtale.full_clean()
    avtale.save()
    appointment_close(avtale=avtale, actor=Actor.for_user(veileder), outcome=Avtalestatus.IKKE_MOTT)


def _seed_breaches(office: Office, user: User, veileder: User, today: datetime.date) -> None:
    """Two possible breaches: a no-show at a follow-up meeting yesterday (still to be assessed)
    and one three days ago whose forhåndsvarsel was sent today, both of participants the demo
    veileder follows up."""
    day = datetime.timedelta(days=1)
    warned_person = None
    for deltaker, meeting_day in zip(_breach_participants(office, veileder), (today - day, today - 3 * day),
                                     strict=False):
        sak, soknad = deltaker.sak, today - 14 * day
        # Under 30 the § 20 a vilkår on Alna Aktiv's meetings is already there: one vilkår, one breach.
        young = age_on(sak.hovedperson.fodselsdato, soknad) < 30
        _vedtak(sak, user, soknad=soknad, belop="7100", vilkar=[] if young else [
            {"kind": VilkarKind.AKTIVITET, "beskrivelse": "Møt til avtalte oppfølgingsmøter på Alna Aktiv",
             "mengde": 80, "enhet": Enhet.OPPMOTE_PROSENT, "tilbud": Tilbud.ALNA_AKTIV}])
        _missed_meeting(deltaker, veileder, meeting_day)
        if meeting_day == today - 3 * day:
            warned_person = deltaker.person_id
    found = detect_possible_breaches(on_date=today, actor=Actor.for_user(user))
    warned = next((brudd for brudd in found if brudd.vilkar.person_id == warned_person), None)
    if warned is not None:
        services.warning_send(brudd=warned, actor=Actor.for_user(user), konsekvens=Konsekvens.STANS,
                              svarfrist=today + 6 * day)
