"""Documentation against a vilkår, registered in one step (type, date, optional upload,
assessment, attendance days, job applications), its later assessment, and the follow-up
veileder's assessment of activity vilkår."""
import datetime
import math

from django.db import transaction
from django.utils import timezone

from alnaaktiv.actor import Actor
from cases.models import Deltaker, JournalEntry
from cases.services import journal_create
from conditions import uploads
from conditions.models import (
    Dokumentasjon,
    DokumentType,
    Enhet,
    Fase,
    Jobbsoknad,
    Vedtak,
    Vilkar,
    VilkarKind,
    VilkarStatus,
    Vurdering,
)
from conditions.services.common import ConditionsError, check_version, conflict, lock_vedtak, record, refresh_fase
from conditions.services.vedtak import _send_back_pending


def _fulfil_documentation_vilkar(vilkar: Vilkar, user) -> None:
    """An approved document fulfils a documentation vilkår; an activity vilkår is assessed by
    the follow-up veileder (an attendance list alone never fulfils it)."""
    if vilkar.kind == VilkarKind.DOKUMENTASJON and vilkar.status == VilkarStatus.APEN:
        vilkar.status, vilkar.vurdert_av, vilkar.vurdert_at = VilkarStatus.OPPFYLT, user, timezone.now()
        vilkar.version += 1
        vilkar.save(update_fields=["status", "vurdert_av", "vurdert_at", "version"])


def _check_assessment(vurdering: str, avvist_grunn: str) -> None:
    if vurdering not in Vurdering.values:
        raise ConditionsError({"vurdering": "Velg en gyldig vurdering."})


def _check_document(*, type: str, mottatt: datetime.date, vurdering: str, avvist_grunn: str) -> None:
    if mottatt > timezone.localdate():
        raise ConditionsError({"mottatt": "Mottatt-datoen kan ikke være fram i tid."})
    _check_assessment(vurdering, avvist_grunn)
    if type not in DokumentType.values:
        raise ConditionsError({"type": "Velg type dokumentasjon."})


def _attendance_fields(type: str, *, planlagte_dager: int | None, oppmotte_dager: int | None,
                       fravaer_godkjent: int | None) -> dict:
    """An attendance list's days (planned, attended, absence approved and not), empty for any
    other document."""
    if type != DokumentType.OPPMOTELISTE:
        return {"planlagte_dager": None, "oppmotte_dager": None, "fravaer_godkjent": None, "fravaer_ikke_godkjent": None}
    if not planlagte_dager or oppmotte_dager is None:
        raise ConditionsError({"planlagte_dager": "En oppmøteliste trenger planlagte dager og møtte dager."})
    fravaer_godkjent = fravaer_godkjent or 0
    if oppmotte_dager + fravaer_godkjent > planlagte_dager:
        raise ConditionsError({"oppmotte_dager": "Møtte dager og godkjent fravær kan til sammen ikke være flere enn planlagte dager."})
    return {"planlagte_dager": planlagte_dager, "oppmotte_dager": oppmotte_dager, "fravaer_godkjent": fravaer_godkjent,
            "fravaer_ikke_godkjent": planlagte_dager - oppmotte_dager - fravaer_godkjent}


def _check_applications(type: str, soknader: list[tuple[str, datetime.date]]) -> None:
    """Job applications come with their type only, each with an employer and a date that has come."""
    if type == DokumentType.JOBBSOKNADER and not soknader:
        raise ConditionsError({"soknader": "Registrer minst én jobbsøknad med arbeidsgiver og dato."})
    if type != DokumentType.JOBBSOKNADER and soknader:
        raise ConditionsError({"type": "Jobbsøknader registreres med typen «Jobbsøknader»."})
    if any(not employer.strip() or date > timezone.localdate() for employer, date in soknader):
        raise ConditionsError({"soknader": "Hver jobbsøknad trenger en arbeidsgiver og en dato som ikke er fram i tid."})


def _file_fields(fil) -> tuple[dict, str]:
    """(the document's file name and type, the stored file's extension) of an upload, checked by
    its content; nothing without one."""
    if fil is None:
        return {}, ""
    content_type, extension = uploads.detect_type(fil)
    return {"filnavn": uploads.safe_filename(fil.name), "filtype": content_type}, extension


def _after_registering(document: Dokumentasjon, vedtak: Vedtak, *, soknader, actor: Actor) -> None:
    """The saved document's applications, the vilkår it fulfils, the pending lifting it sends
    back, the vedtak's phase and the audit entry."""
    vilkar = document.vilkar
    Jobbsoknad.objects.bulk_create(
        [Jobbsoknad(dokumentasjon=document, arbeidsgiver=employer.strip()[:200], dato=date) for employer, date in soknader]
    )
    if document.vurdering == Vurdering.GODKJENT:
        _fulfil_documentation_vilkar(vilkar, actor.user)
    _send_back_pending(vedtak, "Ny dokumentasjon ble registrert mens opphevingen ventet på godkjenning.")
    refresh_fase(vedtak)
    record(actor, "create", obj=document, person=vilkar.person, vedtak=vedtak)


@transaction.atomic
def document_register(
    *, vilkar: Vilkar, actor: Actor, type: str, mottatt: datetime.date, vurdering: str = "", avvist_grunn: str = "",
    fil=None, planlagte_dager: int | None = None, oppmotte_dager: int | None = None,
    fravaer_godkjent: int | None = None, soknader: list[tuple[str, datetime.date]] = (),
    kilde: str = "", kilde_ref: str = "", hendelse: str = "",
) -> Dokumentasjon:
    """Registers received documentation. A document registered while a lifting of the vedtak
    waits for approval sends the lifting back. Attendance registered elsewhere comes with its
    source (`kilde`, `kilde_ref`) and what happened (`hendelse`)."""
    _check_document(type=type, mottatt=mottatt, vurdering=vurdering, avvist_grunn=avvist_grunn)
    attendance = _attendance_fields(type, planlagte_dager=planlagte_dager, oppmotte_dager=oppmotte_dager,
                                    fravaer_godkjent=fravaer_godkjent)
    _check_applications(type, soknader)
    vedtak = lock_vedtak(vilkar.vedtak_id)
    if vedtak.fase == Fase.OPPHEVET:
        raise ConditionsError("Vedtaket er allerede opphevet. Dokumentasjonen hører til et nytt vedtak.")
    vilkar = Vilkar.objects.select_for_update().select_related("person").get(pk=vilkar.pk)
    file_fields, extension = _file_fields(fil)
    document = Dokumentasjon(vilkar=vilkar, type=type, mottatt=mottatt, vurdering=vurdering,
                             avvist_grunn=avvist_grunn.strip() if vurdering == Vurdering.AVVIST else "",
                             vurdert_av=actor.user if vurdering else None, registrert_av=actor.user,
                             kilde=kilde, kilde_ref=kilde_ref, hendelse=hendelse[:300], **attendance, **file_fields)
    ConditionsError.full_clean(document, exclude=["fil"])
    stored = uploads.store(fil, extension) if fil is not None else ""
    try:
        document.fil.name = stored
        document.save()
        _after_registering(document, vedtak, soknader=soknader, actor=actor)
    except Exception:
        if stored:
            document.fil.storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_assess(*, dokumentasjon: Dokumentasjon, actor: Actor, vurdering: str, avvist_grunn: str = "") -> Dokumentasjon:
    if not vurdering:
        raise ConditionsError({"vurdering": "Velg godkjent eller avvist."})
    _check_assessment(vurdering, avvist_grunn)
    vedtak = lock_vedtak(dokumentasjon.vilkar.vedtak_id)
    vilkar = Vilkar.objects.select_for_update().select_related("person").get(pk=dokumentasjon.vilkar_id)
    document = Dokumentasjon.objects.select_for_update().get(pk=dokumentasjon.pk)
    if document.vurdering:
        raise conflict(f"Dokumentasjonen er allerede vurdert som {document.get_vurdering_display().lower()}.")
    document.vurdering, document.vurdert_av = vurdering, actor.user
    document.avvist_grunn = avvist_grunn.strip() if vurdering == Vurdering.AVVIST else ""
    ConditionsError.full_clean(document)
    document.save(update_fields=["vurdering", "vurdert_av", "avvist_grunn"])
    if vurdering == Vurdering.GODKJENT and vedtak.fase != Fase.OPPHEVET:
        _fulfil_documentation_vilkar(vilkar, actor.user)
        refresh_fase(vedtak)
    record(actor, "update", obj=document, person=vilkar.person, vedtak=vedtak)
    return document


def weeks_in(vedtak: Vedtak, frist: datetime.date) -> int:
    return max(1, math.ceil(((frist - vedtak.periode_fra).days + 1) / 7))


def activity_vilkar_progress(vilkar: Vilkar) -> dict:
    """What the approved documentation shows against the individual quantity. Reads
    `vilkar.dokumentasjon.all()` and each document's `soknader.all()`, so a page that prefetched
    them asks the database nothing more."""
    approved = [doc for doc in vilkar.dokumentasjon.all() if doc.vurdering == Vurdering.GODKJENT]
    if vilkar.enhet == Enhet.SOKNADER_PER_UKE:
        required = vilkar.mengde * weeks_in(vilkar.vedtak, vilkar.frist)
        achieved = sum(len(doc.soknader.all()) for doc in approved)
        return {"required": required, "achieved": achieved, "met": achieved >= required,
                "text": f"{achieved} av {required} jobbsøknader ({vilkar.mengde} per uke)"}
    lists = [doc for doc in approved if doc.type == DokumentType.OPPMOTELISTE]
    planned = sum(doc.planlagte_dager for doc in lists)
    if not planned:
        return {"required": vilkar.mengde, "achieved": None, "met": False,
                "text": f"ingen godkjent oppmøteliste, krav {vilkar.mengde} %"}
    present = sum(doc.oppmotte_dager + doc.fravaer_godkjent for doc in lists)
    percent = math.floor(100 * present / planned)
    return {"required": vilkar.mengde, "achieved": percent, "met": percent >= vilkar.mengde,
            "text": f"{percent} % oppmøte medregnet godkjent fravær, krav {vilkar.mengde} %"}


def _check_assessable(vilkar: Vilkar, vedtak: Vedtak, version: int | None) -> None:
    if vilkar.kind != VilkarKind.AKTIVITET:
        raise ConditionsError("Bare aktivitetsvilkår vurderes av veilederen.")
    if vilkar.status != VilkarStatus.APEN:
        raise conflict(f"Vilkåret er allerede vurdert som {vilkar.get_status_display().lower()}.")
    check_version(vilkar, version, "Vilkåret")
    if vedtak.fase in (Fase.OPPHEVET, Fase.SOKNAD, Fase.AVSLAG):
        raise ConditionsError("Vilkåret kan bare vurderes på et innvilget vedtak som ikke er opphevet.")


def _journal_override(vilkar: Vilkar, vedtak: Vedtak, *, progress_text: str, actor: Actor,
                      on_date: datetime.date) -> None:
    """Fulfilled below the quantity: the reason goes into the participant's journal."""
    deltaker = Deltaker.objects.filter(person=vilkar.person, office=vedtak.office).first()
    if deltaker is None:
        raise ConditionsError("Personen er ikke deltaker i Alna Aktiv, så begrunnelsen kan ikke journalføres.")
    journal_create(
        deltaker=deltaker, actor=actor, kind=JournalEntry.Kind.ANNET, on_date=on_date, is_system=True,
        text=(f"Aktivitetsvilkår vurdert som oppfylt selv om kravet ikke er nådd ({progress_text}). "
              f"Vilkår: {vilkar.beskrivelse}. Begrunnelse: {vilkar.begrunnelse}"),
    )


@transaction.atomic
def vilkar_assess(*, vilkar: Vilkar, actor: Actor, oppfylt: bool, begrunnelse: str = "", version: int | None = None,
                  on_date: datetime.date | None = None) -> Vilkar:
    """The follow-up veileder's assessment of an activity vilkår. Fulfilled although the
    quantity was not met needs a justification, which is journaled on the participant."""
    vedtak = lock_vedtak(vilkar.vedtak_id)
    vilkar = Vilkar.objects.select_for_update().select_related("person", "vedtak").get(pk=vilkar.pk)
    _check_assessable(vilkar, vedtak, version)
    progress = activity_vilkar_progress(vilkar)
    override = oppfylt and not progress["met"]
    if override and not begrunnelse.strip():
        raise ConditionsError({"begrunnelse":
            f"Kravet er ikke nådd ({progress['text']}). Skriv en begrunnelse når vilkåret likevel vurderes som oppfylt."
        })
    vilkar.status = VilkarStatus.OPPFYLT if oppfylt else VilkarStatus.IKKE_OPPFYLT
    vilkar.begrunnelse, vilkar.oppfylt_under_krav = begrunnelse.strip(), override
    vilkar.vurdert_av, vilkar.vurdert_at, vilkar.version = actor.user, timezone.now(), vilkar.version + 1
    ConditionsError.full_clean(vilkar)
    vilkar.save()
    if override:
        _journal_override(vilkar, vedtak, progress_text=progress["text"], actor=actor,
                          on_date=on_date or timezone.localdate())
    refresh_fase(vedtak)
    record(actor, "update", obj=vilkar, person=vilkar.person, vedtak=vedtak)
    return vilkar
