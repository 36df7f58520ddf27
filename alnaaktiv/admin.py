from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from alnaaktiv.models import AuditEntry, Membership, Office, SecurityEvent, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["enhetsnummer", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Tilgang til beskyttede personer", {"fields": ["may_see_fortrolig", "may_see_strengt_fortrolig", "may_see_skjermet"]}),
    )


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """Logs can be read, never added to, changed or deleted through the app. There is no
    free-text search: a search term would put a fødselsnummer into the URL."""

    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyLogAdmin):
    list_display = ["time", "username", "role", "office", "action", "object_type", "object_id", "person_fnr", "needs_review"]
    list_filter = ["action", "needs_review", "office"]
    list_select_related = False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyLogAdmin):
    list_display = ["time", "username", "method", "path", "status", "reason", "ip_address"]
    list_filter = ["status"]
