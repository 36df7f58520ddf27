from django.contrib import admin

from alnaaktiv.actor import Actor
from alnaaktiv.admin import AdminRoleAccess, ReadOnlyAccess
from reporting.models import MonthlyReport, Target, TargetRevision
from reporting.services import target_save


class TargetRevisionInline(ReadOnlyAccess, admin.TabularInline):
    model = TargetRevision
    fields = ["changed_at", "changed_by", "values"]
    readonly_fields = fields
    extra = 0


@admin.register(Target)
class TargetAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Targets are changed here; each save keeps the values in the history below the form."""

    list_display = ["code", "name", "numerator", "denominator", "target", "comparison"]
    inlines = [TargetRevisionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # reports and history refer to the code

    def save_model(self, request, obj, form, change):
        target_save(target=obj, actor=Actor.from_request(request))


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAccess, admin.ModelAdmin):
    """Read only: reports are built and closed on /rapporter/."""

    list_display = ["office", "month", "status", "generated_at", "closed_at"]
    list_filter = ["office", "status"]
    exclude = ["data"]
