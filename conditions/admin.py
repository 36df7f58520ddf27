from django.contrib import admin

from alnaaktiv.admin import AdminRoleAccess
from conditions.models import Fullmakt


@admin.register(Fullmakt)
class FullmaktAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Delegated authority to lift alone, set by the admin per user and office."""

    list_display = ["user", "office", "maks_belop"]
    list_filter = ["office"]
    autocomplete_fields = []
