"""Importing the Oskar and Arena extracts: validation with `linje N:` errors, all or nothing,
--skip-invalid, idempotent re-imports, snapshots per date, cases and persons, the command."""
import datetime
import json
import re
from io import StringIO

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, ManagementUtility, call_command

from alnaaktiv.actor import Actor
from alnaaktiv.celery import app
from alnaaktiv.models import AuditEntry, SecurityEvent
from cases.imports import ARENA_ONLY_NAME, ImportRefused, RegisterImportRefused, import_participants, import_registers
from cases.models import ArenaRecord, Deltaker, OskarRecord, Person, RegisterSnapshot, Sak
from cases.tasks import delete_abandoned_import_files_task
from tests.extracts import FUNNEL_DATA, arena_csv, arena_row, fnr_born, oskar_csv, oskar_row

AS_OF = datetime.date(2014, 10, 1)


@pytest.fixture
def household():
    """Two cases: S1 with a spouse, S2 alone; the S2 hovedperson also in Arena."""
    main, spouse, single = fnr_born(datetime.date(1980, 3, 4)), fnr_born(datetime.date(1982, 5, 6)), fnr_born()
    oskar = [
        oskar_row("S1", main, navn="Kari Hoved", antall_barn="2", landbakgrunn="ikke_oecd"),
        oskar_row("S1", spouse, navn="Ola Ektefelle", rolle="ektefelle", antall_barn="2", landbakgrunn="ikke_oecd"),
        oskar_row("S2", single, navn="Per Alene", inntektstype="supplerende"),
    ]
    arena = [arena_row(single, "2014-02-01", "", innsatsgruppe="standard")]
    return {"main": main, "spouse": spouse, "single": single, "oskar": oskar, "arena": arena}


def database_state() -> dict:
    return {
        "persons": list(Person.objects.order_by("fnr").values()),
        "cases": list(Sak.objects.order_by("saksnummer").values()),
        "oskar": list(OskarRecord.objects.order_by("id").values()),
        "arena": list(ArenaRecord.objects.order_by("id").values()),
        "snapshots": list(RegisterSnapshot.objects.order_by("id").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_import_creates_persons_register_rows_cases_and_one_audit_entry_per_snapshot(alna, household):
    results = import_registers(
        office=alna, as_of=AS_OF, oskar=oskar_csv(household["oskar"]), arena=arena_csv(household["arena"]), actor=Actor.operator(),
    )
    assert (results["oskar"].rows, results["oskar"].created) == (3, 3)
    assert (results["arena"].rows, results["arena"].created, results["arena"].unchanged) == (1, 0, 1)
    sak = Sak.objects.get(office=alna, saksnummer="S1")
    assert (sak.hovedperson.fnr, sak.ektefelle.fnr, sak.antall_barn, sak.inntektstype) == (
        household["main"], household["spouse"], 2, "hovedinntekt"
    )
    assert Sak.objects.get(saksnummer="S2").ektefelle is None
    main = Person.objects.get(fnr=household["main"])
    assert (main.navn, main.landbakgrunn, main.fodselsdato) == ("Kari Hoved", "ikke_oecd", datetime.date(1980, 3, 4))
    assert OskarRecord.objects.count() == 3 and ArenaRecord.objects.count() == 1
    entries = AuditEntry.objects.order_by("id")
    assert [(entry.action, entry.object_type, entry.office, entry.role) for entry in entries] == [
        ("create", "cases.registersnapshot", "0326", "drift"), ("create", "cases.registersnapshot", "0326", "drift"),
    ]
    assert all(entry.person_fnr == "" for entry in entries)


def test_optional_protection_columns_are_stored_on_the_person(alna):
    protected, skjermet = fnr_born(), fnr_born()
    rows = [
        oskar_row("S1", protected, adressebeskyttelse="strengt_fortrolig", skjermet="nei"),
        oskar_row("S2", skjermet, adressebeskyttelse="", skjermet="ja"),
    ]
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), actor=Actor.operator())
    assert Person.objects.get(fnr=protected).adressebeskyttelse == "strengt_fortrolig"
    person = Person.objects.get(fnr=skjermet)
    assert (person.adressebeskyttelse, person.skjermet) == ("ugradert", True)


def test_bom_comma_delimiter_upper_case_headers_and_both_date_formats_are_read(alna):
    main = fnr_born()
    oskar = oskar_csv([oskar_row("S1", main)], delimiter=",", bom=True).replace(b"saksnummer", b"SAKSNUMMER")
    arena = arena_csv([arena_row(main, "01.02.2014", "2014-09-30")], delimiter=",")
    import_registers(office=alna, as_of=AS_OF, oskar=oskar, arena=arena, actor=Actor.operator())
    record = ArenaRecord.objects.get()
    assert (record.registrert_fra, record.registrert_til) == (datetime.date(2014, 2, 1), datetime.date(2014, 9, 30))


def test_a_person_only_in_arena_is_created_with_a_placeholder_name_that_oskar_fills_in_later(alna):
    only_arena = fnr_born()
    import_registers(office=alna, as_of=AS_OF, arena=arena_csv([arena_row(only_arena)]), actor=Actor.operator())
    assert Person.objects.get(fnr=only_arena).navn == ARENA_ONLY_NAME
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", only_arena, navn="Nå Med Navn")]), actor=Actor.operator())
    assert Person.objects.get(fnr=only_arena).navn == "Nå Med Navn"


def test_reimporting_identical_extracts_changes_nothing_at_all(alna, household):
    oskar, arena = oskar_csv(household["oskar"]), arena_csv(household["arena"])
    import_registers(office=alna, as_of=AS_OF, oskar=oskar, arena=arena, actor=Actor.operator())
    before = database_state()
    results = import_registers(office=alna, as_of=AS_OF, oskar=oskar, arena=arena, actor=Actor.operator())
    assert database_state() == before
    assert (results["oskar"].created, results["oskar"].updated, results["oskar"].unchanged) == (0, 0, 3)
    assert (results["arena"].created, results["arena"].updated, results["arena"].unchanged) == (0, 0, 1)


def test_identical_content_with_other_line_endings_is_still_identical(alna, household):
    oskar = oskar_csv(household["oskar"])
    import_registers(office=alna, as_of=AS_OF, oskar=oskar, actor=Actor.operator())
    before = database_state()
    import_registers(office=alna, as_of=AS_OF, oskar=oskar.replace(b"\n", b"\r\n"), actor=Actor.operator())
    assert database_state() == before


def test_other_content_for_the_same_date_replaces_that_snapshots_rows(alna, household):
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(household["oskar"]), actor=Actor.operator())
    changed = [dict(row) for row in household["oskar"][:2]]
    changed[0]["inntektstype"] = "supplerende"
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(changed), actor=Actor.operator())
    snapshot = RegisterSnapshot.objects.get()
    assert (snapshot.row_count, snapshot.oskar_records.count()) == (2, 2)
    assert Sak.objects.get(saksnummer="S1").inntektstype == "supplerende"
    # a case that left the extract is kept: participants and reports refer to it
    assert Sak.objects.filter(saksnummer="S2").exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == ["create", "update"]


def test_each_date_is_its_own_snapshot_and_an_older_one_never_overwrites_newer_facts(alna, household):
    newer = [dict(row) for row in household["oskar"]]
    newer[0].update(navn="Kari Nytt Navn", antall_barn="3")
    newer[1].update(antall_barn="3")
    import_registers(office=alna, as_of=datetime.date(2014, 11, 1), oskar=oskar_csv(newer), actor=Actor.operator())
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(household["oskar"]), actor=Actor.operator())
    assert RegisterSnapshot.objects.filter(kind="oskar").count() == 2
    assert OskarRecord.objects.count() == 6
    assert Sak.objects.get(saksnummer="S1").antall_barn == 3
    assert Person.objects.get(fnr=household["main"]).navn == "Kari Nytt Navn"


def test_dry_run_counts_but_writes_nothing(alna, household):
    results = import_registers(
        office=alna, as_of=AS_OF, oskar=oskar_csv(household["oskar"]), arena=arena_csv(household["arena"]),
        dry_run=True, actor=Actor.operator(),
    )
    assert (results["oskar"].created, results["oskar"].dry_run) == (3, True)
    assert "ville blitt opprettet" in results["oskar"].summary()
    assert Person.objects.count() == RegisterSnapshot.objects.count() == AuditEntry.objects.count() == 0


def _bad(rows, **fields):
    row = oskar_row("S1", fnr_born())
    row.update(fields)
    return oskar_csv([row, *rows])


BAD_OSKAR_ROWS = [
    ({"fnr": "12345678901"}, "linje 2: ugyldig fnr: fødselsnummeret har feil kontrollsiffer"),
    ({"fnr": "1234"}, "linje 2: ugyldig fnr: fødselsnummeret må ha 11 siffer"),
    ({"fnr": ""}, "linje 2: fnr mangler"),
    ({"saksnummer": ""}, "linje 2: saksnummer mangler"),
    ({"navn": ""}, "linje 2: navn mangler"),
    ({"rolle": "barn"}, "linje 2: ugyldig rolle «barn» (gyldige: hovedperson, ektefelle)"),
    ({"inntektstype": "lonn"}, "linje 2: ugyldig inntektstype «lonn» (gyldige: hovedinntekt, supplerende)"),
    ({"antall_barn": "to"}, "linje 2: antall_barn må være et heltall, ikke «to»"),
    ({"antall_barn": "-1"}, "linje 2: antall_barn må være mellom 0 og 30, ikke -1"),
    ({"landbakgrunn": "sverige"}, "linje 2: ugyldig landbakgrunn «sverige» (gyldige: norge, oecd, ikke_oecd, ukjent)"),
    ({"stonad_maneder_siste_12": "13"}, "linje 2: stonad_maneder_siste_12 må være mellom 0 og 12, ikke 13"),
    ({"kontor": "0328"}, "linje 2: kontor «0328» er ikke kontoret det importeres for (0326)"),
    ({"kontor": ""}, "linje 2: kontor mangler er ikke kontoret det importeres for (0326)"),
    ({"adressebeskyttelse": "hemmelig"}, "linje 2: ugyldig adressebeskyttelse «hemmelig»"),
    ({"skjermet": "kanskje"}, "linje 2: ugyldig skjermet «kanskje» (gyldige: ja, nei)"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_OSKAR_ROWS, ids=[message for _, message in BAD_OSKAR_ROWS])
def test_a_bad_oskar_field_is_reported_with_its_line_and_nothing_is_written(alna, fields, message):
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=_bad([], **fields), actor=Actor.operator())
    assert len(refused.value.errors) == 1
    assert refused.value.errors[0].startswith(message)
    assert Person.objects.count() == RegisterSnapshot.objects.count() == AuditEntry.objects.count() == 0


def test_several_reasons_on_one_line_are_reported_together(alna):
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=_bad([], rolle="x", antall_barn="y"), actor=Actor.operator())
    assert refused.value.errors == [
        "linje 2: ugyldig rolle «x» (gyldige: hovedperson, ektefelle); antall_barn må være et heltall, ikke «y»"
    ]


def test_the_fodselsnummer_is_never_repeated_in_an_error(alna):
    number = fnr_born()
    bad = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", bad)]), actor=Actor.operator())
    assert bad not in str(refused.value)


def test_case_structure_and_duplicates_are_checked_across_rows(alna):
    first, second, third, fourth, fifth, sixth = (fnr_born() for _ in range(6))
    rows = [
        oskar_row("S1", first),                                   # line 2
        oskar_row("S1", second),                                  # line 3: second hovedperson
        oskar_row("S2", third),                                   # line 4
        oskar_row("S2", fourth, rolle="ektefelle"),               # line 5
        oskar_row("S2", fifth, rolle="ektefelle"),                # line 6: second spouse
        oskar_row("S3", sixth, rolle="ektefelle"),                # line 7: no hovedperson
        oskar_row("S4", first),                                   # line 8: person twice
    ]
    with pytest.raises(RegisterImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), actor=Actor.operator())
    assert refused.value.errors == [
        "linje 3: sak S1 har mer enn én hovedperson (også linje 2)",
        "linje 6: sak S2 har mer enn én ektefelle (også linje 5)",
        "linje 7: sak S3 mangler hovedperson",
        "linje 8: personen står allerede på linje 2",
    ]
    assert refused.value.errors_by_kind == {"oskar": refused.value.errors}


def test_a_row_with_the_wrong_number_of_fields_is_reported(alna):
    data = oskar_csv([oskar_row("S1", fnr_born())]) + b"S2;123\n"
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=data, actor=Actor.operator())
    assert refused.value.errors == ["linje 3: har 2 felt, overskriften har 9"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"saksnummer;fnr;navn;rolle;inntektstype;antall_barn;landbakgrunn;stonad_maneder_siste_12\n",
         "linje 1: mangler kolonnen kontor"),
        (b"", "linje 1: filen er tom eller mangler overskriftsrad"),
        (b"saksnummer;fnr;navn;rolle;inntektstype;antall_barn;landbakgrunn;stonad_maneder_siste_12;kontor\n",
         "linje 2: uttrekket har ingen datarader"),
        (b"\xff\xfe", "linje 1: filen er ikke UTF-8-kodet"),
    ],
)
def test_an_unusable_file_is_refused_even_with_skip_invalid(alna, data, message):
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=data, skip_invalid=True, actor=Actor.operator())
    assert refused.value.errors == [message]
    assert RegisterSnapshot.objects.count() == 0


BAD_ARENA_ROWS = [
    ({"arbeidssokerstatus": "ikke_registrert"}, "linje 2: ugyldig arbeidssokerstatus «ikke_registrert»"),
    ({"registrert_fra": ""}, "linje 2: registrert_fra mangler"),
    ({"registrert_fra": "31.02.2014"}, "linje 2: ugyldig dato «31.02.2014» (bruk dd.mm.åååå eller åååå-mm-dd)"),
    ({"registrert_til": "2013-12-31"}, "linje 2: registrert_til er før registrert_fra"),
    ({"innsatsgruppe": "ingen"}, "linje 2: ugyldig innsatsgruppe «ingen»"),
    ({"fnr": "00000000000"}, "linje 2: ugyldig fnr:"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_ARENA_ROWS, ids=[message for _, message in BAD_ARENA_ROWS])
def test_a_bad_arena_field_is_reported_and_refuses_the_oskar_extract_too(alna, household, fields, message):
    row = arena_row(fnr_born(), "2014-01-01")
    row.update(fields)
    arena = arena_csv([row])
    with pytest.raises(RegisterImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(household["oskar"]), arena=arena, actor=Actor.operator())
    assert list(refused.value.errors_by_kind) == ["arena"]
    assert refused.value.errors[0].startswith(message)
    assert Person.objects.count() == RegisterSnapshot.objects.count() == 0


def test_a_job_seeker_twice_in_arena_is_refused(alna):
    number = fnr_born()
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, arena=arena_csv([arena_row(number), arena_row(number)]), actor=Actor.operator())
    assert refused.value.errors == ["linje 3: personen står allerede på linje 2"]


def test_skip_invalid_writes_the_valid_rows_and_reports_the_rest(alna):
    good_main, good_spouse, bad_main, orphan_spouse = (fnr_born() for _ in range(4))
    rows = [
        oskar_row("S1", good_main),
        oskar_row("S1", good_spouse, rolle="ektefelle"),
        oskar_row("S2", bad_main, antall_barn="mange"),
        oskar_row("S2", orphan_spouse, rolle="ektefelle"),
    ]
    results = import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), skip_invalid=True, actor=Actor.operator())
    assert results["oskar"].errors == [
        "linje 4: antall_barn må være et heltall, ikke «mange»",
        "linje 5: sak S2 mangler gyldig hovedperson (se linje 4)",
    ]
    assert (results["oskar"].rows, results["oskar"].created) == (4, 2)
    assert set(Person.objects.values_list("fnr", flat=True)) == {good_main, good_spouse}
    assert list(Sak.objects.values_list("saksnummer", flat=True)) == ["S1"]
    assert RegisterSnapshot.objects.get().row_count == 2


def test_an_import_of_thousands_of_rows_uses_a_bounded_number_of_queries(alna, django_assert_max_num_queries):
    rows = []
    for number in range(1500):
        rows.append(oskar_row(f"S{number}", fnr_born(datetime.date(1960, 1, 1) + datetime.timedelta(days=number))))
        rows.append(oskar_row(f"S{number}", fnr_born(datetime.date(1961, 1, 1) + datetime.timedelta(days=number)),
                              rolle="ektefelle"))
    arena = [arena_row(row["fnr"]) for row in rows[::3]]
    # bulk batches (SQLite caps a batch at 999 parameters), never a query per row
    with django_assert_max_num_queries(120):
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), arena=arena_csv(arena), actor=Actor.operator())
    assert OskarRecord.objects.count() == 3000 and Sak.objects.count() == 1500 and ArenaRecord.objects.count() == 1000


# --- the command -------------------------------------------------------------------------------


def _write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_command_imports_the_example_and_prints_a_norwegian_summary(alna):
    out = StringIO()
    call_command("import_registers", "--office", "0326", "--as-of", "01.10.2014",
                 "--oskar", str(FUNNEL_DATA / "oskar.csv"), "--arena", str(FUNNEL_DATA / "arena.csv"), stdout=out)
    assert out.getvalue().splitlines() == [
        "Oskar-uttrekket for 0326 per 01.10.2014: 13 rader lest: 13 ble opprettet, 0 ble endret, 0 uendret.",
        "Arena-uttrekket for 0326 per 01.10.2014: 10 rader lest: 1 ble opprettet, 0 ble endret, 9 uendret.",
    ]
    assert RegisterSnapshot.objects.filter(as_of=AS_OF).count() == 2
    entry = AuditEntry.objects.first()
    assert entry.username.startswith("kommando:") and entry.action == "create"


def test_command_with_one_file_alone(alna):
    call_command("import_registers", "--office", "0326", "--as-of", "2014-10-01",
                 "--arena", str(FUNNEL_DATA / "arena.csv"), stdout=StringIO())
    assert list(RegisterSnapshot.objects.values_list("kind", flat=True)) == ["arena"]


def test_command_exits_non_zero_with_the_errors_and_writes_nothing(alna, tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends; the test's own must stay open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = _write(tmp_path, "oskar.csv", _bad([], rolle="barn"))
    utility = ManagementUtility(["manage.py", "import_registers", "--office", "0326", "--as-of", "2014-10-01",
                                 "--oskar", path])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code == 1
    stderr = capsys.readouterr().err
    assert "Importen ble avvist, og ingenting ble lagret." in stderr
    assert "linje 2: ugyldig rolle «barn»" in stderr
    assert Person.objects.count() == RegisterSnapshot.objects.count() == AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--office", "9999", "--as-of", "2014-10-01", "--oskar", "x.csv"], "Ukjent kontor «9999»."),
        (["--office", "0326", "--as-of", "1.10.14", "--oskar", "x.csv"], "--as-of: ugyldig dato «1.10.14»"),
        (["--office", "0326", "--as-of", "2014-10-01"], "Oppgi --oskar og/eller --arena."),
        (["--office", "0326", "--as-of", "2014-10-01", "--oskar", "/finnes/ikke.csv"], "Kan ikke lese /finnes/ikke.csv"),
    ],
)
def test_command_refuses_bad_arguments_in_norwegian(alna, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_registers", *arguments)


def test_command_with_skip_invalid_reports_the_skipped_lines(alna, tmp_path):
    rows = [oskar_row("S1", fnr_born()), oskar_row("S2", fnr_born(), landbakgrunn="mars")]
    path = _write(tmp_path, "oskar.csv", oskar_csv(rows))
    out = StringIO()
    call_command("import_registers", "--office", "0326", "--as-of", "2014-10-01", "--oskar", path,
                 "--skip-invalid", stdout=out)
    assert "2 rader lest: 1 ble opprettet, 0 ble endret, 0 uendret, 1 rader med feil ble hoppet over." in out.getvalue()
    assert "hoppet over linje 3: ugyldig landbakgrunn «mars»" in out.getvalue()
    assert OskarRecord.objects.count() == 1


def test_command_run_twice_changes_nothing_the_second_time(alna):
    arguments = ["--office", "0326", "--as-of", "2014-10-01", "--oskar", str(FUNNEL_DATA / "oskar.csv"),
                 "--arena", str(FUNNEL_DATA / "arena.csv")]
    call_command("import_registers", *arguments, stdout=StringIO())
    before = database_state()
    out = StringIO()
    call_command("import_registers", *arguments, stdout=out)
    assert database_state() == before
    assert "13 rader lest: 0 ble opprettet, 0 ble endret, 13 uendret." in out.getvalue()


# --- the import page ----------------------------------------------------------------------------

IMPORT_PAGE = "/import/"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def _upload(client, *, oskar=None, arena=None, deltakere=None, dato="01.10.2014", skip=False):
    data = {"kontor": "0326", "dato": dato, "handling": "forhandsvis"}
    for name, content in (("oskar", oskar), ("arena", arena), ("deltakere", deltakere)):
        if content is not None:
            data[name] = SimpleUploadedFile(f"{name}.csv", content, content_type="text/csv")
    if skip:
        data["hopp_over_feil"] = "on"
    return client.post(IMPORT_PAGE, data)


def test_the_import_page_offers_the_three_uploads(client, users, uploads):
    client.force_login(users["prosjektleder"])
    body = client.get(IMPORT_PAGE).content.decode()
    for label in ("Oskar-uttrekk", "Arena-uttrekk", "Sporingsliste for deltakere", "Uttrekksdato (dd.mm.åååå)"):
        assert label in body


def test_preview_shows_the_counts_writes_nothing_and_confirm_imports(client, users, household, uploads):
    client.force_login(users["prosjektleder"])
    response = _upload(client, oskar=oskar_csv(household["oskar"]), arena=arena_csv(household["arena"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Forhåndsvisning av import" in body and "Bekreft og importer" in body
    assert re.search(r"Oskar-uttrekket</th><td class=\"text-end\">3</td><td class=\"text-end\">3</td>", body)
    assert Person.objects.count() == RegisterSnapshot.objects.count() == AuditEntry.objects.count() == 0
    stored = sorted(uploads.iterdir())
    assert [path.name.split(".", 1)[1] for path in stored] == ["arena.csv", "oskar.csv"]
    assert household["main"] not in json.dumps(dict(client.session))

    response = client.post(IMPORT_PAGE, {"handling": "bekreft"})
    assert response.status_code == 302 and response["Location"] == IMPORT_PAGE
    assert RegisterSnapshot.objects.count() == 2 and Sak.objects.count() == 2
    assert list(uploads.iterdir()) == []
    assert "register_import" not in client.session
    entries = AuditEntry.objects.all()
    assert {(entry.username, entry.path, entry.action) for entry in entries} == {("prosjektleder", IMPORT_PAGE, "create")}
    assert len(entries) == 2
    body = client.get(IMPORT_PAGE).content.decode()
    assert "Oskar-uttrekket: 3 rader lest: 3 ble opprettet, 0 ble endret, 0 uendret." in body


def test_preview_lists_the_line_errors_and_offers_no_confirm(client, users, uploads):
    client.force_login(users["prosjektleder"])
    body = _upload(client, oskar=_bad([], rolle="barn")).content.decode()
    assert "linje 2: ugyldig rolle «barn» (gyldige: hovedperson, ektefelle)" in body
    assert "Bekreft og importer" not in body
    assert list(uploads.iterdir()) == []
    response = client.post(IMPORT_PAGE, {"handling": "bekreft"})
    assert response.status_code == 302
    assert RegisterSnapshot.objects.count() == 0


def test_preview_with_skip_invalid_lists_the_skipped_rows_and_confirm_writes_the_rest(client, users, uploads):
    client.force_login(users["prosjektleder"])
    rows = [oskar_row("S1", fnr_born()), oskar_row("S2", fnr_born(), antall_barn="x")]
    body = _upload(client, oskar=oskar_csv(rows), skip=True).content.decode()
    assert "linje 3: antall_barn må være et heltall, ikke «x»" in body and "Bekreft og importer" in body
    client.post(IMPORT_PAGE, {"handling": "bekreft"})
    assert OskarRecord.objects.count() == 1


def test_cancel_deletes_the_uploaded_files_and_writes_nothing(client, users, household, uploads):
    client.force_login(users["prosjektleder"])
    _upload(client, oskar=oskar_csv(household["oskar"]))
    response = client.post(IMPORT_PAGE, {"handling": "avbryt"})
    assert response.status_code == 302
    assert list(uploads.iterdir()) == [] and RegisterSnapshot.objects.count() == 0
    assert "Importen ble avbrutt. Ingenting ble lagret." in client.get(IMPORT_PAGE).content.decode()


def test_confirm_without_a_pending_upload_says_so(client, users, uploads):
    client.force_login(users["prosjektleder"])
    response = client.post(IMPORT_PAGE, {"handling": "bekreft"})
    assert response.status_code == 302
    assert "Ingen import venter på bekreftelse." in client.get(IMPORT_PAGE).content.decode()


def test_the_upload_form_requires_a_file_and_a_date(client, users, uploads, household):
    client.force_login(users["prosjektleder"])
    assert "Velg minst én fil å importere." in _upload(client).content.decode()
    assert "Oppgi datoen uttrekket gjelder." in _upload(client, oskar=oskar_csv(household["oskar"]), dato="").content.decode()


def test_an_office_where_the_user_is_not_prosjektleder_cannot_be_chosen(client, users, uploads, household):
    client.force_login(users["prosjektleder"])
    response = client.post(IMPORT_PAGE, {"kontor": "0328", "dato": "01.10.2014",
                                         "oskar": SimpleUploadedFile("o.csv", oskar_csv(household["oskar"]))})
    assert "Du har ikke tilgang til det kontoret." in response.content.decode()
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_the_tracking_list_is_a_third_upload_on_the_same_page(client, users, uploads):
    client.force_login(users["prosjektleder"])
    tracking = f"fnr;navn;henvist\n{fnr_born()};Tina Sporing;02.02.2015\n".encode()
    body = _upload(client, deltakere=tracking, dato="").content.decode()
    assert "Sporingslisten for deltakere" in body and "Bekreft og importer" in body
    assert Deltaker.objects.count() == 0
    client.post(IMPORT_PAGE, {"handling": "bekreft"})
    assert Deltaker.objects.get().person.navn == "Tina Sporing"


def test_the_preview_of_both_files_counts_as_the_import_will(alna):
    files = {"oskar": (FUNNEL_DATA / "oskar.csv").read_bytes(), "arena": (FUNNEL_DATA / "arena.csv").read_bytes()}
    preview = import_registers(office=alna, as_of=datetime.date(2014, 10, 1), dry_run=True, **files, actor=Actor.operator())
    assert not Person.objects.exists()
    done = import_registers(office=alna, as_of=datetime.date(2014, 10, 1), **files, actor=Actor.operator())
    for kind in ("oskar", "arena"):
        assert (preview[kind].created, preview[kind].updated, preview[kind].unchanged) == (
            done[kind].created, done[kind].updated, done[kind].unchanged
        ), kind


# --- what an extract may change (docs/contracts.md, "Rules for what an extract may change") ----------

NOVEMBER = datetime.date(2014, 11, 1)


def _protected_participant(alna, make_deltaker, **protection):
    """A referred participant imported from an Oskar extract that gives the protection columns."""
    number = fnr_born()
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", number, navn="Vera Vern", **protection)]), actor=Actor.operator())
    person = Person.objects.get(fnr=number)
    return number, make_deltaker(("kandidat", "henvist"), person=person)


def test_an_extract_without_the_protection_columns_keeps_the_stored_protection_and_the_pages_closed(
    alna, users, client, make_deltaker,
):
    number, deltaker = _protected_participant(alna, make_deltaker, adressebeskyttelse="strengt_fortrolig", skjermet="ja")
    extract = oskar_csv([oskar_row("S1", number, navn="Vera Vern")])
    assert b"adressebeskyttelse" not in extract and b"skjermet" not in extract
    results = import_registers(office=alna, as_of=NOVEMBER, oskar=extract, actor=Actor.operator())
    person = deltaker.person
    person.refresh_from_db()
    assert (person.adressebeskyttelse, person.skjermet) == ("strengt_fortrolig", True)
    assert results["oskar"].notices == [] and SecurityEvent.objects.count() == 0
    for role in ("veileder", "karea"):
        client.force_login(users[role])
        assert client.get(f"/deltakere/{deltaker.pk}/").status_code == 404, role


def test_empty_protection_cells_change_nothing_and_a_raise_is_imported(alna, make_deltaker):
    number, deltaker = _protected_participant(alna, make_deltaker, adressebeskyttelse="fortrolig", skjermet="nei")
    other = fnr_born()
    rows = [oskar_row("S1", number, adressebeskyttelse="", skjermet=""),
            oskar_row("S2", other, adressebeskyttelse="strengt_fortrolig_utland", skjermet="ja")]
    import_registers(office=alna, as_of=NOVEMBER, oskar=oskar_csv(rows), actor=Actor.operator())
    deltaker.person.refresh_from_db()
    assert (deltaker.person.adressebeskyttelse, deltaker.person.skjermet) == ("fortrolig", False)
    rows[0].update(adressebeskyttelse="strengt_fortrolig", skjermet="ja")
    results = import_registers(office=alna, as_of=datetime.date(2014, 12, 1), oskar=oskar_csv(rows), actor=Actor.operator())
    deltaker.person.refresh_from_db()
    assert (deltaker.person.adressebeskyttelse, deltaker.person.skjermet) == ("strengt_fortrolig", True)
    assert results["oskar"].notices == []
    assert SecurityEvent.objects.count() == 0


def test_a_row_that_would_lower_protection_keeps_it_is_listed_by_line_and_security_logged(
    alna, users, client, make_deltaker, tmp_path,
):
    number, deltaker = _protected_participant(alna, make_deltaker, adressebeskyttelse="strengt_fortrolig", skjermet="ja")
    rows = [oskar_row("S2", fnr_born()),
            oskar_row("S1", number, navn="Vera Nytt Navn", adressebeskyttelse="ugradert", skjermet="nei")]
    out = StringIO()
    call_command("import_registers", "--office", "0326", "--as-of", "2014-11-01",
                 "--oskar", _write(tmp_path, "oskar.csv", oskar_csv(rows)), stdout=out)
    person = deltaker.person
    person.refresh_from_db()
    assert (person.navn, person.adressebeskyttelse, person.skjermet) == ("Vera Nytt Navn", "strengt_fortrolig", True)
    output = out.getvalue()
    assert "2 rader lest: 1 ble opprettet, 1 ble endret, 0 uendret, 1 rader til kontroll." in output
    assert ("til kontroll linje 3: uttrekket ville senket personens beskyttelse; lagret beskyttelse ble beholdt "
            "(bare en administrator kan senke den)") in output
    assert number not in output
    event = SecurityEvent.objects.get()
    assert event.reason == (f"Oskar-uttrekket for 0326 per 01.11.2014, linje 3: uttrekket ville senket beskyttelsen "
                            f"til person {person.pk}; lagret beskyttelse beholdt")
    assert event.username.startswith("kommando:") and event.path == "manage.py import_registers"
    client.force_login(users["veileder"])
    assert client.get(f"/deltakere/{deltaker.pk}/").status_code == 404


def test_a_name_change_of_a_person_with_a_case_at_another_office_is_listed_and_security_logged(alna, stovner):
    moved, local = fnr_born(), fnr_born()
    import_registers(office=stovner, as_of=AS_OF, oskar=oskar_csv([oskar_row("T1", moved, navn="Siri Stovner", kontor="0328")]), actor=Actor.operator())
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", local, navn="Lise Lokal")]), actor=Actor.operator())
    rows = [oskar_row("S1", local, navn="Lise Nytt Navn"), oskar_row("S2", moved, navn="Siri Alna")]
    preview = import_registers(office=alna, as_of=NOVEMBER, oskar=oskar_csv(rows), dry_run=True, actor=Actor.operator())
    assert preview["oskar"].notices == [
        "linje 3: navnet endres for en person som også har sak eller deltakelse ved et annet kontor"
    ]
    assert SecurityEvent.objects.count() == 0
    results = import_registers(office=alna, as_of=NOVEMBER, oskar=oskar_csv(rows), actor=Actor.operator())
    assert results["oskar"].notices == [
        "linje 3: navnet ble endret for en person som også har sak eller deltakelse ved et annet kontor"
    ]
    assert Person.objects.get(fnr=moved).navn == "Siri Alna"
    person = Person.objects.get(fnr=moved)
    assert list(SecurityEvent.objects.values_list("reason", flat=True)) == [
        f"Oskar-uttrekket for 0326 per 01.11.2014, linje 3: navnet endret for person {person.pk}, som har sak "
        "eller deltakelse ved et annet kontor"
    ]


def test_per_case_fields_may_be_empty_on_the_ektefelle_row(alna):
    main, spouse = fnr_born(), fnr_born()
    rows = [oskar_row("S1", main, antall_barn="2"), oskar_row("S1", spouse, rolle="ektefelle", antall_barn="")]
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), actor=Actor.operator())
    assert Sak.objects.get().antall_barn == 2
    assert list(OskarRecord.objects.order_by("id").values_list("antall_barn", flat=True)) == [2, 2]
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=NOVEMBER, oskar=oskar_csv([oskar_row("S1", main, antall_barn="")]), actor=Actor.operator())
    assert refused.value.errors == ["linje 2: antall_barn må være et heltall, ikke «»"]


def test_the_preview_warns_of_protected_persons_of_another_office_and_confirm_logs_the_kept_protection(
    client, users, uploads, alna, stovner,
):
    protected = fnr_born()
    import_registers(office=stovner, as_of=AS_OF, oskar=oskar_csv(
        [oskar_row("T1", protected, navn="Siri Stovner", kontor="0328", adressebeskyttelse="fortrolig", skjermet="nei")]
    ), actor=Actor.operator())
    rows = [oskar_row("S1", fnr_born()),
            oskar_row("S2", protected, navn="Siri Alna", adressebeskyttelse="ugradert", skjermet="nei")]
    client.force_login(users["prosjektleder"])
    body = _upload(client, oskar=oskar_csv(rows)).content.decode()
    assert "Oskar-uttrekket: rader til kontroll" in body
    for notice in (
        "linje 3: uttrekket ville senket personens beskyttelse; lagret beskyttelse beholdes",
        "linje 3: navnet endres for en person som også har sak eller deltakelse ved et annet kontor",
        "linje 3: personen er beskyttet eller skjermet og har sak eller deltakelse ved et annet kontor",
    ):
        assert notice in body
    assert protected not in body
    assert SecurityEvent.objects.count() == 0 and Person.objects.get(fnr=protected).navn == "Siri Stovner"

    client.post(IMPORT_PAGE, {"handling": "bekreft"})
    person = Person.objects.get(fnr=protected)
    assert (person.navn, person.adressebeskyttelse) == ("Siri Alna", "fortrolig")
    events = SecurityEvent.objects.order_by("id")
    assert [(event.username, event.path) for event in events] == [("prosjektleder", IMPORT_PAGE)] * 2
    assert all(protected not in event.reason and f"person {person.pk}" in event.reason for event in events)
    body = client.get(IMPORT_PAGE).content.decode()
    assert "Oskar-uttrekket, til kontroll: linje 3: uttrekket ville senket personens beskyttelse; lagret beskyttelse ble beholdt" in body


# --- the uploaded files and their size -----------------------------------------------------------


def test_a_file_over_the_import_limit_is_refused_at_its_field_before_any_preview(
    client, users, uploads, settings, household,
):
    settings.IMPORT_UPLOAD_MAX_MB = 1
    data = oskar_csv(household["oskar"]) + b"\n" * (1024 * 1024)  # empty lines: a valid extract
    assert len(data) > 1024 * 1024
    client.force_login(users["prosjektleder"])
    response = _upload(client, oskar=data)
    body = response.content.decode()
    size = f"{len(data) / (1024 * 1024):.1f}".replace(".", ",")
    assert response.status_code == 200 and "Forhåndsvisning av import" not in body
    assert (f"Filen er på {size} MB, men siden tar filer på høyst 1 MB. Større filer importeres av driften med "
            "kommandoen (manage.py import_registers eller import_participants).") in body
    assert 'id="id_oskar"' in body and "is-invalid" in body
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_the_import_limit_is_a_setting_with_a_documented_default():
    assert django_settings.IMPORT_UPLOAD_MAX_MB == 1
    readme = (FUNNEL_DATA.parents[2] / "README.md").read_text()
    example = (FUNNEL_DATA.parents[2] / ".env.example").read_text()
    assert "| `IMPORT_UPLOAD_MAX_MB` |" in readme and "# IMPORT_UPLOAD_MAX_MB=1" in example


def test_beat_deletes_the_files_of_an_abandoned_preview_before_they_are_a_day_old(client, users, household, uploads):
    entry = django_settings.CELERY_BEAT_SCHEDULE["delete-abandoned-import-files"]
    assert entry["task"] == "cases.tasks.delete_abandoned_import_files_task" and entry["task"] in app.tasks
    assert entry["schedule"] == 60 * 60
    client.force_login(users["prosjektleder"])
    _upload(client, oskar=oskar_csv(household["oskar"]))
    (uploads / "README.txt").write_text("not an import file")
    stored = [path for path in uploads.iterdir() if path.name.endswith(".oskar.csv")]
    assert len(stored) == 1
    now = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(now + datetime.timedelta(hours=22, minutes=59)):
        assert delete_abandoned_import_files_task.delay().get() == 0
    assert stored[0].exists()
    # the hourly run after 23 hours: the file never reaches 24 hours
    with time_machine.travel(now + datetime.timedelta(hours=23, minutes=1)):
        assert delete_abandoned_import_files_task.delay().get() == 1
    assert not stored[0].exists() and (uploads / "README.txt").exists()

    response = client.post(IMPORT_PAGE, {"handling": "bekreft"})
    assert response.status_code == 302 and RegisterSnapshot.objects.count() == 0
    assert "Forhåndsvisningen er for gammel, og filene er slettet. Last opp filene på nytt." in client.get(
        IMPORT_PAGE).content.decode()


def test_an_extract_with_the_newer_optional_columns_is_read_not_refused(alna):
    row = {**oskar_row("S1", fnr_born()), "forstesprak": "so", "tolk": "ja", "utbetalt_belop": "12 500,50"}
    results = import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([row]), actor=Actor.operator())
    assert results["oskar"].rows == 1 and Sak.objects.filter(saksnummer="S1").exists()


# --- first language and interpreter (issue 16) ----------------------------------------------------


def _language_extract(main: str, spouse: str, **spouse_fields) -> bytes:
    """S1 with a spouse whose per-case cells are empty, and the new optional columns."""
    return oskar_csv([
        {**oskar_row("S1", main, antall_barn="3"), "forstesprak": "SO", "tolk": "ja", "utbetalt_belop": "9 800"},
        {**oskar_row("S1", spouse, rolle="ektefelle", antall_barn=""), "forstesprak": "ar", "tolk": "nei",
         "utbetalt_belop": "", **spouse_fields},
    ])


def test_the_extract_stores_first_language_and_interpreter_need_with_a_blank_antall_barn_on_the_spouse_row(alna):
    main, spouse = fnr_born(), fnr_born()
    results = import_registers(office=alna, as_of=AS_OF, oskar=_language_extract(main, spouse), actor=Actor.operator())
    assert results["oskar"].created == 2
    assert [(person.forstesprak, person.tolk, person.interpreter_language)
            for person in (Person.objects.get(fnr=main), Person.objects.get(fnr=spouse))] == [
        ("so", True, "so"), ("ar", False, "")]
    assert Sak.objects.get(saksnummer="S1").antall_barn == 3


def test_the_command_imports_an_extract_with_the_new_columns_and_a_blank_antall_barn_on_the_spouse_row(
    alna, tmp_path,
):
    main, spouse = fnr_born(), fnr_born()
    out = StringIO()
    call_command("import_registers", "--office", "0326", "--as-of", "2014-10-01",
                 "--oskar", _write(tmp_path, "oskar.csv", _language_extract(main, spouse)), stdout=out)
    assert out.getvalue().splitlines() == [
        "Oskar-uttrekket for 0326 per 01.10.2014: 2 rader lest: 2 ble opprettet, 0 ble endret, 0 uendret."]
    assert Person.objects.get(fnr=main).forstesprak == "so" and Person.objects.get(fnr=spouse).tolk is False
    call_command("import_registers", "--office", "0326", "--as-of", "2014-10-01",
                 "--oskar", _write(tmp_path, "oskar.csv", _language_extract(main, spouse)), stdout=out)
    assert "0 ble opprettet, 0 ble endret, 2 uendret." in out.getvalue().splitlines()[-1]


@pytest.mark.parametrize("code", ["som", "s", "1a", "nb-NO", "ø"])
def test_a_bad_language_code_is_refused_at_its_line_and_nothing_is_written(alna, code):
    rows = [oskar_row("S1", fnr_born()), {**oskar_row("S2", fnr_born()), "forstesprak": code}]
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), actor=Actor.operator())
    assert refused.value.errors == [
        f"linje 3: ugyldig forstesprak «{code}» (en språkkode med to bokstaver etter ISO 639-1, for eksempel so, ar, pl)"]
    assert [(error.line, error.fields) for error in refused.value.row_errors] == [(3, ["forstesprak"])]
    assert Person.objects.count() == RegisterSnapshot.objects.count() == 0


def test_a_bad_tolk_value_is_refused_at_its_line(alna):
    rows = [{**oskar_row("S1", fnr_born()), "tolk": "kanskje"}]
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv(rows), actor=Actor.operator())
    assert refused.value.errors == ["linje 2: ugyldig tolk «kanskje» (gyldige: ja, nei)"]


def test_an_absent_column_or_an_empty_cell_keeps_the_stored_language_and_interpreter(alna):
    main, spouse = fnr_born(), fnr_born()
    import_registers(office=alna, as_of=AS_OF, oskar=_language_extract(main, spouse), actor=Actor.operator())
    empty_cells = oskar_csv([
        {**oskar_row("S1", main, antall_barn="3"), "forstesprak": "", "tolk": ""},
        oskar_row("S1", spouse, rolle="ektefelle", antall_barn="3"),  # no such columns on this row's extract
    ])
    results = import_registers(office=alna, as_of=NOVEMBER, oskar=empty_cells, actor=Actor.operator())
    assert results["oskar"].unchanged == 2
    no_columns = oskar_csv([oskar_row("S1", main, antall_barn="3"),
                            oskar_row("S1", spouse, rolle="ektefelle", antall_barn="3")])
    import_registers(office=alna, as_of=datetime.date(2014, 12, 1), oskar=no_columns, actor=Actor.operator())
    assert [(person.forstesprak, person.tolk) for person in Person.objects.order_by("id")] == [
        ("so", True), ("ar", False)]


def test_a_newer_extract_updates_the_language_and_no_interpreter_empties_the_interpreter_language(alna):
    main, spouse = fnr_born(), fnr_born()
    import_registers(office=alna, as_of=AS_OF, oskar=_language_extract(main, spouse), actor=Actor.operator())
    Person.objects.filter(fnr=main).update(tolkesprak="en")
    newer = oskar_csv([
        {**oskar_row("S1", main, antall_barn="3"), "forstesprak": "ti", "tolk": "nei"},
        {**oskar_row("S1", spouse, rolle="ektefelle", antall_barn=""), "forstesprak": "ar", "tolk": "ja"},
    ])
    results = import_registers(office=alna, as_of=NOVEMBER, oskar=newer, actor=Actor.operator())
    assert results["oskar"].updated == 2
    assert [(person.forstesprak, person.tolk, person.tolkesprak) for person in Person.objects.order_by("id")] == [
        ("ti", False, ""), ("ar", True, "")]


def test_the_import_writes_the_language_of_many_persons_in_a_fixed_number_of_queries(
    alna, django_assert_max_num_queries,
):
    def extract(language: str, count: int) -> bytes:
        return oskar_csv([{**oskar_row(f"S{n}", fnrs[n]), "forstesprak": language, "tolk": "ja"}
                          for n in range(count)])

    fnrs = [fnr_born() for _ in range(60)]
    import_registers(office=alna, as_of=AS_OF, oskar=extract("so", 60), actor=Actor.operator())
    with django_assert_max_num_queries(40) as few:
        import_registers(office=alna, as_of=NOVEMBER, oskar=extract("ur", 10), actor=Actor.operator())
    with django_assert_max_num_queries(len(few.captured_queries)):
        import_registers(office=alna, as_of=datetime.date(2015, 2, 1), oskar=extract("pl", 60),
                         actor=Actor.operator())
    assert set(Person.objects.values_list("forstesprak", flat=True)) == {"pl"}


def _tables_scroll_inside_their_box(body: str) -> bool:
    """Every table sits directly in a .table-responsive box, so a 390 px phone scrolls the table,
    not the page."""
    starts = [match.start() for match in re.finditer(r"<table\b", body)]
    return bool(starts) and all(body.rfind("<div", 0, start) == body.rfind('<div class="table-responsive">', 0, start)
                                for start in starts)


def test_the_preview_table_fits_a_phone(client, users, household, uploads):
    client.force_login(users["prosjektleder"])
    body = _upload(client, oskar=oskar_csv(household["oskar"])).content.decode()
    assert "Forhåndsvisning av import" in body
    assert _tables_scroll_inside_their_box(body)


def test_both_imports_read_the_fnr_cell_alike(alna, settings):
    """One fnr rule (cases.imports.common.parse_fnr_cell through alnaaktiv.fnr): spaces and dots
    are removed, a synthetic number is refused when ALLOW_SYNTHETIC_FNR is off, and the refusal
    is the same structured error (line, column, reason) in both imports."""
    synthetic = fnr_born()
    tracking_list = f"fnr;navn;henvist\n{synthetic};Liste Person;2015-01-05\n".encode()
    settings.ALLOW_SYNTHETIC_FNR = False
    with pytest.raises(ImportRefused) as extract:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", synthetic)]), actor=Actor.operator())
    with pytest.raises(ImportRefused) as participants:
        import_participants(tracking_list, office=alna, actor=Actor.operator())
    message = "linje 2: ugyldig fnr: syntetiske fødselsnumre (testnumre) er ikke tillatt her"
    assert extract.value.errors == participants.value.errors == [message]
    for refused in (extract.value, participants.value):
        assert [(error.line, error.fields) for error in refused.row_errors] == [(2, ["fnr"])]

    settings.ALLOW_SYNTHETIC_FNR = True
    spaced = f"{synthetic[:6]} {synthetic[6:9]}.{synthetic[9:]}"
    import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", spaced)]), actor=Actor.operator())
    result = import_participants(tracking_list.replace(synthetic.encode(), spaced.encode()), office=alna,
                                 actor=Actor.operator())
    assert (result.created, Person.objects.get().fnr) == (1, synthetic)


def test_a_fodselsnummer_with_a_leading_zero_in_a_number_column_is_not_shown_without_its_zero(alna):
    """int() drops the leading zero: the message once showed ten of the eleven digits."""
    stray = fnr_born(datetime.date(1980, 3, 4))
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", fnr_born(), antall_barn=stray)]),
                         actor=Actor.operator())
    assert refused.value.errors == [
        "linje 2: antall_barn må være mellom 0 og 30, ikke (11 sifre, kan være et fødselsnummer, vises ikke)"
    ]
    assert stray[1:] not in str(refused.value)
