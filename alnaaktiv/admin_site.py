from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login

from alnaaktiv import access


class AlnaAktivAdminSite(admin.AdminSite):
    """The admin site is open only to active staff users holding the admin role, and shares the
    application's one login page (with its throttling) instead of a login of its own."""

    site_header = "Alna Aktiv – administrasjon"
    site_title = "Alna Aktiv"
    index_title = "Administrasjon"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_staff and access.is_admin(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise access.RoleDenied("administrasjon krever rollen admin")
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise access.RoleDenied("administrasjon krever rollen admin")
        return redirect_to_login(request.GET.get("next") or request.get_full_path())
