"""What the red-team pass of issue 11 (docs/security.md) found getting through, each as the
attacker or careless user met it: every test here failed on the code before its fix."""
import datetime

import pytest

from alnaaktiv.actor import Actor
from cases.csvimport import ImportRefused
from cases.participant_import import import_participants
from cases.registers import import_registers
from tests.extracts import arena_csv, arena_row, fnr_born, oskar_csv, oskar_row

AS_OF = datetime.date(2026, 1, 1)
PARTICIPANT_HEADER = ("fnr;navn;rolle;malgruppe;landbakgrunn;arbeidssokerstatus;henvist;mott;ikke_mott;"
                      "kartlegging_startet;avklart;rute;avsluttet;utfall")


# --- a fødselsnummer in the wrong column is never repeated in a message ----------------------------

OSKAR_COLUMNS_THAT_ECHO = ["rolle", "inntektstype", "antall_barn", "landbakgrunn", "stonad_maneder_siste_12", "kontor",
                           "adressebeskyttelse", "skjermet"]


@pytest.mark.parametrize("column", OSKAR_COLUMNS_THAT_ECHO)
def test_an_oskar_line_with_a_fodselsnummer_in_another_column_is_refused_without_repeating_it(alna, column):
    stray = fnr_born()
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", fnr_born(), **{column: stray})]),
                         actor=Actor.operator())
    assert refused.value.errors[0].startswith("linje 2: ")
    assert stray not in str(refused.value)
    assert "kan være et fødselsnummer, vises ikke" in refused.value.errors[0]


@pytest.mark.parametrize("column", ["arbeidssokerstatus", "registrert_fra", "registrert_til", "innsatsgruppe"])
def test_an_arena_line_with_a_fodselsnummer_in_another_column_is_refused_without_repeating_it(alna, column):
    stray = fnr_born()
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, arena=arena_csv([arena_row(fnr_born(), **{column: stray})]),
                         actor=Actor.operator())
    assert stray not in str(refused.value)


@pytest.mark.parametrize("column", ["rolle", "malgruppe", "landbakgrunn", "arbeidssokerstatus", "henvist", "mott",
                                    "avklart", "rute", "avsluttet", "utfall"])
def test_a_tracking_list_line_with_a_fodselsnummer_in_another_column_is_refused_without_repeating_it(alna, column):
    stray = "198979 15831" if column == "mott" else fnr_born()  # also written with a space
    values = dict(zip(PARTICIPANT_HEADER.split(";"), [fnr_born(), "Kari Forskjøvet", "hovedperson", "ovrige", "norge",
                                                      "helt_ledig", "2026-01-05", "", "", "", "", "", "", ""],
                      strict=True))
    values[column] = stray
    data = (PARTICIPANT_HEADER + "\n" + ";".join(values.values()) + "\n").encode()
    with pytest.raises(ImportRefused) as refused:
        import_participants(data, office=alna, actor=Actor.operator())
    assert refused.value.errors[0].startswith("linje 2: ")
    assert stray not in str(refused.value)
    assert stray.replace(" ", "") not in str(refused.value)


def test_ordinary_bad_values_are_still_shown_so_the_user_can_correct_them(alna):
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", fnr_born(), antall_barn="31")]),
                         actor=Actor.operator())
    assert refused.value.errors == ["linje 2: antall_barn må være mellom 0 og 30, ikke 31"]
