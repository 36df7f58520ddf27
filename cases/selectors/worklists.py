"""The veileder's work lists over the mapping and the plan: each is one condition, used for both
the start page's count and the portfolio's filtered list, so the two cannot disagree."""
import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from cases.models import Aktivitet, Lopsstatus
from cases.models.mapping import ACTIVE_STATUSES, FINISHED_STATUSES

NOT_MAPPED_AFTER_DAYS = 14
MAPPING_OPEN_DAYS = 42  # six weeks


@dataclass(frozen=True)
class Worklist:
    code: str
    label: str


WORKLISTS = [
    Worklist("ikke_kartlagt", f"Møtt, men ikke kartlagt etter {NOT_MAPPED_AFTER_DAYS} dager"),
    Worklist("lang_kartlegging", "Kartlegging åpen i mer enn 6 uker"),
    Worklist("plan_uten_aktiv", "Plan uten aktiv aktivitet"),
    Worklist("aktivitet_forfalt", "Aktiviteter over sluttdato"),
]
WORKLIST_LABELS = {worklist.code: worklist.label for worklist in WORKLISTS}


def worklist_condition(code: str, today: datetime.date) -> Q:
    """Which participants a work list holds, as one condition for both the count and the list."""
    activities = Aktivitet.objects.filter(deltaker=OuterRef("pk"))
    if code == "ikke_kartlagt":
        return Q(status=Lopsstatus.MOTT, status_dato__lte=today - datetime.timedelta(days=NOT_MAPPED_AFTER_DAYS))
    if code == "lang_kartlegging":
        return Q(status=Lopsstatus.I_KARTLEGGING, status_dato__lte=today - datetime.timedelta(days=MAPPING_OPEN_DAYS))
    if code == "plan_uten_aktiv":
        return Q(status__in=[Lopsstatus.AVKLART, Lopsstatus.I_AKTIVITET]) & Q(Exists(activities)) & ~Q(
            Exists(activities.filter(status__in=ACTIVE_STATUSES)))
    if code == "aktivitet_forfalt":
        return ~Q(status=Lopsstatus.AVSLUTTET) & Q(
            Exists(activities.filter(til_dato__lt=today).exclude(status__in=FINISHED_STATUSES)))
    raise ValueError(code)
