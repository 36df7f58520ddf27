from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, audit, health
from alnaaktiv.models import Office, Role

# What each role's start page offers; the feature issues replace these with live work lists.
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

# Live work lists per role: dotted paths to selectors called with the user, each returning
# [{"label": str, "count": int, "url": str}]. The apps provide them; the frame only lists them
# (dotted paths keep alnaaktiv's base from importing the apps).
START_WORKLISTS: dict[str, list[str]] = {
    Role.VEILEDER: ["cases.selectors_mapping.veileder_worklists", "arbeidsboks.selectors.start_worklists"],
    Role.HOVEDVEILEDER: ["cases.selectors_mapping.hovedveileder_worklists"],
    Role.KAREA: ["cases.selectors_mapping.karea_worklists", "arbeidsboks.selectors.start_worklists"],
    Role.VEDTAK: ["conditions.selectors.start_worklist_vedtak"],
    Role.LEDER: ["conditions.selectors.start_worklist_leder"],
    Role.PROSJEKTLEDER: ["reporting.selectors.start_worklist_prosjektleder", "arbeidsboks.selectors.start_worklists"],
    Role.CONTROLLER: ["reporting.selectors.start_worklist_reports"],
}
# Whole panels per role: dotted paths to callables taking the request and returning HTML.
START_PANELS: dict[str, str] = {Role.PROSJEKTLEDER: "reporting.views.dashboard_panel"}


def _worklists(role: str, user) -> list[dict]:
    return [item for path in START_WORKLISTS.get(role, []) for item in import_string(path)(user)]


@login_required
@require_GET
def start(request):
    user_roles = access.roles(request.user)
    sections = [
        {"role": role, "title": title, "text": text, "worklists": _worklists(role, request.user),
         "panel": import_string(START_PANELS[role])(request) if role in START_PANELS else ""}
        for role, (title, text) in START_SECTIONS.items()
        if role in user_roles
    ]
    return render(
        request,
        "alnaaktiv/start.html",
        {"sections": sections, "user_offices": Office.objects.filter(enhetsnummer__in=access.offices(request.user))},
    )


@login_required
@require_POST
def session_renew(request):
    """«Forbli innlogget» in the idle warning: the request itself renews the session
    (SESSION_SAVE_EVERY_REQUEST), so there is nothing to do but answer."""
    return HttpResponse(status=204)


@require_GET
@transaction.non_atomic_requests
def favicon(request):
    """/favicon.ico, which browsers ask for where a page names no icon (a PDF, a download): the
    static SVG, by its hashed name in production (hence looked up per request, not at import)."""
    return redirect(static("favicon.svg"))


@require_GET
@transaction.non_atomic_requests
def health_check(request):
    # Outside the request transaction: with the database down, opening it would fail before the
    # view could answer 503.
    healthy, report = health.overall_status()
    return JsonResponse(report, status=200 if healthy else 503)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    audit.record_denied(request, status=403, reason=f"CSRF-kontroll feilet: {reason}")
    return render(request, "403.html", {"csrf_failed": True}, status=403)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the account is locked after too many failed logins."""
    audit.record_denied(request, status=429, reason="innlogging sperret etter for mange mislykkede forsøk")
    return render(request, "registration/lockout.html", status=429)
