from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import audit, health


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
