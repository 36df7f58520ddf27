"""Register extracts built in the tests: synthetic fødselsnumre and CSV bytes in the contract's
format (docs/contracts.md, "Register extracts")."""
import datetime
import itertools
import random
from pathlib import Path

from alnaaktiv.fnr import KVINNE, make_synthetic_fnr

FUNNEL_DATA = Path(__file__).parent / "data" / "funnel"
OSKAR_COLUMNS = [
    "saksnummer", "fnr", "navn", "rolle", "inntektstype", "antall_barn", "landbakgrunn", "stonad_maneder_siste_12",
    "kontor",
]
ARENA_COLUMNS = ["fnr", "arbeidssokerstatus", "registrert_fra", "registrert_til", "innsatsgruppe"]
_seeds = itertools.count(1000)
_issued: set[str] = set()


def fnr_born(birth_date: datetime.date | None = None, gender: str = KVINNE) -> str:
    """A synthetic fødselsnummer, never the same twice in a test run. Without a birth date the
    person is born some day in 1950–1984 (over 25 in every test), spread out because one date
    has only a few hundred numbers."""
    if birth_date is None:
        birth_date = datetime.date(1950, 1, 1) + datetime.timedelta(days=next(_seeds) * 7 % 12_700)
    while True:
        number = make_synthetic_fnr(birth_date, gender, random.Random(next(_seeds)))
        if number not in _issued:
            _issued.add(number)
            return number


def oskar_row(saksnummer: str, fnr: str, **fields) -> dict:
    row = {
        "saksnummer": saksnummer, "fnr": fnr, "navn": f"Person {saksnummer} {fields.get('rolle', 'hovedperson')}",
        "rolle": "hovedperson", "inntektstype": "hovedinntekt", "antall_barn": "0", "landbakgrunn": "norge",
        "stonad_maneder_siste_12": "6", "kontor": "0326",
    }
    row.update(fields)
    return row


def arena_row(fnr: str, registrert_fra: str = "01.01.2014", registrert_til: str = "", **fields) -> dict:
    row = {"fnr": fnr, "arbeidssokerstatus": "helt_ledig", "registrert_fra": registrert_fra,
           "registrert_til": registrert_til, "innsatsgruppe": ""}
    row.update(fields)
    return row


def to_csv(rows: list[dict], columns: list[str], delimiter: str = ";", bom: bool = False) -> bytes:
    extra = [name for row in rows for name in row if name not in columns]
    header = columns + list(dict.fromkeys(extra))
    lines = [delimiter.join(header)] + [delimiter.join(str(row.get(name, "")) for name in header) for row in rows]
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def oskar_csv(rows: list[dict], **options) -> bytes:
    return to_csv(rows, OSKAR_COLUMNS, **options)


def arena_csv(rows: list[dict], **options) -> bytes:
    return to_csv(rows, ARENA_COLUMNS, **options)
