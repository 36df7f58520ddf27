"""Pages composed from several apps, in the frame: the start page (each role's section with the
live work lists and panels the apps provide) and the participant page's sections from apps above
cases. Like urls.py, demo.py and retention.py this module is part of the frame, the only part of
alnaaktiv that imports the apps (the base never does; import-linter's layer contract in
pyproject.toml names the frame's modules)."""
import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alnaaktiv import access, inbox
from alnaaktiv.models import Office, Role
from arbeidsboks.kurs_views import participant_courses as course_participant_section
from arbeidsboks.selectors import running_activity as arbeidsboks_running_activity
from arbeidsboks.selectors import start_worklists as arbeidsboks_worklists
from arbeidsboks.views import participant_section as arbeidsboks_participant_section
from cases import selectors as cases_selectors
from cases.selectors import hovedveileder_worklists, karea_worklists, veileder_worklists
from cases.services import attendance_hooks
from cases.views import participants as participant_page
from conditions.selectors import activity_vilkar_labels, start_worklist_leder, start_worklist_vedtak
from conditions.services.attendance import attendance_recorded as conditions_attendance_recorded
from conditions.views.complaints import participant_section as complaints_participant_section
from conditions.views.participant import participant_section as conditions_participant_section
from reporting.selectors import start_worklist_prosjektleder, start_worklist_reports
from reporting.views import dashboard_panel

# What each role's start page offers: a title and a line on what the role does here.
START_SECTIONS = {
    Role.VEILEDER: ("Mine deltakere", "Deltakere du følger opp, huskelapper og arbeidslister."),
    Role.HOVEDVEILEDER: ("Henvisninger", "Kandidater du kan henvise til Alna Aktiv, og løpet til dine brukere."),
    Role.VEDTAK: ("Vilkår og dokumentasjon", "Vilkår som venter på dokumentasjon, og vedtak klare for oppheving."),
    Role.LEDER: ("Godkjenning", "Opphevinger som venter på din godkjenning."),
    Role.PROSJEKTLEDER: ("Måltall og trakt", "Hvordan piloten ligger an mot måltallene fra forstudien."),
    Role.CONTROLLER: ("Månedsrapporter", "Aggregerte rapporter og eksport, uten personopplysninger."),
    Role.KAREA: ("Arbeidsboks", "Kartlegging og arbeidstrening for deltakere i Alna Aktiv."),
    Role.ADMIN: ("Administrasjon", "Brukere, kontorer, virksomheter, måltall og sporingslogg."),
}

# Live work lists per role: selectors called with the user, each returning
# [{"label": str, "count": int | None (None: a link without a count), "url": str}].
Worklist = Callable[..., list[dict]]
START_WORKLISTS: dict[str, list[Worklist]] = {
    Role.VEILEDER: [veileder_worklists, arbeidsboks_worklists],
    Role.HOVEDVEILEDER: [hovedveileder_worklists],
    Role.KAREA: [karea_worklists, arbeidsboks_worklists],
    Role.VEDTAK: [start_worklist_vedtak],
    Role.LEDER: [start_worklist_leder],
    Role.PROSJEKTLEDER: [start_worklist_prosjektleder, arbeidsboks_worklists],
    Role.CONTROLLER: [start_worklist_reports],
}
# Whole panels per role: callables taking the request and returning HTML.
START_PANELS: dict[str, Callable] = {Role.PROSJEKTLEDER: dashboard_panel}


def _section(request, role: str, title: str, text: str) -> dict:
    worklists = [item for worklist in START_WORKLISTS.get(role, []) for item in worklist(request.user)]
    panel = START_PANELS[role](request) if role in START_PANELS else ""
    return {"role": role, "title": title, "text": text, "worklists": worklists, "panel": panel}


@login_required
@require_GET
def start(request):
    user_roles = access.roles(request.user)
    sections = [_section(request, role, title, text) for role, (title, text) in START_SECTIONS.items()
                if role in user_roles]
    user_offices = Office.objects.filter(enhetsnummer__in=access.offices(request.user))
    return render(request, "alnaaktiv/start.html", {"sections": sections, "user_offices": user_offices,
                                                    "inbox": inbox.inbox_counts(request.user)})


def compose_participant_page() -> None:
    """The participant page (cases) shows sections of apps that cases may not import, and asks
    them whether the participant still has a running activity and which vilkår each plan activity
    carries (the next-step prompt after the last one ended, or whether one is under way when the
    route is chosen), and lets attendance registered in cases (meetings, «Klart jeg kan» weeks)
    document the vilkår in conditions; called once at start-up (alnaaktiv/apps.py)."""
    participant_page.PAGE_SECTIONS[:] = [arbeidsboks_participant_section, course_participant_section,
                                         conditions_participant_section, complaints_participant_section]
    attendance_hooks.ATTENDANCE_RECORDED[:] = [conditions_attendance_recorded]
    cases_selectors.ACTIVITY_VILKAR[:] = [activity_vilkar_labels]
    cases_selectors.RUNNING_ACTIVITY_CHECKS[:] = [arbeidsboks_running_activity]
    cases_selectors.STARTED_ACTIVITY_CHECKS[:] = [functools.partial(arbeidsboks_running_activity, started=True)]
