from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Membership, Office, SecurityEvent, User

# The user's permissions to see protected persons, with what the security log calls them.
PROTECTION_PERMISSIONS = {"may_see_fortrolig": "fortrolig (kode 7)",
                          "may_see_strengt_fortrolig": "strengt fortrolig (kode 6)",
                          "may_see_skjermet": "skjermet"}

# Access is by role per office, never by Django groups.
admin.site.unregister(Group)


class AdminRoleAccess:
    """The admin role opens these models; Django's per-model permissions are not used."""

    def has_module_permission(self, request):
        return access.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return access.is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_admin(request.user)


@admin.register(Office)
class OfficeAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ["enhetsnummer", "name", "pilot_start"]


class MembershipInline(AdminRoleAccess, admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(AdminRoleAccess, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Tilgang til beskyttede personer", {"fields": list(PROTECTION_PERMISSIONS)}),
    )

    def save_model(self, request, obj, form, change):
        """Who may see kode 6/7 and skjermede persons is decided here: every grant or withdrawal
        (also an admin's to themself) is written to the security log, naming who did it."""
        super().save_model(request, obj, form, change)
        changed = [name for name in PROTECTION_PERMISSIONS if name in form.changed_data]
        if changed:
            audit.record_security_events([
                f"tilgang til beskyttede personer for bruker {obj.pk} ({obj.username}): "
                + ", ".join(f"{PROTECTION_PERMISSIONS[name]} {'gitt' if getattr(obj, name) else 'fjernet'}"
                            for name in changed)
            ], actor=Actor.from_request(request))


class ReadOnlyAccess(AdminRoleAccess):
    """The admin role reads these rows; they are never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyLogAdmin(ReadOnlyAccess, admin.ModelAdmin):
    """Logs can be read, never added to, changed or deleted through the app. There is no
    free-text search: a search term would put a fødselsnummer into the URL."""

    date_hierarchy = "time"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyLogAdmin):
    """The person is shown masked: looking a person up is `manage.py audit_log --fnr`, which is
    itself logged. Filtering by fødselsnummer would put it into the URL and is refused."""

    list_display = ["time", "username", "role", "office", "action", "object_type", "object_id", "person", "needs_review"]
    list_filter = ["action", "needs_review", "office"]
    fields = ["time", "username", "role", "office", "action", "object_type", "object_id", "person", "path",
              "request_id", "needs_review"]
    readonly_fields = fields

    @admin.display(description="person")
    def person(self, entry: AuditEntry) -> str:
        return f"{entry.person_fnr[:6]}*****" if entry.person_fnr else ""

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.startswith("person_fnr"):
            return False
        return super().lookup_allowed(lookup, value, request)


# django-axes' login attempts: the admin role unlocks locked accounts by deleting attempts.
for _model, _model_admin in [
    (AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)
]:
    admin.site.unregister(_model)
    admin.site.register(_model, type(_model_admin.__name__, (AdminRoleAccess, _model_admin), {}))


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyLogAdmin):
    list_display = ["time", "username", "role", "method", "path", "status", "reason", "ip_address"]
    list_filter = ["status"]
