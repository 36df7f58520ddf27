import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied

from alnaaktiv import access, audit

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy saw (a client can prepend anything to X-Forwarded-For, so the list is
    read from the right)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Gives each request an id for the logs; a well-formed one set by a trusted proxy is kept
    so that the proxy's log and ours can be joined, but a client cannot choose its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "") if settings.TRUSTED_PROXY_COUNT > 0 else ""
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Pages may hold personal data: no browser or proxy may keep a copy. Static files are
    served by whitenoise above this middleware and keep their long cache headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class SecurityLogMiddleware:
    """Writes refused attempts to the security log. process_exception runs after the request's
    transaction was rolled back, so the entry survives ATOMIC_REQUESTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, access.AccessDenied):
            audit.record_denied(request, status=404, reason=exception.reason)
        elif isinstance(exception, PermissionDenied):
            audit.record_denied(request, status=403, reason=getattr(exception, "reason", "") or "ingen tilgang")
        return None
