"""One report's stored data rendered as JSON (the contract), CSV (one section per table), XLSX
(one sheet per table, numbers as numbers) and PDF (the HTML template through WeasyPrint). None
of them holds personal data: the data is aggregated when it is built."""
import csv
import io
import json

from django.conf import settings
from django.template.loader import render_to_string

from reporting import presentation
from reporting.models import MonthlyReport

CONTRACT_KEYS = ("office", "month", "generated_at", "targets", "recipients", "participants_by_month", "tables")
SUPPRESSED = "<5"


def suppress(value):
    """Small-number suppression (domain.md §6) when the setting is on: 1–4 leave the system as "<5"."""
    if settings.REPORT_SUPPRESS_SMALL_NUMBERS and isinstance(value, int) and 0 < value < 5:
        return SUPPRESSED
    return value


def contract_json(report: MonthlyReport) -> dict:
    data = {key: report.data[key] for key in CONTRACT_KEYS if key in report.data}
    if settings.REPORT_SUPPRESS_SMALL_NUMBERS:
        data["tables"] = {
            name: {row: {col: (None if suppress(n) == SUPPRESSED else n) for col, n in cols.items()}
                   for row, cols in table.items()}
            for name, table in data["tables"].items()
        }
    return data


def render_json(report: MonthlyReport) -> bytes:
    return json.dumps(contract_json(report), ensure_ascii=False, indent=1).encode()


def sections(report: MonthlyReport) -> list[tuple[str, list[list]]]:
    """The report as titled tables of cells (header row first): what CSV and XLSX write."""
    data = report.data
    result = [(
        "Måltall",
        [["kode", "måltall", "teller", "nevner", "andel", "mål", "sammenligning", "nådd"]] + [
            [line["code"], data.get("target_names", {}).get(line["code"], line["code"]), line["numerator"],
             line["denominator"], line["value"], line["target"], line["comparison"],
             presentation.met_label(line["met"])]
            for line in data["targets"]
        ],
    )]
    if "recipients" in data:
        recipients = data["recipients"]
        result.append(("Sosialhjelpsmottakere", [["mål", "antall"]] + [
            [label, recipients[key]] for key, label in presentation.RECIPIENT_LABELS.items()
        ]))
    groups = presentation.TARGET_GROUP_KEYS
    result.append((
        "Deltakere per måned",
        [["måned", *groups, "total"]] + [[row["month"], *(suppress(row[g]) for g in [*groups, "total"])]
                                          for row in data["participants_by_month"]],
    ))
    for name, title in presentation.TABLE_TITLES.items():
        table = data["tables"][name]
        result.append((title, [[name, *groups, "total"]] + [
            [row, *(suppress(cells[g]) for g in [*groups, "total"])] for row, cells in table.items()
        ]))
    return result


def render_csv(report: MonthlyReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Månedsrapport", report.data["office"], report.data["month"], report.data["generated_at"]])
    for title, rows in sections(report):
        writer.writerow([])
        writer.writerow([f"# {title}"])
        writer.writerows(rows)
    # BOM: Excel opens the file as UTF-8 (æøå).
    return ("\ufeff" + buffer.getvalue()).encode()


def render_xlsx(report: MonthlyReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sections(report):
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 26
        sheet.freeze_panes = "B2"
    workbook.properties.title = f"Månedsrapport {report.data['office']} {report.data['month']}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_html(report: MonthlyReport) -> str:
    return render_to_string("reporting/report_pdf.html", presentation.report_context(report, suppress))


def render_pdf(report: MonthlyReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report), base_url=str(settings.BASE_DIR)).write_pdf()


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
