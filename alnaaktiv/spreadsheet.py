"""Every CSV and XLSX the app writes goes through here, so that no cell a user or a register
extract wrote can run as a formula when fellestjenesten or the controller opens the file
(CSV injection, OWASP): a text that starts with = + - @ tab or carriage return gets a leading
apostrophe, which spreadsheets read as "this is text". Numbers stay numbers, and a text that is
only a number ("-1 234,50", "-5") is left as it is: a negative amount is not a formula.

defusedcsv does the same for CSV, but its rule leaves out the tab and the carriage return of
OWASP's list and it has nothing for XLSX; one rule here serves both."""
import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d[\d  .,]*$")


def neutralise(value):
    """The cell as it may be written: strings that a spreadsheet would evaluate are prefixed."""
    if not isinstance(value, str):  # numbers, dates and empty cells are never formulas
        return value
    if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class _NeutralisingWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **fmtparams) -> _NeutralisingWriter:
    """csv.writer with every field neutralised."""
    return _NeutralisingWriter(csv.writer(file, **fmtparams))


def append_row(sheet, row) -> None:
    """openpyxl's sheet.append with every cell neutralised (a string starting with = would
    otherwise be stored as a formula)."""
    sheet.append([neutralise(value) for value in row])


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_list(*, title: str, header: list[str], rows) -> bytes:
    """A list as one sheet: a bold, frozen header row, then the rows (each cell neutralised).
    Dates and numbers stay typed so the spreadsheet sorts and filters them."""
    # Imported here: openpyxl takes ~0.2 s to import and only the exports need it.
    from openpyxl import Workbook  # noqa: PLC0415 — deliberately lazy (import cost)
    from openpyxl.styles import Font  # noqa: PLC0415 — deliberately lazy (import cost)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 — deliberately lazy (import cost)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(label) + 4)
    sheet.freeze_panes = "A2"
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
