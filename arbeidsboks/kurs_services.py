"""Writes of the group courses (kurs og gruppesamlinger): the office's catalogue, enrolments with
a capacity that is never exceeded and a waiting list in order, sessions, and a session's
attendance registered for the whole group at once, which documents the activity vilkår resting
on each enrolment (conditions.services.attendance). Each service enforces its rule, writes an
audit entry and refuses with a Norwegian message that leaves nothing changed.

Lock order (as in services.py, never the other way round): the course, then its enrolments, then
(through cases) the participant whose plan gets the activity, then (through conditions) the
vedtak and its vilkår.

A place that frees up (an enrolment ended, or the capacity raised) goes at once to the first on
the waiting list who may still take it (in kartlegging, avklart or in activity): they are
enrolled and get the activity in their plan; the page says who moved in."""
import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.errors import DomainError
from alnaaktiv.models import AuditEntry, Office
from alnaaktiv.templatetags.norsk import flertall
from arbeidsboks.models import (
    COURSE_ENDED,
    Gruppekurs,
    Kursdeltakelse,
    KursdeltakelseStatus,
    Kursleverandor,
    Kursoppmote,
    Kurssamling,
    Oppmote,
)
from cases.models import Aktivitetsstatus, Aktivitetstype, Deltaker
from cases.services import MAPPED_STATES, activity_create, activity_update
from conditions.models import Kilde, Tilbud
from conditions.services import CONFLICT, attendance_document_offer

COURSE_FIELDS = ("navn", "type", "innhold", "leverandor", "leverandor_navn", "rom", "kapasitet", "startdato",
                 "sluttdato", "ukedager", "klokkeslett_fra", "klokkeslett_til")
NOT_ELIGIBLE = ("Bare deltakere i kartlegging, avklart eller i aktivitet kan meldes på kurs: plassen blir en "
                "aktivitet i planen.")


class KursError(DomainError):
    """A refused change of a course, an enrolment or a session; shown to the user as it is."""


def _audit(actor: Actor, action: str, *, obj, office: str, deltaker: Deltaker | None = None) -> None:
    audit.record_change(action, actor=actor, obj=obj, person=deltaker.person if deltaker else None, office=office)


def _lock_course(pk: int) -> Gruppekurs:
    return Gruppekurs.objects.select_for_update(of=("self",)).select_related("office").get(pk=pk)


def _taken(kurs: Gruppekurs) -> int:
    return kurs.deltakelser.filter(status=KursdeltakelseStatus.PAMELDT).count()


def _clean_fields(fields: dict) -> dict:
    values = {name: fields.get(name) for name in COURSE_FIELDS}
    for name in ("navn", "innhold", "leverandor_navn", "rom", "ukedager"):
        values[name] = (values[name] or "").strip()
    values["ukedager"] = "".join(sorted(set(values["ukedager"])))
    if values["leverandor"] != Kursleverandor.ANNEN:
        values["leverandor_navn"] = ""
    if not values["navn"]:
        raise KursError({"navn": "Skriv navnet på kurset."})
    return values


@transaction.atomic
def course_create(*, office: Office, actor: Actor, **fields) -> Gruppekurs:
    """A course in the office's catalogue; the database refuses a capacity under 1, an end before
    the start and times out of order, each at its field."""
    kurs = Gruppekurs(office=office, created_by=actor.user, **_clean_fields(fields))
    KursError.full_clean(kurs)
    kurs.save()
    _audit(actor, "create", obj=kurs, office=office.enhetsnummer)
    return kurs


@transaction.atomic
def course_update(*, kurs: Gruppekurs, actor: Actor, **fields) -> Gruppekurs:
    """Changes a course. The capacity never goes below the places taken, the period keeps every
    session inside it; a raised capacity gives the new places to the waiting list in order
    (`kurs.moved_in` lists who got one)."""
    locked = _lock_course(kurs.pk)
    values = _clean_fields(fields)
    for name, value in values.items():
        setattr(locked, name, value)
    KursError.full_clean(locked)
    errors = {}
    taken = _taken(locked)
    if locked.kapasitet < taken:
        errors["kapasitet"] = (f"{flertall(taken, 'deltaker,deltakere')} har plass på kurset, så kapasiteten kan ikke "
                                "være lavere.")
    outside = locked.samlinger.exclude(dato__gte=locked.startdato, dato__lte=locked.sluttdato).order_by("dato").first()
    if outside is not None:
        errors["startdato"] = (f"Kurset har en samling {outside.dato:%d.%m.%Y}, utenfor de nye datoene. Slett eller "
                               "flytt samlingen først.")
    if errors:
        raise KursError(errors)
    locked.save()
    _audit(actor, "update", obj=locked, office=locked.office.enhetsnummer)
    locked.moved_in = _fill_places(locked, actor=actor)
    return locked


def _place_start(kurs: Gruppekurs) -> datetime.date:
    return max(kurs.startdato, min(timezone.localdate(), kurs.sluttdato))


def _give_place(enrolment: Kursdeltakelse, kurs: Gruppekurs, actor: Actor) -> None:
    """The enrolment takes a place: an agreed activity of type kurs for the course's dates in the
    participant's plan (being carried out once the course has started)."""
    today = timezone.localdate()
    plass_fra = _place_start(kurs)
    aktivitet = activity_create(deltaker=enrolment.deltaker, actor=actor, fields={
        "type": Aktivitetstype.KURS, "beskrivelse": f"{kurs.get_type_display()}: {kurs.navn} ({kurs.leverandor_visning})",
        "fra_dato": plass_fra, "til_dato": kurs.sluttdato, "avtalt": True,
        "status": Aktivitetsstatus.GJENNOMFORES if plass_fra <= today else Aktivitetsstatus.PLANLAGT,
    })
    enrolment.status, enrolment.venteliste_fra = KursdeltakelseStatus.PAMELDT, None
    enrolment.aktivitet, enrolment.plass_fra = aktivitet, plass_fra


@transaction.atomic
def enrolment_create(*, kurs: Gruppekurs, deltaker: Deltaker, actor: Actor) -> Kursdeltakelse:
    """Enrols a participant of the course's office. The course's row is locked while its places
    are counted, so two users taking the last place at the same moment are served one after the
    other: the second goes on the waiting list. A full course, or one that already has a waiting
    list, puts the enrolment last on its waiting list."""
    if deltaker.status not in MAPPED_STATES:
        raise KursError({"deltaker": NOT_ELIGIBLE})
    locked = _lock_course(kurs.pk)
    if locked.office_id != deltaker.office_id:
        raise KursError({"deltaker": "Kurset hører til et annet kontor enn deltakeren."})
    if locked.sluttdato < timezone.localdate():
        raise KursError("Kurset er avsluttet, så ingen kan meldes på.")
    if locked.deltakelser.filter(deltaker=deltaker, status__in=[KursdeltakelseStatus.VENTELISTE,
                                                                 KursdeltakelseStatus.PAMELDT]).exists():
        raise KursError({"deltaker": "Deltakeren er allerede påmeldt eller står på ventelisten til kurset."})
    enrolment = Kursdeltakelse(kurs=locked, deltaker=deltaker, created_by=actor.user)
    waiting = locked.deltakelser.filter(status=KursdeltakelseStatus.VENTELISTE).exists()
    if waiting or _taken(locked) >= locked.kapasitet:
        enrolment.status, enrolment.venteliste_fra = KursdeltakelseStatus.VENTELISTE, timezone.now()
    else:
        _give_place(enrolment, locked, actor)
    KursError.full_clean(enrolment)
    enrolment.save()
    _audit(actor, "create", obj=enrolment, office=locked.office.enhetsnummer, deltaker=deltaker)
    return enrolment


def _fill_places(kurs: Gruppekurs, *, actor: Actor) -> list[Kursdeltakelse]:
    """Free places go to the waiting list in order (first put on it, first enrolled); someone
    whose course has ended or not reached kartlegging keeps their place in the queue."""
    free = kurs.kapasitet - _taken(kurs)
    if free <= 0 or kurs.sluttdato < timezone.localdate():
        return []
    moved = []
    waiting = (kurs.deltakelser.filter(status=KursdeltakelseStatus.VENTELISTE)
               .select_related("deltaker__person", "deltaker__office").order_by("venteliste_fra", "id"))
    for enrolment in waiting:
        if len(moved) == free:
            break
        if enrolment.deltaker.status not in MAPPED_STATES:
            continue
        _give_place(enrolment, kurs, actor)
        KursError.full_clean(enrolment)
        enrolment.save()
        _audit(actor, "update", obj=enrolment, office=kurs.office.enhetsnummer, deltaker=enrolment.deltaker)
        moved.append(enrolment)
    return moved


def _lock_enrolment(deltakelse: Kursdeltakelse) -> tuple[Gruppekurs, Kursdeltakelse]:
    kurs = _lock_course(deltakelse.kurs_id)
    locked = (Kursdeltakelse.objects.select_for_update(of=("self",))
              .select_related("deltaker__person", "deltaker__office", "aktivitet").get(pk=deltakelse.pk))
    locked.kurs = kurs
    return kurs, locked


@transaction.atomic
def enrolment_end(*, deltakelse: Kursdeltakelse, actor: Actor, status: str, begrunnelse: str = "") -> Kursdeltakelse:
    """Ends an enrolment: fullført, or avbrutt (with a reason when the participant had a place,
    as the agreed activity in the plan is cancelled with it). The plan's activity is finished the
    same way, and the freed place goes to the first on the waiting list (`moved_in`)."""
    reason = begrunnelse.strip()
    if status not in COURSE_ENDED:
        raise KursError({"status": "Velg om deltakelsen er fullført eller avbrutt."})
    kurs, enrolment = _lock_enrolment(deltakelse)
    if enrolment.status in COURSE_ENDED:
        raise KursError(f"Noen andre har gjort dette før deg: deltakelsen er allerede "
                        f"{enrolment.get_status_display().lower()}.")
    had_place = enrolment.status == KursdeltakelseStatus.PAMELDT
    if not had_place and status != KursdeltakelseStatus.AVBRUTT:
        raise KursError({"status": "En påmelding på ventelisten kan bare avbrytes."})
    if had_place and status == KursdeltakelseStatus.AVBRUTT and not reason:
        raise KursError({"begrunnelse": "Skriv hvorfor deltakelsen avbrytes (den avtalte aktiviteten avbrytes med den)."})
    enrolment.status, enrolment.sluttdato, enrolment.slutt_begrunnelse = status, timezone.localdate(), reason
    enrolment.venteliste_fra = None
    KursError.full_clean(enrolment)
    enrolment.save()
    _audit(actor, "update", obj=enrolment, office=kurs.office.enhetsnummer, deltaker=enrolment.deltaker)
    if enrolment.aktivitet is not None and not enrolment.aktivitet.is_finished:
        fields = {"status": Aktivitetsstatus.FULLFORT} if status == KursdeltakelseStatus.FULLFORT else {
            "status": Aktivitetsstatus.AVBRUTT, "avbrutt_begrunnelse": reason}
        enrolment.aktivitet = activity_update(aktivitet=enrolment.aktivitet, actor=actor, fields=fields)
    enrolment.moved_in = _fill_places(kurs, actor=actor) if had_place else []
    return enrolment


def _session_errors(kurs: Gruppekurs, dato: datetime.date) -> dict[str, str]:
    if not kurs.startdato <= dato <= kurs.sluttdato:
        return {"dato": f"Samlingen må være innenfor kursets datoer, {kurs.startdato:%d.%m.%Y}–"
                        f"{kurs.sluttdato:%d.%m.%Y}."}
    return {}


@transaction.atomic
def session_create(*, kurs: Gruppekurs, actor: Actor, dato: datetime.date, klokkeslett_fra: datetime.time | None = None,
                   klokkeslett_til: datetime.time | None = None, tema: str = "") -> Kurssamling:
    """One session, on a day inside the course's dates (once a day)."""
    locked = _lock_course(kurs.pk)
    errors = _session_errors(locked, dato)
    if errors:
        raise KursError(errors)
    if klokkeslett_fra is None and klokkeslett_til is None:
        klokkeslett_fra, klokkeslett_til = locked.klokkeslett_fra, locked.klokkeslett_til
    samling = Kurssamling(kurs=locked, dato=dato, klokkeslett_fra=klokkeslett_fra, klokkeslett_til=klokkeslett_til,
                          tema=tema.strip(), created_by=actor.user)
    KursError.full_clean(samling)
    samling.save()
    _audit(actor, "create", obj=samling, office=locked.office.enhetsnummer)
    return samling


def planned_dates(kurs: Gruppekurs) -> list[datetime.date]:
    """Every day of the course's period on one of its weekdays."""
    days, day = [], kurs.startdato
    while day <= kurs.sluttdato:
        if str(day.isoweekday()) in kurs.ukedager:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


@transaction.atomic
def sessions_generate(*, kurs: Gruppekurs, actor: Actor) -> list[Kurssamling]:
    """The planned sessions from the weekly pattern (weekdays and time); days that already have
    a session are left as they are."""
    locked = _lock_course(kurs.pk)
    if not locked.ukedager:
        raise KursError("Kurset har ingen faste ukedager. Legg inn ukedagene i kurset, eller legg til samlingene én "
                        "og én.")
    existing = set(locked.samlinger.values_list("dato", flat=True))
    new = [Kurssamling(kurs=locked, dato=day, klokkeslett_fra=locked.klokkeslett_fra,
                       klokkeslett_til=locked.klokkeslett_til, created_by=actor.user)
           for day in planned_dates(locked) if day not in existing]
    if not new:
        raise KursError("Alle de planlagte samlingene finnes allerede.")
    for samling in new:
        KursError.full_clean(samling, exclude=["kurs"])
    created = Kurssamling.objects.bulk_create(new)
    AuditEntry.objects.bulk_create([audit.build_entry(AuditEntry.Action.CREATE, actor=actor, obj=samling,
                                                      office=locked.office.enhetsnummer) for samling in created])
    return created


def session_enrolments(samling: Kurssamling):
    """The enrolments the session belongs to: a place from a day on or before it, and not ended
    before it."""
    return (Kursdeltakelse.objects.filter(kurs_id=samling.kurs_id, plass_fra__lte=samling.dato)
            .exclude(status=KursdeltakelseStatus.VENTELISTE).exclude(sluttdato__lt=samling.dato))


def attendance_field(deltakelse_pk: int) -> str:
    """The page's input name of one participant's line (a refusal of the line lands there)."""
    return f"d{deltakelse_pk}-oppmote"


def _hendelse(samling: Kurssamling, oppmote: str) -> str:
    return f"{samling.kurs.navn} {samling.dato:%d.%m.%Y}: {Oppmote(oppmote).label.lower()}"


# The attendance page's form says when the session's attendance was last saved as it showed it
# (None: never); a save from a page that shows an older state is refused, nothing written.
NOT_CHECKED = object()
ATTENDANCE_CONFLICT = (f"{CONFLICT}Oppmøtet for samlingen ble lagret av noen andre etter at du åpnet siden. "
                       "Siden viser nå det som gjelder.")


@transaction.atomic
def session_attendance_register(*, samling: Kurssamling, actor: Actor, rows: dict[int, str],
                                deltakere: QuerySet | None = None, seen=NOT_CHECKED) -> list[Kursoppmote]:
    """A session's attendance for the whole group at once: `rows` maps every enrolment of the
    session (session_enrolments; of the `deltakere` the user may see, when given: a protected
    person's line is left to those who may see them) to møtt, gyldig fravær or ikke møtt; all or
    nothing. Registering
    again corrects it; `seen` (the page's «last saved», checked under the session's row lock)
    refuses a save from a page that no longer shows the saved state. Each line lands on the activity vilkår resting on the enrolment's plan
    activity (tilbud gruppekurs) as one planned day, attended, approved absence or not."""
    kurs = _lock_course(samling.kurs_id)
    session = Kurssamling.objects.select_for_update(of=("self",)).get(pk=samling.pk)
    session.kurs = kurs
    if seen is not NOT_CHECKED and seen != session.oppmote_registrert_at:
        raise KursError(ATTENDANCE_CONFLICT)
    if session.dato > timezone.localdate():
        raise KursError(f"Samlingen er {session.dato:%d.%m.%Y}. Oppmøtet kan registreres fra den dagen.")
    lines = session_enrolments(session)
    if deltakere is not None:
        lines = lines.filter(deltaker__in=deltakere)
    enrolments = list(lines.select_related("deltaker__person").select_for_update(of=("self",)).order_by("id"))
    errors = {attendance_field(e.pk): f"{e.deltaker.person.navn}: velg møtt, gyldig fravær eller ikke møtt."
              for e in enrolments if rows.get(e.pk) not in Oppmote.values}
    unknown = set(rows) - {e.pk for e in enrolments}
    if unknown:
        raise KursError("Oppmøtelisten har en linje for noen som ikke er med på denne samlingen. Last siden på nytt.")
    if errors:
        raise KursError(errors)
    existing = {o.deltakelse_id: o for o in session.oppmoter.select_for_update()}
    office = kurs.office.enhetsnummer
    saved = []
    for enrolment in enrolments:
        value = rows[enrolment.pk]
        line = existing.get(enrolment.pk)
        action = "update" if line is not None else "create"
        if line is None:
            line = Kursoppmote(samling=session, deltakelse=enrolment)
        elif line.oppmote == value:
            saved.append(line)
            continue
        line.oppmote, line.registrert_av = value, actor.user
        KursError.full_clean(line, exclude=["samling", "deltakelse"])
        line.save()
        _audit(actor, action, obj=line, office=office, deltaker=enrolment.deltaker)
        line.documents = _document(session, enrolment, value, actor)
        saved.append(line)
    session.oppmote_registrert_at, session.oppmote_registrert_av = timezone.now(), actor.user
    session.save(update_fields=["oppmote_registrert_at", "oppmote_registrert_av"])
    return saved


def _document(samling: Kurssamling, enrolment: Kursdeltakelse, oppmote: str, actor: Actor) -> list:
    return attendance_document_offer(
        person_id=enrolment.deltaker.person_id, tilbud=Tilbud.GRUPPEKURS, aktivitet_id=enrolment.aktivitet_id,
        actor=actor, kilde=Kilde.KURS, kilde_ref=f"samling:{samling.pk}:{enrolment.pk}", on_date=samling.dato,
        planlagte_dager=1, oppmotte_dager=1 if oppmote == Oppmote.MOTT else 0,
        fravaer_godkjent=1 if oppmote == Oppmote.GYLDIG_FRAVAER else 0, hendelse=_hendelse(samling, oppmote),
    )
