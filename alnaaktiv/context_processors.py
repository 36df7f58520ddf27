from django.conf import settings

from alnaaktiv import access, navigation


def site(request) -> dict:
    context = {"oidc_enabled": settings.OIDC_ENABLED}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["menu_items"] = navigation.menu_for(user, request.path)
        context["user_roles_display"] = ", ".join(sorted(access.roles(user))) or "ingen roller"
    return context
