from django.contrib import admin

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.admin import AdminRoleAccess
from alnaaktiv.models import AuditEntry
from cases.models import Person
from cases.models.persons import lowers_protection


def _protection_text(adressebeskyttelse: str, skjermet: bool) -> str:
    return f"{adressebeskyttelse}/{'skjermet' if skjermet else 'ikke skjermet'}"


@admin.register(Person)
class PersonAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Where a person's protection is lowered: a register extract may raise adressebeskyttelse
    and skjermet but never lower them (contracts.md). Only the admin role reaches the admin site;
    everything else on the person comes from the registers and is read-only here. Every showing
    and change is written to the audit log, a lowering also to the security log. The admin sees
    only the protected persons their own permissions allow. No search field: a search term would
    put a fødselsnummer into the URL."""

    list_display = ["navn", "fodselsnummer", "adressebeskyttelse", "skjermet"]
    list_filter = ["adressebeskyttelse", "skjermet"]
    fields = ["fodselsnummer", "navn", "fodselsdato", "kjonn", "landbakgrunn", "adressebeskyttelse", "skjermet"]
    readonly_fields = ["fodselsnummer", "navn", "fodselsdato", "kjonn", "landbakgrunn"]

    @admin.display(description="fødselsnummer")
    def fodselsnummer(self, person: Person) -> str:
        return f"{person.fnr[:6]}*****"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(access.visible_persons_q(request.user))

    def lookup_allowed(self, lookup, value, request=None):
        # The admin's list takes any field lookup from the query string; one on the fødselsnummer
        # would put it into the URL (and the access and proxy logs).
        if lookup.split("__")[0] == "fnr":
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request, obj=None):
        return False  # persons come from the registers and the tracking list

    def has_delete_permission(self, request, obj=None):
        return False  # cases, courses and the audit log refer to them

    def get_object(self, request, object_id, from_field=None):
        person = super().get_object(request, object_id, from_field)
        if person is not None:
            audit.record_read(request, person=person)
        return person

    def save_model(self, request, obj, form, change):
        before = (form.initial["adressebeskyttelse"], form.initial["skjermet"])
        super().save_model(request, obj, form, change)
        actor = Actor.from_request(request)
        audit.record_change(AuditEntry.Action.UPDATE, actor=actor, obj=obj, person=obj)
        if lowers_protection(adressebeskyttelse=before[0], skjermet=before[1],
                             to_adressebeskyttelse=obj.adressebeskyttelse, to_skjermet=obj.skjermet):
            audit.record_security_events(
                [f"administrator senket beskyttelsen til person {obj.pk}: {_protection_text(*before)} → "
                 f"{_protection_text(obj.adressebeskyttelse, obj.skjermet)}"],
                actor=actor,
            )
