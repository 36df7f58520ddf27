from django.conf import settings

from alnaaktiv import access, navigation
from alnaaktiv.models import Role


def site(request) -> dict:
    context = {"oidc_enabled": settings.OIDC_ENABLED}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["menu_items"] = navigation.menu_for(user, request.path)
        labels = sorted(Role(role).label.lower() for role in access.roles(user))
        context["user_roles_display"] = ", ".join(labels) or "ingen roller"
    return context
