"""Reading register extracts and tracking lists (contracts.md): UTF-8 with or without BOM,
`;` or `,` detected from the header, case-insensitive header names, dates as dd.mm.yyyy or
yyyy-mm-dd. Errors are collected as `linje N: <reason>`, N counted in the file (header = 1)."""
import bisect
import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field


class ImportRefused(Exception):
    """Nothing was written: the messages say why, one per line of the file."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


@dataclass
class CsvFile:
    rows: list[CsvRow]
    content_hash: str
    columns: list[str] = field(default_factory=list)


def read_csv(data: bytes, *, required: list[str], optional: list[str] = ()) -> CsvFile:
    """Parse the file; refuse it as a whole when it cannot be read or lacks a column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["linje 1: filen er ikke UTF-8-kodet"]) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportRefused(["linje 1: filen er tom eller mangler overskriftsrad"])
    header = lines[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [name.strip().lower() for name in next(reader)]
    missing = [name for name in required if name not in columns]
    if missing:
        raise ImportRefused([f"linje 1: mangler kolonnen {name}" for name in missing])
    known = set(required) | set(optional)
    unknown = [name for name in columns if name and name not in known]
    if unknown:
        raise ImportRefused([f"linje 1: ukjent kolonne {name}" for name in unknown])
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            rows.append(CsvRow(line, {"__error__": f"har {len(values)} felt, overskriften har {len(columns)}"}))
            continue
        rows.append(CsvRow(line, dict(zip(columns, values, strict=True))))
    digest = hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()
    return CsvFile(rows=rows, content_hash=digest, columns=columns)


# Eleven digits in a cell that is not the fnr column are most likely a fødselsnummer in the wrong
# column (a shifted line, a column pasted twice): it is never repeated in a message, since
# messages end up on pages, in the command's output and in logs.
_FNR_LIKE = re.compile(r"\d(?:[ .-]?\d){10}")
HIDDEN_VALUE = "(11 sifre, kan være et fødselsnummer, vises ikke)"


def shown(value, *, quoted: bool = True) -> str:
    """A cell's value as a message may repeat it."""
    text = str(value)
    if _FNR_LIKE.search(text):
        return HIDDEN_VALUE
    return f"«{text}»" if quoted else text


def parse_date(value: str) -> datetime.date:
    value = value.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"ugyldig dato {shown(value)} (bruk dd.mm.åååå eller åååå-mm-dd)")


def parse_choice(value: str, choices: list[str], column: str) -> str:
    value = value.strip().lower()
    if value not in choices:
        raise ValueError(f"ugyldig {column} {shown(value)} (gyldige: {', '.join(choices)})")
    return value


def parse_int(value: str, column: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"{column} må være et heltall, ikke {shown(value.strip())}") from None
    if not low <= number <= high:
        raise ValueError(f"{column} må være mellom {low} og {high}, ikke {shown(number, quoted=False)}")
    return number


def refuse_or_report(errors: list[str], *, skip_invalid: bool) -> list[str]:
    """All or nothing by default; with --skip-invalid the errors are only reported."""
    if errors and not skip_invalid:
        raise ImportRefused(errors)
    return errors


@dataclass
class ImportResult:
    """What an import did (or, with dry_run, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Rows imported that someone must look at (`linje N: ...`, never a fødselsnummer): a stored
    # protection kept, a name changed for a person of another office, a protected person of
    # another office touched.
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "ville blitt" if self.dry_run else "ble"
        text = f"{self.rows} rader lest: {self.created} {verb} opprettet, {self.updated} {verb} endret, {self.unchanged} uendret"
        if self.errors:
            text += f", {len(self.errors)} rader med feil ble hoppet over"
        if self.notices:
            text += f", {len(self.notices)} rader til kontroll"
        return text + "."

    def add_notice(self, line: int, text: str) -> None:
        bisect.insort(self.notices, f"linje {line}: {text}", key=_line_number)


def _line_number(message: str) -> int:
    return int(message.split(":", 1)[0].removeprefix("linje "))
