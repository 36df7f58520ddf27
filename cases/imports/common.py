"""What every import shares (docs/contracts.md): reading a CSV file, the fødselsnummer cell, the
field parsers, one collector for the errors of the rows and the result of an import.

Files are UTF-8 with or without BOM, `;` or `,` detected from the header, case-insensitive header
names, dates as dd.mm.yyyy or yyyy-mm-dd. Errors are kept as `RowError`s (the line counted in the
file, header = 1, and the Norwegian reasons) and shown as `linje N: <reason>`."""
import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError

from alnaaktiv.fnr import FNR_LIKE, HIDDEN_VALUE, clean_fnr, parse_fnr, shown


class Reason(NamedTuple):
    """One Norwegian reason a row is refused, with the column it is about ("" for the row)."""

    field: str
    text: str


@dataclass
class RowError:
    """One message of a refused import: the line of the file (None for the import as a whole)
    and its reasons, shown as `linje N: a; b`."""

    line: int | None
    reasons: list[Reason]

    @property
    def message(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)

    @property
    def fields(self) -> list[str]:
        return [reason.field for reason in self.reasons if reason.field]

    def __str__(self) -> str:
        return self.message if self.line is None else f"linje {self.line}: {self.message}"


def row_error(line: int | None, text: str, *, field: str = "") -> RowError:
    return RowError(line, [Reason(field, text)])


class ImportErrors:
    """The reasons per line, one `RowError` per line in file order."""

    def __init__(self):
        self._by_line: dict[int, RowError] = {}

    def add(self, line: int, text: str, *, field: str = "") -> None:
        self._by_line.setdefault(line, RowError(line, [])).reasons.append(Reason(field, text))

    def add_error(self, line: int, error: ValueError) -> None:
        """A parser's ValueError as the line's reason (a CellError also names its column)."""
        self.add(line, str(error), field=getattr(error, "field", ""))

    def __contains__(self, line: int) -> bool:
        return line in self._by_line

    def __bool__(self) -> bool:
        return bool(self._by_line)

    def rows(self) -> list[RowError]:
        return [self._by_line[line] for line in sorted(self._by_line)]

    def messages(self) -> list[str]:
        return [str(error) for error in self.rows()]


class CellError(ValueError):
    """A parser's reason that names the column it is about."""

    def __init__(self, field: str, text: str):
        super().__init__(text)
        self.field = field


def in_column(column: str, parse, *args):
    """Run a parser on one column's cell; its ValueError becomes a CellError naming the column."""
    try:
        return parse(*args)
    except CellError:
        raise
    except ValueError as error:
        raise CellError(column, str(error)) from None


class ImportRefused(Exception):
    """Nothing was written: `row_errors` say why, `errors` is the same as one message each."""

    def __init__(self, row_errors: Iterable[RowError]):
        self.row_errors = list(row_errors)
        self.errors = [str(error) for error in self.row_errors]
        super().__init__("\n".join(self.errors))


def refuse_or_report(errors: ImportErrors, *, skip_invalid: bool) -> list[str]:
    """All or nothing by default; with --skip-invalid the errors are only reported."""
    if errors and not skip_invalid:
        raise ImportRefused(errors.rows())
    return errors.messages()


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]
    # Why the line cannot be read as a row (a field count other than the header's), else "".
    error: str = ""

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()


@dataclass
class CsvFile:
    rows: list[CsvRow]
    content_hash: str
    columns: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([row_error(1, "filen er ikke UTF-8-kodet")]) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportRefused([row_error(1, "filen er tom eller mangler overskriftsrad")])
    return text


def _check_columns(columns: list[str], required: list[str], optional: Iterable[str]) -> None:
    """Every missing and every unknown column as a message of its own."""
    missing = [name for name in required if name not in columns]
    if missing:
        raise ImportRefused([row_error(1, f"mangler kolonnen {name}", field=name) for name in missing])
    known = set(required) | set(optional)
    unknown = [name for name in columns if name and name not in known]
    if unknown:
        raise ImportRefused([row_error(1, f"ukjent kolonne {name}", field=name) for name in unknown])


def _read_rows(reader, columns: list[str]) -> list[CsvRow]:
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            rows.append(CsvRow(reader.line_num, {}, error=f"har {len(values)} felt, overskriften har {len(columns)}"))
        else:
            rows.append(CsvRow(reader.line_num, dict(zip(columns, values, strict=True))))
    return rows


def read_csv(data: bytes, *, required: list[str], optional: Iterable[str] = ()) -> CsvFile:
    """Parse the file; refuse it as a whole when it cannot be read or lacks a column."""
    text = _decode(data)
    header = text.splitlines()[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [name.strip().lower() for name in next(reader)]
    _check_columns(columns, required, optional)
    rows = _read_rows(reader, columns)
    digest = hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()
    return CsvFile(rows=rows, content_hash=digest, columns=columns)


def parse_fnr_cell(value: str) -> str:
    """The fnr cell of either import, cleaned (spaces and dots removed) and validated by
    alnaaktiv.fnr, which also refuses synthetic numbers unless ALLOW_SYNTHETIC_FNR. The number
    itself is never repeated in a message: messages end up in logs and pages."""
    number = clean_fnr(value)
    if not number:
        raise ValueError("fnr mangler")
    try:
        parse_fnr(number)
    except ValidationError as error:
        reason = error.messages[0].rstrip(".")
        raise ValueError(f"ugyldig fnr: {reason[:1].lower()}{reason[1:]}") from None
    return number


def parse_text(value: str, column: str, max_length: int) -> str:
    """A required text cell, at most `max_length` characters (the field it is stored in)."""
    if not value:
        raise ValueError(f"{column} mangler")
    if len(value) > max_length:
        raise ValueError(f"{column} er lengre enn {max_length} tegn")
    return value


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
        # Judged on the cell, not the number: int() drops a leading zero, and ten of a
        # fødselsnummer's eleven digits would be shown.
        given = HIDDEN_VALUE if FNR_LIKE.search(value) else shown(number, quoted=False)
        raise ValueError(f"{column} må være mellom {low} og {high}, ikke {given}")
    return number


@dataclass
class ImportResult:
    """What an import did (or, with dry_run, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Rows imported that someone must look at (never a fødselsnummer): a stored protection kept,
    # a name changed for a person of another office, a protected person of another office
    # touched. Kept by line; `notices` shows them as `linje N: ...` in file order.
    row_notices: list[RowError] = field(default_factory=list)

    @property
    def notices(self) -> list[str]:
        # sorted() is stable: two notices of one line keep the order they were added in.
        return [str(notice) for notice in sorted(self.row_notices, key=lambda notice: notice.line)]

    def summary(self) -> str:
        verb = "ville blitt" if self.dry_run else "ble"
        text = f"{self.rows} rader lest: {self.created} {verb} opprettet, {self.updated} {verb} endret, {self.unchanged} uendret"
        if self.errors:
            text += f", {len(self.errors)} rader med feil ble hoppet over"
        if self.row_notices:
            text += f", {len(self.row_notices)} rader til kontroll"
        return text + "."

    def add_notice(self, line: int, text: str) -> None:
        self.row_notices.append(row_error(line, text))
