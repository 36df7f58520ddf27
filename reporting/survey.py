"""The end-of-course survey in a month (issue 16): how many answered and, per statement, the mean
and how the answers spread over 1–5, for one office and one calendar month, as plain data for the
report JSON (key `survey`) and every renderer. The free texts never enter the report (they could
tell who wrote them); under SURVEY_MIN_ANSWERS answers the means and spreads are left out at
build time, whatever the export setting, as they would tell one person's answers."""
import datetime

from django.db.models import Count, Q

from alnaaktiv.models import Office
from cases.models import Brukerundersokelse
from cases.models.voice import SURVEY_MIN_ANSWERS, SURVEY_QUESTIONS

SCORES = range(1, 6)


def survey(office: Office, start: datetime.date, end: datetime.date) -> dict:
    """{"answers": n, "questions": [{"code", "text", "mean", "distribution": {"1": …, "5": …}}]}
    for the answers given in the month (one query); mean None and distribution None under the
    threshold."""
    rows = Brukerundersokelse.objects.filter(office=office, maned__gte=start, maned__lte=end)
    counts = rows.aggregate(answers=Count("id"), **{
        f"{code}_{score}": Count("id", filter=Q(**{code: score})) for code, _ in SURVEY_QUESTIONS for score in SCORES})
    answers = counts["answers"]
    shown = answers >= SURVEY_MIN_ANSWERS
    questions = []
    for code, text in SURVEY_QUESTIONS:
        distribution = {str(score): counts[f"{code}_{score}"] for score in SCORES}
        mean = round(sum(score * counts[f"{code}_{score}"] for score in SCORES) / answers, 1) if answers else None
        questions.append({"code": code, "text": text, "mean": mean if shown else None,
                          "distribution": distribution if shown else None})
    return {"answers": answers, "questions": questions}
