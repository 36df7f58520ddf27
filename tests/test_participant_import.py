"""import_participants (docs/contracts.md): the pilot's tracking list becomes participants and their
course events, all or nothing, idempotent."""
import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from cases import services
from cases.imports import ImportRefused, import_participants
from cases.models import CourseEvent, Deltaker, Person, Sak

DATA = Path(__file__).resolve().parent / "data" / "report" / "deltakere.csv"
HEADER = "fnr;navn;rolle;malgruppe;landbakgrunn;arbeidssokerstatus;henvist;mott;ikke_mott;kartlegging_startet;avklart;rute;avsluttet;utfall"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_the_example_list_becomes_participants_with_their_courses(alna):
    out = StringIO()
    call_command("import_participants", str(DATA), "--office", "0326", stdout=out)
    assert "12 rader lest: 12 ble opprettet" in out.getvalue()
    first = Deltaker.objects.get(person__navn="Eksempel 1")
    assert list(first.events.values_list("state", "date", "rute")) == [
        ("henvist", datetime.date(2015, 1, 5), ""),
        ("mott", datetime.date(2015, 1, 8), ""),
        ("i_kartlegging", datetime.date(2015, 1, 9), ""),
        ("avklart", datetime.date(2015, 2, 10), "arbeidsboks"),
    ]
    assert (first.status, first.malgruppe, first.malgruppe_kilde, first.arbeidssokerstatus) == (
        "avklart", "ungdom_20_24", "importert", "helt_ledig"
    )
    dropped = Deltaker.objects.get(person__navn="Eksempel 4")
    assert list(dropped.events.values_list("state", "utfall")) == [("henvist", ""), ("ikke_mott", ""), ("avsluttet", "frafalt")]
    assert AuditEntry.objects.filter(action="create", object_type="cases.deltaker").count() == 12


def test_reimporting_the_same_list_changes_nothing(alna):
    call_command("import_participants", str(DATA), "--office", "0326", stdout=StringIO())
    before = (Person.objects.count(), Deltaker.objects.count(), list(CourseEvent.objects.values_list("pk", flat=True)),
              AuditEntry.objects.count())
    out = StringIO()
    call_command("import_participants", str(DATA), "--office", "0326", stdout=out)
    assert "0 ble opprettet, 0 ble endret, 12 uendret" in out.getvalue()
    after = (Person.objects.count(), Deltaker.objects.count(), list(CourseEvent.objects.values_list("pk", flat=True)),
             AuditEntry.objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("01010010265;Feil Nummer;;;;;2015-01-05;;;;;;;", "linje 2: ugyldig fnr: fødselsnummeret har feil kontrollsiffer"),
        ("01010010264;Uten Henvist;;;;;;2015-01-05;;;;;;", "linje 2: henvist må fylles ut"),
        ("01010010264;Dato Feil;;;;;32.01.2015;;;;;;;", "linje 2: ugyldig dato «32.01.2015» (bruk dd.mm.åååå eller åååå-mm-dd)"),
        ("01010010264;Hopp;;;;;2015-01-05;;;2015-01-09;;;;", "linje 2: i kartlegging kan ikke følge henvist"),
        ("01010010264;Bakover;;;;;2015-01-05;2015-01-04;;;;;;", "linje 2: møtt kan ikke følge kandidat"),
        ("01010010264;Uten Rute;;;;;2015-01-05;2015-01-06;;2015-01-07;2015-01-08;;;", "linje 2: avklart er fylt ut uten rute"),
        ("01010010264;Uten Utfall;;;;;2015-01-05;;;;;;2015-01-08;", "linje 2: avsluttet er fylt ut uten utfall"),
        ("01010010264;Feil Rute;;;;;2015-01-05;2015-01-06;;2015-01-07;2015-01-08;buss;;", "linje 2: ugyldig rute «buss» (gyldige: arbeidsboks, statlig_tiltak, jobbsoking, aap_ufore)"),
        ("01010010264;Feil Gruppe;;voksen;;;2015-01-05;;;;;;;", "linje 2: ugyldig malgruppe «voksen» (gyldige: ungdom_20_24, eneforsorger, langtidsmottaker, ovrige)"),
        ("01010010264;;;;;;2015-01-05;;;;;;;", "linje 2: navn mangler"),
        ("01010010264;Framtid;;;;;2099-01-05;;;;;;;", "linje 2: henvist 05.01.2099 er fram i tid"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_and_writes_nothing(alna, row, message):
    good = "15076510013;God Rad;;;;;2015-01-05;;;;;;;"
    with pytest.raises(ImportRefused) as refused:
        import_participants(csv(good, row), office=alna, actor=Actor.operator())
    assert refused.value.errors == [message.replace("linje 2", "linje 3")]
    assert not Deltaker.objects.exists() and not Person.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_person_twice_is_refused(alna):
    row = "15076510013;To Ganger;;;;;2015-01-05;;;;;;;"
    with pytest.raises(ImportRefused) as refused:
        import_participants(csv(row, row), office=alna, actor=Actor.operator())
    assert refused.value.errors == ["linje 3: personen står allerede på linje 2"]


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(alna, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(csv("15076510013;God Rad;;;;;2015-01-05;;;;;;;", "01010010265;Feil;;;;;2015-01-05;;;;;;;"))
    out, err = StringIO(), StringIO()
    call_command("import_participants", str(path), "--office", "0326", "--skip-invalid", stdout=out, stderr=err)
    assert "1 ble opprettet" in out.getvalue() and "1 rader med feil" in out.getvalue()
    assert "linje 3: ugyldig fnr: fødselsnummeret har feil kontrollsiffer" in err.getvalue()
    assert "01010010265" not in err.getvalue() + out.getvalue()
    assert list(Deltaker.objects.values_list("person__navn", flat=True)) == ["God Rad"]


def test_command_refuses_bad_input_with_a_norwegian_message(alna, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(b"fnr;navn\n15076510013;Mangler Henvist\n")
    with pytest.raises(CommandError, match="Ingenting ble importert:\nlinje 1: mangler kolonnen henvist"):
        call_command("import_participants", str(path), "--office", "0326")
    with pytest.raises(CommandError, match="Ukjent kontor «9999»."):
        call_command("import_participants", str(DATA), "--office", "9999")


def test_header_detection_accepts_bom_semicolons_and_dotted_dates(alna):
    data = "\ufeff" + HEADER.upper() + "\n15076510013;Bom Person;;;;;05.01.2015;08.01.2015;;;;;;\n"
    result = import_participants(data.encode(), office=alna, actor=Actor.operator())
    assert result.created == 1
    assert Deltaker.objects.get().status == "mott"


def test_a_course_registered_in_the_app_is_never_overwritten_by_an_import(alna, users):
    import_participants(csv("15076510013;Manuell;;;;;2015-01-05;;;;;;;"), office=alna, actor=Actor.operator())
    deltaker = Deltaker.objects.get()
    services.course_transition(deltaker=deltaker, to_state="mott", on_date=datetime.date(2015, 1, 7), actor=Actor.for_user(users["veileder"]))
    with pytest.raises(ImportRefused) as refused:
        import_participants(csv("15076510013;Manuell;;;;;2015-01-05;;2015-01-06;;;;;"), office=alna, actor=Actor.operator())
    assert refused.value.errors == ["linje 2: løpet er registrert i Alna Aktiv og blir ikke overskrevet av importen"]
    assert deltaker.events.count() == 2


def test_no_message_of_the_import_holds_a_fodselsnummer(alna):
    rows = ["01010010265;Feil Nummer;;;;;2015-01-05;;;;;;;", "15076510013;To Ganger;;;;;2015-01-05;;;;;;;",
            "15076510013;To Ganger;;;;;2015-01-05;;;;;;;", ";Uten Nummer;;;;;2015-01-05;;;;;;;"]
    with pytest.raises(ImportRefused) as refused:
        import_participants(csv(*rows), office=alna, actor=Actor.operator())
    assert refused.value.errors == [
        "linje 2: ugyldig fnr: fødselsnummeret har feil kontrollsiffer",
        "linje 4: personen står allerede på linje 3",
        "linje 5: fnr mangler",
    ]
    assert not any(number in str(refused.value) for number in ("01010010265", "15076510013"))


@pytest.fixture
def protected_at_stovner(stovner, make_person):
    """A kode 7 person who is hovedperson in a case at NAV Stovner."""
    person = make_person(fnr="15076510013", navn="Siri Stovner", adressebeskyttelse="fortrolig")
    Sak.objects.create(office=stovner, saksnummer="T1", hovedperson=person, inntektstype="hovedinntekt")
    return person


def test_enrolling_a_protected_person_of_another_office_is_listed_by_line(alna, protected_at_stovner, make_person):
    plain = make_person(fnr="01010010264", navn="Vanlig Stovner")
    Sak.objects.create(office=protected_at_stovner.saker_som_hovedperson.get().office, saksnummer="T2",
                       hovedperson=plain, inntektstype="hovedinntekt")
    data = csv("01010010264;Vanlig Stovner;;;;;2015-01-05;;;;;;;", "15076510013;Siri Stovner;;;;;2015-01-05;;;;;;;")
    preview = import_participants(data, office=alna, dry_run=True, actor=Actor.operator())
    assert preview.notices == [
        "linje 3: personen er beskyttet eller skjermet og har sak eller deltakelse ved et annet kontor"
    ]
    assert "2 ville blitt opprettet" in preview.summary() and "1 rader til kontroll" in preview.summary()
    assert not Deltaker.objects.exists()


def test_the_import_page_warns_before_a_protected_person_of_another_office_is_enrolled(
    client, users, settings, tmp_path, protected_at_stovner,
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["prosjektleder"])
    upload = SimpleUploadedFile("deltakere.csv", csv("15076510013;Siri Stovner;;;;;2015-01-05;;;;;;;"))
    body = client.post("/import/", {"kontor": "0326", "handling": "forhandsvis", "deltakere": upload}).content.decode()
    assert "Sporingslisten for deltakere: rader til kontroll" in body
    assert "linje 2: personen er beskyttet eller skjermet og har sak eller deltakelse ved et annet kontor" in body
    assert "15076510013" not in body


def test_a_name_longer_than_the_persons_field_is_refused_at_its_line_and_nothing_is_written(alna):
    with pytest.raises(ImportRefused) as refused:
        import_participants(csv("15076510013;" + "Å" * 201 + ";;;;;2015-01-05;;;;;;;"), office=alna, actor=Actor.operator())
    assert refused.value.errors == ["linje 2: navn er lengre enn 200 tegn"]
    assert not Person.objects.exists() and not Deltaker.objects.exists()
