"""Personvern og sletting (issue 11, item 16): who is anonymised and when, what goes and what
stays, monthly reports that stay identical, the audit entries of the run, beat and the command."""
import datetime
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from alnaaktiv import tasks
from alnaaktiv.actor import Actor
from alnaaktiv.fnr import parse_fnr
from alnaaktiv.models import AuditEntry
from alnaaktiv.retention import anonymise_expired_persons, expired_persons
from arbeidsboks.models import Arbeidsomrade, Evaluering, Frammote, Plassering, Virksomhet
from cases.models import (
    Aktivitet,
    Arbeidsevnevurdering,
    Deltaker,
    Huskelapp,
    JournalEntry,
    Kartlegging,
    KartleggingOmrade,
    OskarRecord,
    Person,
    RegisterSnapshot,
    Sak,
    ScreeningExclusion,
)
from cases.models.persons import pseudonym_for
from conditions.models import Dokumentasjon, Jobbsoknad, Oppheving, Vedtak, Vilkar
from reporting.builder import build_report_data
from reporting.services import targets_ensure_prestudy
from tests.factories import deltaker_with_course

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 23)
LONG_AGO = datetime.date(2020, 1, 6)  # the course ends 2020-06-01, over five years before TODAY


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def targets(db):
    targets_ensure_prestudy()


def course(person, office, start: datetime.date, *, ended: bool = True, sak=None) -> Deltaker:
    """henvist, mott, i_kartlegging, avklart (arbeidsboks) a month apart, then avsluttet (arbeid)."""
    states = ["henvist", "mott", "i_kartlegging", "avklart"] + (["avsluttet"] if ended else [])
    dates = [start + datetime.timedelta(days=30 * n) for n in range(len(states))]
    events = [{"state": state, "date": date, "comment": f"Notat om {person.navn}",
               "rute": "arbeidsboks" if state == "avklart" else "", "utfall": "arbeid" if state == "avsluttet" else ""}
              for state, date in zip(states, dates, strict=True)]
    return deltaker_with_course(events, person=person, office=office, sak=sak, malgruppe="langtidsmottaker",
                                malgruppe_kilde="manuell",
                                malgruppe_begrunnelse="Har hatt stønad i mange år, bor på Furuset",
                                henvisningsgrunn="Ønsker jobb i barnehage, sliter med rygg",
                                arbeidssokerstatus="helt_ledig")


@pytest.fixture
def history(alna, users, make_person, targets):
    """A participant whose course ended in 2020 with everything the apps store about a person,
    in Oskar extracts of 2020, plus a participant still on a course."""
    person = make_person(navn="Amina Gammelsak", landbakgrunn="ikke_oecd")
    sak = Sak.objects.create(office=alna, saksnummer="S-2020-1", hovedperson=person, inntektstype="hovedinntekt")
    deltaker = course(person, alna, LONG_AGO, sak=sak)
    for as_of in (datetime.date(2019, 12, 31), datetime.date(2020, 3, 31)):
        snapshot = RegisterSnapshot.objects.create(office=alna, kind="oskar", as_of=as_of, content_hash=str(as_of),
                                                   row_count=1)
        OskarRecord.objects.create(snapshot=snapshot, saksnummer="S-2020-1", person=person, rolle="hovedperson",
                                   inntektstype="hovedinntekt", antall_barn=2, landbakgrunn="ikke_oecd",
                                   stonad_maneder_siste_12=8)
    ScreeningExclusion.objects.create(office=alna, person=make_person(), reason="Rusproblemer")
    veileder = users["veileder"]
    JournalEntry.objects.create(deltaker=deltaker, kind="samtale", date=LONG_AGO, text="Fortalte om skilsmissen",
                                author=veileder)
    Huskelapp.objects.create(deltaker=deltaker, due_date=LONG_AGO, comment="Ring legen hennes", created_by=veileder)
    kartlegging = Kartlegging.objects.create(deltaker=deltaker, started_on=LONG_AGO, started_by=veileder,
                                             jobbonsker="Barnehage", arbeidshistorikk="Kassadame i Somalia")
    KartleggingOmrade.objects.create(kartlegging=kartlegging, omrade="helse", vurdering="barriere",
                                     notat="Kroniske ryggsmerter")
    Arbeidsevnevurdering.objects.create(
        deltaker=deltaker, versjon=1, status="signert", del_a="Gode muligheter", del_b="Barnehage",
        del_c="Norskopplæring", del_d="Noe nedsatt", del_e="Arbeidstrening", innsatsgruppe="situasjonsbestemt",
        hovedmal="skaffe_arbeid", begrunnelse="Ryggplager", created_by=users["karea"], signed_by=veileder,
        signed_at=timezone.now(),
    )
    Aktivitet.objects.create(deltaker=deltaker, type="kurs", beskrivelse="Norskkurs på Furuset",
                             fra_dato=LONG_AGO, til_dato=LONG_AGO + datetime.timedelta(days=60), created_by=veileder)
    vedtak = Vedtak.objects.create(office=alna, sak=sak, soknad_mottatt=LONG_AGO, periode_fra=LONG_AGO,
                                   periode_til=LONG_AGO + datetime.timedelta(days=30),
                                   vedtaksdato=LONG_AGO + datetime.timedelta(days=3), resultat="innvilget",
                                   belop=Decimal("6000"), unntak_20a="Gravid", fase="opphevet", utbetaling="frigitt")
    vilkar = Vilkar.objects.create(vedtak=vedtak, person=person, rolle="hovedperson", kind="dokumentasjon",
                                   hjemmel="sotjl_20", beskrivelse="Lever kvittering for husleie i Tvetenveien 3",
                                   frist=LONG_AGO, status="oppfylt", vurdert_at=timezone.now())
    dokument = Dokumentasjon.objects.create(vilkar=vilkar, type="jobbsoknader", mottatt=LONG_AGO,
                                            filnavn="amina-husleie.pdf", filtype="application/pdf",
                                            registrert_av=users["vedtak"])
    dokument.fil.save("husleie.pdf", ContentFile(b"%PDF-1.4 Amina"), save=True)
    Jobbsoknad.objects.create(dokumentasjon=dokument, arbeidsgiver="Furuset barnehage", dato=LONG_AGO)
    oppheving = Oppheving.objects.create(vedtak=vedtak, status="godkjent", prepared_by=users["vedtak"],
                                         prepared_at=timezone.now(), decided_by=users["leder"],
                                         decided_at=timezone.now())
    oppheving.pdf.save("oppheving.pdf", ContentFile(b"%PDF-1.4 Amina 0101"), save=True)
    enterprise = Virksomhet.objects.create(office=alna, navn="Alna renhold")
    area = Arbeidsomrade.objects.create(virksomhet=enterprise, navn="Renhold", kapasitet=2,
                                        normal_timer_per_uke=Decimal("30"))
    plassering = Plassering.objects.create(
        deltaker=deltaker, arbeidsomrade=area, kind="arbeidstrening", status="avbrutt", startdato=LONG_AGO,
        planlagt_slutt=LONG_AGO + datetime.timedelta(days=90), faktisk_slutt=LONG_AGO + datetime.timedelta(days=60),
        timer_per_uke=Decimal("20"), veileder_pa_stedet="Ola Arbeidsleder", mal="Møte presist tross smerter",
        ikke_fortrengning=True, sluttarsak="annet", sluttarsak_tekst="Flyttet til søsteren", created_by=veileder,
    )
    Frammote.objects.create(plassering=plassering, uke=LONG_AGO, planlagte_timer=Decimal("20"),
                            oppmotte_timer=Decimal("12"), planlagte_dager=5, oppmotte_dager=3,
                            fravaer_grunn="Hos legen for ryggen", registrert_av=veileder)
    Evaluering.objects.create(plassering=plassering, dato=LONG_AGO, punktlighet=4, samarbeid=4, sprak=2,
                              ferdigheter=3, initiativ=4, kommentar="Stille, gråt en gang", created_by=veileder)
    active = course(make_person(navn="Aktiv Deltaker"), alna, datetime.date(2020, 2, 3), ended=False)
    return {"person": person, "deltaker": deltaker, "dokument": dokument, "oppheving": oppheving,
            "plassering": plassering, "active": active}


def _reports(office) -> list[str]:
    months = [datetime.date(2020, 3, 1), datetime.date(2020, 6, 1), datetime.date(2026, 10, 1)]
    return [
        json.dumps({key: value for key, value in build_report_data(office, month).items() if key != "generated_at"},
                   sort_keys=True, default=str)
        for month in months
    ]


def test_monthly_reports_are_identical_before_and_after_anonymisation(history, alna, django_capture_on_commit_callbacks):
    before = _reports(alna)
    june = json.loads(before[1])  # she counts: the comparison is not of empty reports
    assert next(line for line in june["targets"] if line["code"] == "arbeid")["numerator"] == 1
    assert june["tables"]["background"]["ikke_oecd"]["total"] == 0 and "recipients" in june
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_expired_persons(today=TODAY, actor=Actor.scheduled("anonymisering")) == [history["person"].pk]
    assert _reports(alna) == before


def test_name_fnr_and_free_text_go_and_the_reported_facts_stay(history, django_capture_on_commit_callbacks):
    person = history["person"]
    real_fnr, birth, gender = person.fnr, person.fodselsdato, person.kjonn
    file_names = [history["dokument"].fil.name, history["oppheving"].pdf.name]
    assert all(default_storage.exists(name) for name in file_names)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_expired_persons(today=TODAY, actor=Actor.scheduled("anonymisering"))

    person.refresh_from_db()
    assert person.navn == f"Anonymisert person {person.pk}"
    assert person.fnr != real_fnr and len(person.fnr) == 11 and person.fnr.isdigit()
    # The pseudonym can never be a real, D- or synthetic number (day 00), whatever the id.
    for pk in [person.pk, *range(1, 3000, 7), 999_999_999]:
        with pytest.raises(ValidationError):
            parse_fnr(pseudonym_for(pk), allow_synthetic=True)
    assert (person.fodselsdato, person.kjonn, person.landbakgrunn) == (birth, gender, "ikke_oecd")
    person.save()  # derive_from_fnr keeps the stored birth date and gender
    person.refresh_from_db()
    assert (person.fodselsdato, person.kjonn) == (birth, gender)

    deltaker = Deltaker.objects.get(pk=history["deltaker"].pk)
    assert (deltaker.status, deltaker.malgruppe, deltaker.arbeidssokerstatus) == ("avsluttet", "langtidsmottaker",
                                                                                   "helt_ledig")
    assert deltaker.henvisningsgrunn == "" and deltaker.malgruppe_begrunnelse == "[anonymisert]"
    assert deltaker.events.count() == 5 and set(deltaker.events.values_list("comment", flat=True)) == {""}
    assert not JournalEntry.objects.filter(deltaker=deltaker).exists()
    assert not Huskelapp.objects.filter(deltaker=deltaker).exists()
    assert not KartleggingOmrade.objects.filter(kartlegging__deltaker=deltaker).exists()
    assert Kartlegging.objects.get(deltaker=deltaker).arbeidshistorikk == ""
    vurdering = Arbeidsevnevurdering.objects.get(deltaker=deltaker)
    assert (vurdering.del_a, vurdering.begrunnelse, vurdering.innsatsgruppe) == ("[anonymisert]", "[anonymisert]",
                                                                                  "situasjonsbestemt")
    assert Aktivitet.objects.get(deltaker=deltaker).beskrivelse == "[anonymisert]"
    assert OskarRecord.objects.filter(person=person).count() == 2

    vilkar = Vilkar.objects.get(person=person)
    assert vilkar.beskrivelse == "[anonymisert]" and vilkar.status == "oppfylt"
    dokument = Dokumentasjon.objects.get(pk=history["dokument"].pk)
    assert (dokument.fil.name, dokument.filnavn) == ("", "")
    assert Jobbsoknad.objects.get(dokumentasjon=dokument).arbeidsgiver == "[anonymisert]"
    vedtak = vilkar.vedtak
    assert vedtak.unntak_20a == "[anonymisert]" and vedtak.belop == Decimal("6000")
    assert Oppheving.objects.get(pk=history["oppheving"].pk).pdf.name == ""
    assert not any(default_storage.exists(name) for name in file_names)

    plassering = Plassering.objects.get(pk=history["plassering"].pk)
    assert (plassering.mal, plassering.sluttarsak_tekst, plassering.status) == ("[anonymisert]", "[anonymisert]",
                                                                                 "avbrutt")
    assert Frammote.objects.get(plassering=plassering).fravaer_grunn == "[anonymisert]"
    assert Evaluering.objects.get(plassering=plassering).kommentar == ""

    # Nothing that names her is left outside the audit log.
    active = Person.objects.get(pk=history["active"].person_id)
    assert active.anonymisert_at is None and not active.navn.startswith("Anonymisert")


def test_every_change_is_audited_under_the_real_fnr_naming_the_background_job(history):
    real_fnr = history["person"].fnr
    anonymise_expired_persons(today=TODAY, actor=Actor.scheduled("anonymisering"))
    entries = AuditEntry.objects.filter(person_fnr=real_fnr)
    assert entries.filter(action="update", object_type="cases.person", object_id=str(history["person"].pk)).exists()
    assert entries.filter(action="delete", object_type="cases.journalentry").count() == 1
    assert entries.filter(action="update", object_type="conditions.dokumentasjon").exists()
    assert entries.filter(action="update", object_type="arbeidsboks.plassering").exists()
    assert set(entries.values_list("username", "path")) == {("system:planlagt", "bakgrunnsjobb anonymisering (planlagt)")}


def test_running_twice_changes_nothing_more(history):
    assert len(anonymise_expired_persons(today=TODAY, actor=Actor.scheduled("anonymisering"))) == 1
    count = AuditEntry.objects.count()
    assert anonymise_expired_persons(today=TODAY, actor=Actor.scheduled("anonymisering")) == []
    assert AuditEntry.objects.count() == count


@pytest.mark.parametrize(
    ("case", "expired"),
    [
        ("ended_over_five_years_ago", True),
        ("ended_four_years_ago", False),
        ("still_on_course", False),
        ("second_course_open_in_another_office", False),
        ("vedtak_still_open", False),
        ("vedtak_decided_within_klage_period", False),
        ("vedtak_decided_long_ago", True),
        ("spouse_on_open_vedtak", False),
    ],
)
def test_the_retention_rule(alna, stovner, make_person, users, case, expired):
    person = make_person()
    ended = datetime.date(2021, 11, 1) if case == "ended_four_years_ago" else LONG_AGO
    course(person, alna, ended, ended=case != "still_on_course")
    if case == "second_course_open_in_another_office":
        course(person, stovner, datetime.date(2026, 1, 5), ended=False)
    if case.startswith(("vedtak", "spouse")):
        main = make_person() if case.startswith("spouse") else person
        sak = Sak.objects.create(office=alna, saksnummer="S-1", hovedperson=main, inntektstype="hovedinntekt",
                                 ektefelle=person if case.startswith("spouse") else None)
        decided = {"vedtak_decided_within_klage_period": TODAY - datetime.timedelta(days=10)}.get(case, LONG_AGO)
        open_case = case in ("vedtak_still_open", "spouse_on_open_vedtak")
        Vedtak.objects.create(office=alna, sak=sak, soknad_mottatt=LONG_AGO, periode_fra=LONG_AGO,
                              periode_til=LONG_AGO, belop=Decimal("1"),
                              vedtaksdato=None if open_case else decided, resultat="" if open_case else "avslatt",
                              fase="soknad" if open_case else "avslag")
    assert expired_persons(today=TODAY).filter(pk=person.pk).exists() is expired


def test_a_person_only_in_the_registers_is_not_selected(make_person):
    make_person()
    assert not expired_persons(today=TODAY).exists()


def test_the_command_dry_run_changes_nothing_and_the_run_names_the_operator(history):
    out = io.StringIO()
    call_command("anonymise_expired", "--dry-run", stdout=out)
    assert "1 personer ville blitt anonymisert" in out.getvalue()
    assert "Gammelsak" not in out.getvalue()
    assert Person.objects.filter(anonymisert_at__isnull=False).count() == 0
    call_command("anonymise_expired", stdout=out)
    assert "1 personer anonymisert" in out.getvalue()
    entry = AuditEntry.objects.get(object_type="cases.person", action="update")
    assert entry.path == "manage.py anonymise_expired" and entry.username.startswith("kommando:")


def test_beat_runs_the_anonymisation_monthly(settings, history):
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-expired-persons"]
    assert entry["task"] == "alnaaktiv.tasks.anonymise_expired_persons"
    assert entry["schedule"].day_of_month == {2}
    assert tasks.anonymise_expired_persons.delay().get() == 1
    assert Person.objects.get(pk=history["person"].pk).anonymisert_at is not None
