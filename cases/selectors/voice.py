"""Reads of the participant's own voice: the statements shown with the plan and the assessment,
and the survey's free texts for the project leader (office and month, no names)."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, QuerySet, Subquery

from alnaaktiv import access
from alnaaktiv.models import Role
from cases.models import Brukerundersokelse, Deltaker, Uttalelse, UttalelseGjelder
from cases.models.voice import SURVEY_MIN_ANSWERS

NAV_READERS = (Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)


@dataclass
class Statements:
    plan: list[Uttalelse] = field(default_factory=list)
    # {assessment version id: [statements, newest first]}
    by_version: dict[int, list[Uttalelse]] = field(default_factory=dict)


def sees_assessment_statements(user, deltaker: Deltaker) -> bool:
    """The statement on the § 14 a assessment is NAV's case: KAREA reads the plan's statement only."""
    return access.has_role(user, *NAV_READERS, office=deltaker.office.enhetsnummer)


def statements(user, deltaker: Deltaker) -> Statements:
    """The participant's statements the user may read (one query), newest first: the caller has
    already loaded `deltaker` through get_participant_for_user, so the user sees the document."""
    rows = Uttalelse.objects.filter(deltaker=deltaker).select_related("registrert_av", "vurdering")
    if not sees_assessment_statements(user, deltaker):
        rows = rows.filter(gjelder=UttalelseGjelder.PLAN)
    found = Statements()
    for row in rows.order_by("-dato", "-id"):
        if row.gjelder == UttalelseGjelder.PLAN:
            found.plan.append(row)
        else:
            found.by_version.setdefault(row.vurdering_id, []).append(row)
    return found


def version_statements(vurdering) -> list[Uttalelse]:
    """The statements on one version of the assessment, newest first (for its PDF)."""
    return list(vurdering.uttalelser.select_related("registrert_av").order_by("-dato", "-id"))


def plan_statements(deltaker: Deltaker) -> list[Uttalelse]:
    return list(deltaker.uttalelser.filter(gjelder=UttalelseGjelder.PLAN).select_related("registrert_av")
                .order_by("-dato", "-id"))


def survey_free_texts(user, *, since: datetime.date | None = None) -> QuerySet[Brukerundersokelse]:
    """The survey's free texts of the offices where the user is prosjektleder: office and month,
    never a person, and only of months with at least SURVEY_MIN_ANSWERS answers at the office —
    in a month with fewer, whoever knows who ended then could tell who wrote it."""
    answered = Brukerundersokelse.objects.filter(office=OuterRef("office"), maned=OuterRef("maned"))
    enough = Subquery(answered.values("office").annotate(n=Count("id")).values("n")[:1])
    rows = (Brukerundersokelse.objects
            .filter(office__enhetsnummer__in=access.offices(user, Role.PROSJEKTLEDER)).exclude(fritekst="")
            .annotate(month_answers=enough).filter(month_answers__gte=SURVEY_MIN_ANSWERS))
    if since is not None:
        rows = rows.filter(maned__gte=since)
    return rows.select_related("office").order_by("-maned", "-id")
