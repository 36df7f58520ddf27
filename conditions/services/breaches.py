"""The morning's detection of possible breaches of activity vilkår (docs/domain.md §8): a
no-show at an agreed meeting or session, unapproved absence in a month above the vilkår's
threshold, and a job-search vilkår past its deadline with no applications documented. Each
finding is one MuligBrudd per vilkår, reason and period, so a second run adds nothing. Nothing
is sanctioned here: the vedtak unit decides (conditions.services.sanctions)."""
import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from conditions.models import (
    GRANTED,
    KILDE_APPOINTMENT,
    BruddGrunn,
    Dokumentasjon,
    DokumentType,
    Enhet,
    MuligBrudd,
    SanksjonHendelse,
    Tilbud,
    Vilkar,
    VilkarKind,
    VilkarStatus,
    Vurdering,
)

# A no-show registered this many days back is still found (the beat may have been down).
LOOKBACK_DAYS = 31


@dataclass
class Finding:
    vilkar: Vilkar
    grunn: str
    periode: datetime.date
    bevis: list[str] = field(default_factory=list)
    dokumenter: list[int] = field(default_factory=list)


def _open_activity_vilkar() -> Q:
    return Q(vilkar__kind=VilkarKind.AKTIVITET, vilkar__status=VilkarStatus.APEN,
             vilkar__vedtak__resultat__in=list(GRANTED))


def _day(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


def _evidence_line(document: Dokumentasjon) -> str:
    if document.hendelse:
        return document.hendelse
    return (f"{document.get_type_display()} mottatt {_day(document.mottatt)}: {document.planlagte_dager or 0} "
            f"planlagte dager, {document.fravaer_ikke_godkjent or 0} dager ikke godkjent fravær")


def _no_shows(on_date: datetime.date) -> list[Finding]:
    documents = (Dokumentasjon.objects.filter(_open_activity_vilkar(), kilde__in=list(KILDE_APPOINTMENT),
                                              fravaer_ikke_godkjent__gt=0, mottatt__lte=on_date,
                                              mottatt__gte=on_date - datetime.timedelta(days=LOOKBACK_DAYS))
                 .exclude(vurdering=Vurdering.AVVIST).select_related("vilkar__vedtak").order_by("mottatt", "id"))
    findings: dict[tuple, Finding] = {}
    for document in documents:
        key = (document.vilkar_id, document.mottatt)
        finding = findings.setdefault(key, Finding(document.vilkar, BruddGrunn.IKKE_MOTT, document.mottatt))
        finding.bevis.append(_evidence_line(document))
        finding.dokumenter.append(document.pk)
    return list(findings.values())


def _month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def _absence(on_date: datetime.date) -> list[Finding]:
    """Attendance lists of the month so far and of the month before, by vilkår. A no-show at an
    appointment (meeting, course session) is found as one already, so those are not counted
    again here."""
    this_month = _month_start(on_date)
    last_month = _month_start(this_month - datetime.timedelta(days=1))
    documents = (Dokumentasjon.objects.filter(_open_activity_vilkar(), type=DokumentType.OPPMOTELISTE,
                                              planlagte_dager__gt=0, mottatt__gte=last_month, mottatt__lte=on_date)
                 .exclude(kilde__in=list(KILDE_APPOINTMENT)).exclude(vurdering=Vurdering.AVVIST)
                 .select_related("vilkar__vedtak").order_by("mottatt", "id"))
    months: dict[tuple, list[Dokumentasjon]] = {}
    for document in documents:
        months.setdefault((document.vilkar_id, _month_start(document.mottatt)), []).append(document)
    findings = []
    for (_, month), rows in months.items():
        vilkar = rows[0].vilkar
        planned = sum(row.planlagte_dager or 0 for row in rows)
        absent = sum(row.fravaer_ikke_godkjent or 0 for row in rows)
        if absent * 100 > vilkar.fravaer_terskel * planned:
            share = round(absent * 100 / planned)
            bevis = [_evidence_line(row) for row in rows]
            bevis.append(f"{month:%m.%Y}: {absent} av {planned} planlagte dager ikke godkjent fravær ({share} %), "
                         f"over terskelen på {vilkar.fravaer_terskel} %.")
            findings.append(Finding(vilkar, BruddGrunn.FRAVAER, month, bevis, [row.pk for row in rows]))
    return findings


def _missing_applications(on_date: datetime.date) -> list[Finding]:
    applications = Dokumentasjon.objects.filter(type=DokumentType.JOBBSOKNADER).exclude(vurdering=Vurdering.AVVIST)
    vilkar = (Vilkar.objects.filter(Q(tilbud=Tilbud.JOBBSOKING) | Q(enhet=Enhet.SOKNADER_PER_UKE),
                                    kind=VilkarKind.AKTIVITET, status=VilkarStatus.APEN, frist__lt=on_date,
                                    frist__gte=on_date - datetime.timedelta(days=LOOKBACK_DAYS),
                                    vedtak__resultat__in=list(GRANTED))
              .exclude(pk__in=applications.values("vilkar_id")).select_related("vedtak").order_by("frist", "id"))
    return [
        Finding(item, BruddGrunn.MANGLER_SOKNADER, item.frist,
                [f"Frist {_day(item.frist)}: ingen dokumentasjon av jobbsøknader er registrert "
                 f"(krav {item.mengde} {item.get_enhet_display()})."])
        for item in vilkar
    ]


def _store(finding: Finding, actor: Actor) -> MuligBrudd | None:
    """The finding as a new MuligBrudd, with its documents, its event on the vedtak and its audit
    entry in one transaction (one commit per finding, and never a breach without its event), or
    None when it was found before (also by a run at the same moment: the unique constraint decides)."""
    vilkar = finding.vilkar
    now = timezone.now()
    try:
        with transaction.atomic():
            brudd = MuligBrudd.objects.create(vilkar=vilkar, office_id=vilkar.vedtak.office_id, grunn=finding.grunn,
                                              periode=finding.periode, bevis="\n".join(finding.bevis), oppdaget_at=now)
            MuligBrudd.dokumenter.through.objects.bulk_create([
                MuligBrudd.dokumenter.through(muligbrudd_id=brudd.pk, dokumentasjon_id=pk)
                for pk in dict.fromkeys(finding.dokumenter)])
            SanksjonHendelse.objects.create(vedtak_id=vilkar.vedtak_id, brudd=brudd, at=now,
                                            tekst=f"Mulig brudd funnet: {brudd.get_grunn_display().lower()}.")
            audit.record_change("create", actor=actor, obj=brudd, person=vilkar.person,
                                office=vilkar.vedtak.office.enhetsnummer)
    except IntegrityError:
        return None
    return brudd


def detect_possible_breaches(*, on_date: datetime.date | None = None, actor: Actor | None = None) -> list[MuligBrudd]:
    """Every rule for `on_date` (today); returns the possible breaches that are new."""
    on_date = on_date or timezone.localdate()
    actor = actor or Actor.scheduled("detect_possible_breaches")
    findings = _no_shows(on_date) + _absence(on_date) + _missing_applications(on_date)
    # Most findings of the look-back were stored by an earlier morning: one query sets them aside.
    known = set(MuligBrudd.objects.filter(vilkar_id__in={finding.vilkar.pk for finding in findings})
                .values_list("vilkar_id", "grunn", "periode"))
    new = [finding for finding in findings if (finding.vilkar.pk, finding.grunn, finding.periode) not in known]
    # The new findings' vilkår with the person and office their breach and audit entry name: one query.
    vilkar = Vilkar.objects.select_related("person", "vedtak__office").in_bulk({finding.vilkar.pk for finding in new})
    made = []
    for finding in new:
        finding.vilkar = vilkar[finding.vilkar.pk]
        brudd = _store(finding, actor)
        if brudd is not None:
            made.append(brudd)
    return made
