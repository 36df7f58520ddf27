"""One report's stored data rendered as JSON (the contract), CSV (one section per table), XLSX
(one sheet per table, numbers as numbers) and PDF (the HTML template through WeasyPrint). None
of them holds personal data: the data is aggregated when it is built."""
import io
import json

from django.conf import settings

from alnaaktiv import pdf, spreadsheet
from reporting import presentation
from reporting.models import MonthlyReport

CONTRACT_KEYS = ("office", "month", "generated_at", "targets", "recipients", "participants_by_month", "tables",
                 "activity_duty", "survey")
SUPPRESSED = "<5"


def suppress(value):
    """Small-number suppression (docs/domain.md §6) when the setting is on: 1–4 leave the system as
    "<5". Applied to every participant count of every export (tables and participants per month;
    the PDF leaves out the bar chart). Totals are kept: no secondary suppression."""
    if settings.REPORT_SUPPRESS_SMALL_NUMBERS and isinstance(value, int) and 0 < value < 5:
        return SUPPRESSED
    return value


def _json_cell(value):
    return None if suppress(value) == SUPPRESSED else value


def contract_json(report: MonthlyReport) -> dict:
    data = {key: report.data[key] for key in CONTRACT_KEYS if key in report.data}
    if settings.REPORT_SUPPRESS_SMALL_NUMBERS:
        data["tables"] = {
            name: {row: {column: _json_cell(count) for column, count in cells.items()} for row, cells in table.items()}
            for name, table in data["tables"].items()
        }
        data["participants_by_month"] = [
            {key: value if key == "month" else _json_cell(value) for key, value in row.items()}
            for row in data["participants_by_month"]
        ]
        if "activity_duty" in data:
            data["activity_duty"] = {group: {key: _json_cell(value) for key, value in values.items()}
                                     for group, values in data["activity_duty"].items()}
        if "survey" in data:
            data["survey"] = {**data["survey"], "answers": _json_cell(data["survey"]["answers"])}
    return data


def render_json(report: MonthlyReport) -> bytes:
    return json.dumps(contract_json(report), ensure_ascii=False, indent=1).encode()


def sections(report: MonthlyReport, decimal_comma: bool = False) -> list[tuple[str, list[list]]]:
    """The report as titled tables of cells (header row first), in Norwegian: what CSV and XLSX
    write. Codes stay in the first column of the targets, for scripts."""
    data = report.data
    result = [("Måltall", _target_rows(data, decimal_comma))]
    if "recipients" in data:
        result.append(("Sosialhjelpsmottakere", _recipient_rows(data["recipients"])))
    result.append(("Deltakere per måned", _participants_per_month_rows(data["participants_by_month"])))
    for name, title in presentation.TABLE_TITLES.items():
        result.append((title, _count_table_rows(title, presentation.ROW_LABELS[name], data["tables"][name])))
    for block in presentation.activity_duty_blocks(data, suppress):
        result.append((block["title"], [[block["title"], "Antall"]] + [
            [row["label"], _share_cell(row["value"], decimal_comma) if row["is_kroner"] else row["value"]]
            for row in block["rows"]
        ]))
    survey = presentation.survey_block(data, suppress)
    if survey is not None:
        result.append((survey["title"], [["Påstand", "Snitt (1–5)", *survey["score_labels"]]] + [
            [row["text"], _share_cell(row["mean"], decimal_comma), *row["distribution"]] for row in survey["rows"]
        ] + [["Antall svar", survey["answers"]]]))
    return result


def _share_cell(value, decimal_comma: bool):
    """A share as CSV writes it for Norwegian Excel (0,25) or as a number for XLSX."""
    if value is None or not decimal_comma:
        return value
    return str(value).replace(".", ",")


def _target_rows(data: dict, decimal_comma: bool) -> list[list]:
    names = data.get("target_names", {})
    return [["Kode", "Måltall", "Teller", "Nevner", "Andel", "Mål", "Sammenligning", "Status"]] + [
        [line["code"], names.get(line["code"], line["code"]), line["numerator"], line["denominator"],
         _share_cell(line["value"], decimal_comma), _share_cell(line["target"], decimal_comma),
         "minst" if line["comparison"] == ">=" else "høyst", presentation.met_label(line["met"])]
        for line in data["targets"]
    ]


def _recipient_rows(recipients: dict) -> list[list]:
    return [["Sosialhjelpsmottakere (saker)", "Antall"]] + [
        [label, recipients[key]] for key, label in presentation.RECIPIENT_LABELS.items()
    ]


def _group_labels() -> list[str]:
    return [presentation.MALGRUPPE_LABELS[group] for group in presentation.MALGRUPPE_KEYS]


def _group_cells(counts: dict) -> list:
    """One row's participant counts per target group and in total, suppressed when set."""
    return [suppress(counts[group]) for group in [*presentation.MALGRUPPE_KEYS, "total"]]


def _participants_per_month_rows(months: list[dict]) -> list[list]:
    return [["Måned", *_group_labels(), "Totalt"]] + [[row["month"], *_group_cells(row)] for row in months]


def _count_table_rows(title: str, labels: dict, table: dict) -> list[list]:
    return [[title, *_group_labels(), "Totalt"]] + [
        ["Totalt" if row == "total" else labels.get(row, row), *_group_cells(cells)] for row, cells in table.items()
    ]


def render_csv(report: MonthlyReport) -> bytes:
    buffer = io.StringIO()
    writer = spreadsheet.csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Månedsrapport", report.data["office"], report.data["month"], report.data["generated_at"]])
    for title, rows in sections(report, decimal_comma=True):
        writer.writerow([])
        writer.writerow([f"# {title}"])
        writer.writerows(rows)
    # BOM: Excel opens the file as UTF-8 (æøå).
    return ("\ufeff" + buffer.getvalue()).encode()


def render_xlsx(report: MonthlyReport) -> bytes:
    # Imported here: openpyxl takes ~0.2 s to import and only this export needs it.
    from openpyxl import Workbook  # noqa: PLC0415 — deliberately lazy (import cost)
    from openpyxl.styles import Font  # noqa: PLC0415 — deliberately lazy (import cost)

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sections(report):
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            spreadsheet.append_row(sheet, row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 26
        sheet.freeze_panes = "B2"
    workbook.properties.title = f"Månedsrapport {report.data['office']} {report.data['month']}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf_context(report: MonthlyReport) -> dict:
    context = presentation.report_context(report, suppress)
    if settings.REPORT_SUPPRESS_SMALL_NUMBERS:
        context["participants_chart"] = ""  # bars would show the suppressed numbers
    return context


def render_pdf(report: MonthlyReport) -> bytes:
    # Tagged PDF: screen readers get headings and tables, not loose text.
    return pdf.render_pdf("reporting/report_pdf.html", _pdf_context(report), pdf_tags=True)


FORMATS = {
    "json": (render_json, "application/json"),
    "csv": (render_csv, "text/csv; charset=utf-8"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (render_pdf, "application/pdf"),
}


def render(report: MonthlyReport, fmt: str) -> bytes:
    return FORMATS[fmt][0](report)


def content_type(fmt: str) -> str:
    return FORMATS[fmt][1]


def filename(report: MonthlyReport, fmt: str) -> str:
    return f"manedsrapport-{report.office.enhetsnummer}-{report.month_code}.{fmt}"
