"""Norwegian labels and the template context shared by the dashboard, the report page and the
PDF, so they show the same numbers with the same words."""
from cases.choices import Arbeidssokerstatus, Malgruppe
from cases.models import Landbakgrunn
from cases.models.persons import Kjonn
from reporting import charts
from reporting.activity_duty import LABELS as ACTIVITY_DUTY_LABELS
from reporting.builder import MALGRUPPER
from reporting.models import MonthlyReport

MALGRUPPE_KEYS = [str(group) for group in MALGRUPPER]
MALGRUPPE_LABELS = {str(group): Malgruppe(group).label for group in MALGRUPPER}
TABLE_TITLES = {
    "age_group": "Aldersgruppe",
    "gender": "Kjønn",
    "background": "Landbakgrunn",
    "jobseeker_status": "Arbeidssøkerstatus",
}
AGE_GROUP_LABELS = {
    "19_og_under": "19 år og yngre", "20_24": "20–24 år", "25_29": "25–29 år", "30_39": "30–39 år",
    "40_49": "40–49 år", "50_59": "50–59 år", "60_og_over": "60 år og eldre",
}
ROW_LABELS = {
    "age_group": AGE_GROUP_LABELS,
    "gender": dict(Kjonn.choices),
    "background": dict(Landbakgrunn.choices),
    "jobseeker_status": dict(Arbeidssokerstatus.choices),
}
RECIPIENT_LABELS = {
    "baseline": "Ved pilotstart (utgangspunkt)",
    "stock": "Ved månedsslutt (beholdning)",
    "inflow": "Tilgang i måneden",
    "outflow": "Avgang i måneden",
}
MONTH_NAMES = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "desember"]


def met_label(met: bool | None) -> str:
    return {True: "nådd", False: "ikke nådd", None: "mangler grunnlag"}[met]


def month_name(code: str) -> str:
    year, month = code.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def percent(value: float | None) -> str:
    # A no-break space keeps "72,7 %" on one line.
    return "–" if value is None else f"{value * 100:.1f}\u00a0%".replace(".", ",")


def target_rows(data: dict) -> list[dict]:
    names = data.get("target_names", {})
    trend = data.get("targets_by_month", [])
    rows = []
    for line in data["targets"]:
        name = names.get(line["code"], line["code"])
        points = [(month["month"], month["values"].get(line["code"])) for month in trend]
        rows.append({
            **line,
            "name": name,
            "value_text": percent(line["value"]),
            "target_text": f"{'minst' if line['comparison'] == '>=' else 'høyst'} {percent(line['target'])}",
            "met_text": met_label(line["met"]),
            "chart": charts.target_trend(points, line["target"], line["comparison"], name) if points else "",
        })
    return rows


def trend_table(data: dict) -> dict:
    """The numbers behind the trend charts, for those who cannot see them (WCAG 1.1.1)."""
    codes = [line["code"] for line in data["targets"]]
    names = data.get("target_names", {})
    return {
        "headers": [names.get(code, code) for code in codes],
        "rows": [{"month": month_name(month["month"]), "cells": [percent(month["values"].get(code)) for code in codes]}
                 for month in data.get("targets_by_month", [])],
    }


def table_blocks(data: dict, cell=lambda count: count) -> list[dict]:
    return [
        {"key": name, "title": title, "rows": [
            {"label": "Totalt" if row == "total" else ROW_LABELS[name].get(row, row), "is_total": row == "total",
             "cells": [cell(cells[group]) for group in [*MALGRUPPE_KEYS, "total"]]}
            for row, cells in data["tables"][name].items()
        ]}
        for name, title in TABLE_TITLES.items()
    ]


def activity_duty_blocks(data: dict, cell=lambda count: count) -> list[dict]:
    """The activity duty's groups as titled label/value rows; kroner are never suppressed
    (`cell` acts on counts only). Reports stored before the key existed show nothing."""
    duty = data.get("activity_duty", {})
    return [
        {"key": group, "title": title, "rows": [
            {"label": label, "is_kroner": key.endswith("_kr"),
             "value": duty[group][key] if key.endswith("_kr") else cell(duty[group][key])}
            for key, label in labels.items()
        ]}
        for group, (title, labels) in ACTIVITY_DUTY_LABELS.items() if group in duty
    ]


SURVEY_SCORE_LABELS = ["1 Helt uenig", "2", "3", "4", "5 Helt enig"]


def survey_block(data: dict, cell=lambda count: count) -> dict | None:
    """The end-of-course survey of the month: the number of answers (through `cell`, as every
    count) and per statement its mean and spread, empty cells where the builder left them out
    (too few answers). None for a report stored before the key existed."""
    survey = data.get("survey")
    if survey is None:
        return None
    return {
        "title": "Brukerundersøkelsen", "answers": cell(survey["answers"]), "score_labels": SURVEY_SCORE_LABELS,
        "shown": any(question["mean"] is not None for question in survey["questions"]),
        "rows": [{"text": question["text"], "mean": question["mean"],
                  "mean_text": "" if question["mean"] is None else f"{question['mean']:.1f}".replace(".", ","),
                  "distribution": [(question["distribution"] or {}).get(str(score)) for score in range(1, 6)]}
                 for question in survey["questions"]],
    }


def report_context(report: MonthlyReport, cell=lambda count: count) -> dict:
    """Everything a page or the PDF shows of one stored report: aggregated numbers only. `cell`
    transforms the participant counts (the exports' small-number suppression)."""
    data = report.data
    by_month = data["participants_by_month"]
    return {
        "report": report,
        "office": report.office,
        "month_name": month_name(data["month"]),
        "generated_at": report.generated_at,
        "targets": target_rows(data),
        "recipients": [
            {"label": label, "value": "–" if data["recipients"][key] is None else data["recipients"][key]}
            for key, label in RECIPIENT_LABELS.items()
        ] if "recipients" in data else [],
        "funnel": data.get("funnel"),
        "group_labels": [MALGRUPPE_LABELS[key] for key in MALGRUPPE_KEYS],
        "participants_by_month": [
            {"month": month_name(row["month"]), "cells": [cell(row[key]) for key in [*MALGRUPPE_KEYS, "total"]]}
            for row in by_month
        ],
        "participants_chart": charts.stacked_bars(
            by_month, list(MALGRUPPE_LABELS.items()), "Aktive deltakere ved månedsslutt etter målgruppe"
        ),
        "tables": table_blocks(data, cell),
        "activity_duty": activity_duty_blocks(data, cell),
        "survey": survey_block(data, cell),
        "trend_table": trend_table(data),
    }
