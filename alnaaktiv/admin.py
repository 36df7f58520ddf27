import datetime

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import Membership, Office, SecurityEvent, User

# The user's permissions to see protected persons, with what the security log calls them.
PROTECTION_PERMISSIONS = {"may_see_fortrolig": "fortrolig (kode 7)",
                          "may_see_strengt_fortrolig": "strengt fortrolig (kode 6)",
                          "may_see_skjermet": "skjermet"}

# Access is by role per office, never by Django groups.
admin.site.unregister(Group)
# django-axes has no app name of its own; the admin would title its login attempts «Axes».
apps.get_app_config("axes").verbose_name = "Innlogging"


def object_type_name(label: str) -> str:
    """`cases.deltaker` as the admin names the model («Deltaker»): the log stores the technical
    label so that it survives a renamed verbose name; people read the Norwegian one."""
    if not label:
        return ""
    try:
        name = str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
    return name[:1].upper() + name[1:]


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


class RoleFilter(admin.SimpleListFilter):
    title = "rolle"
    parameter_name = "rolle"

    def lookups(self, request, model_admin):
        return Membership._meta.get_field("role").choices

    def queryset(self, request, queryset):
        return queryset.filter(memberships__role=self.value()).distinct() if self.value() else queryset


class MembershipOfficeFilter(admin.SimpleListFilter):
    title = "kontor"
    parameter_name = "kontor"

    def lookups(self, request, model_admin):
        return [(office.enhetsnummer, str(office)) for office in Office.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(memberships__office__enhetsnummer=self.value()).distinct()


@admin.register(User)
class UserAdmin(AdminRoleAccess, DjangoUserAdmin):
    """Employees with their roles per office. Django's groups and per-model permissions are left
    out of the form: access is decided by the roles alone (alnaaktiv/access.py)."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "roles_and_offices", "is_active"]
    list_filter = [RoleFilter, MembershipOfficeFilter, "is_active"]
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personlig informasjon", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Tilgang til beskyttede personer", {"fields": list(PROTECTION_PERMISSIONS)}),
        ("Viktige datoer", {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        # One query for every listed user's roles and offices, not one per row.
        return super().get_queryset(request).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("office").order_by(
                "office__enhetsnummer", "role"))
        )

    @admin.display(description="roller og kontorer")
    def roles_and_offices(self, user: User) -> str:
        return "; ".join(f"{membership.get_role_display()} ({membership.office.enhetsnummer} {membership.office.name})"
                         for membership in user.memberships.all()) or "ingen roller"

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


class DateRangeFilter(admin.FieldListFilter):
    """«Fra og med» and «til og med» dates typed into the filter column (a GET form: dates are no
    personal data), on the day in Norwegian time."""

    template = "admin/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_from = f"{field_path}__date__gte"
        self.lookup_to = f"{field_path}__date__lte"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "tidsrom"

    def expected_parameters(self):
        return [self.lookup_from, self.lookup_to]

    def _value(self, lookup: str) -> str:
        value = self.used_parameters.get(lookup, "")
        return (value[-1] if isinstance(value, list) else value) or ""

    def queryset(self, request, queryset):
        filters = {}
        for lookup in self.expected_parameters():
            if value := self._value(lookup):
                try:
                    filters[lookup] = datetime.date.fromisoformat(value)
                except ValueError as error:
                    raise IncorrectLookupParameters(error) from error
        return queryset.filter(**filters)

    def choices(self, changelist):
        yield {
            "from_name": self.lookup_from, "from_value": self._value(self.lookup_from),
            "to_name": self.lookup_to, "to_value": self._value(self.lookup_to),
            "others": [(name, value) for name, value in changelist.params.items()
                       if name not in self.expected_parameters()],
            "reset": changelist.get_query_string(remove=self.expected_parameters()),
        }


class LogOfficeFilter(admin.SimpleListFilter):
    """The log stores the enhetsnummer as text (an office may be gone); listed with its name."""

    title = "kontor"
    parameter_name = "office"

    def lookups(self, request, model_admin):
        return [(office.enhetsnummer, str(office)) for office in Office.objects.all()]

    def queryset(self, request, queryset):
        return queryset.filter(office=self.value()) if self.value() else queryset


class ReadOnlyLogAdmin(ReadOnlyAccess, admin.ModelAdmin):
    """Logs can be read, never added to, changed or deleted through the app. There is no
    free-text search: a search term would put a fødselsnummer into the URL. A person is looked
    up in the POSTed form «Søk etter person» (cases/admin.py)."""

    date_hierarchy = "time"
    list_select_related = ["user"]

    @admin.display(description="bruker", ordering="username")
    def user_display(self, entry) -> str:
        name = entry.user.get_full_name() if entry.user_id else ""
        return f"{entry.username} ({name})" if name else entry.username


class _NoAddingLoginRecords:
    """Login attempts are written by django-axes only; a hand-made one would be a false record
    (and its add form fails on axes' own required counters)."""

    def has_add_permission(self, request) -> bool:
        return False


# django-axes' login attempts: the admin role unlocks locked accounts by deleting attempts.
for _model, _model_admin in [
    (AccessAttempt, AccessAttemptAdmin), (AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)
]:
    admin.site.unregister(_model)
    admin.site.register(_model, type(_model_admin.__name__, (_NoAddingLoginRecords, AdminRoleAccess, _model_admin), {}))


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyLogAdmin):
    list_display = ["time", "user_display", "role", "method", "path", "status", "reason", "ip_address"]
    list_filter = [("time", DateRangeFilter), "status", "user", "method"]
