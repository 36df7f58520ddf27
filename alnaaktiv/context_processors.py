from django.conf import settings

from alnaaktiv import access, navigation
from alnaaktiv.models import Role


def site(request) -> dict:
    context = {"oidc_enabled": settings.OIDC_ENABLED}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["menu_items"] = navigation.menu_for(user, request.path)
        context["header_search"] = navigation.shows_search(user)
        labels = sorted(Role(role).label.lower() for role in access.roles(user))
        context["user_roles_display"] = ", ".join(labels) or "ingen roller"
        context["session_idle"] = {
            "seconds": settings.SESSION_COOKIE_AGE,
            "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
            "warning_text": f"Du blir logget ut om {duration_text(settings.SESSION_IDLE_WARNING_SECONDS)} "
                            "på grunn av inaktivitet.",
        }
    return context


def duration_text(seconds: int) -> str:
    """«2 minutter», «1 minutt», «30 sekunder»: how long, in words a reader says aloud."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minutt" if minutes == 1 else f"{minutes} minutter"
    return f"{seconds} sekund" if seconds == 1 else f"{seconds} sekunder"
