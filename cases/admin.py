import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.template.response import TemplateResponse
from django.urls import path

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.admin import AdminRoleAccess, DateRangeFilter, LogOfficeFilter, ReadOnlyLogAdmin, object_type_name
from alnaaktiv.auditlog_format import PersonByFnr
from alnaaktiv.fnr import FodselsnummerFormField
from alnaaktiv.models import AuditEntry, SecurityEvent
from cases.models import Person
from cases.models.persons import lowers_protection
from cases.selectors import hidden_persons
from cases.views.innsyn import PROTECTED_REFUSAL

# A person followed for years has thousands of reads; the page shows the newest, the innsyn PDF all.
PERSON_LOG_LIMIT = 500
PERSON_SEARCH_TEMPLATE = "admin/alnaaktiv/auditentry/person_search.html"


def _protection_text(adressebeskyttelse: str, skjermet: bool) -> str:
    return f"{adressebeskyttelse}/{'skjermet' if skjermet else 'ikke skjermet'}"


@admin.register(Person)
class PersonAdmin(AdminRoleAccess, admin.ModelAdmin):
    """Where a person's protection is lowered: a register extract may raise adressebeskyttelse
    and skjermet but never lower them (docs/contracts.md). Only the admin role reaches the admin site;
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


class PersonLogSearchForm(forms.Form):
    """The person is looked up by a POSTed fødselsnummer, never one in the URL (the address bar,
    the browser history and the access logs would keep it)."""

    fnr = FodselsnummerFormField(label="Personens fødselsnummer", help_text="11 siffer.")
    fra = forms.DateField(label="Fra og med", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    til = forms.DateField(label="Til og med", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    handling = forms.ChoiceField(label="Handling", required=False,
                                 choices=[("", "Alle handlinger"), *AuditEntry.Action.choices])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fra") and cleaned.get("til") and cleaned["til"] < cleaned["fra"]:
            self.add_error("til", "Til-datoen kan ikke være før fra-datoen.")
        return cleaned


def _within(queryset: QuerySet, fra: datetime.date | None, til: datetime.date | None) -> QuerySet:
    if fra:
        queryset = queryset.filter(time__date__gte=fra)
    if til:
        queryset = queryset.filter(time__date__lte=til)
    return queryset


def person_log_entries(fnr: str, *, fra=None, til=None, handling: str = "") -> QuerySet[AuditEntry]:
    """Every read and change of the person's data, newest first."""
    entries = _within(AuditEntry.objects.filter(person_fnr=fnr), fra, til).select_related("user")
    return entries.filter(action=handling) if handling else entries


def person_security_events(person: Person | None, *, fra=None, til=None) -> QuerySet[SecurityEvent]:
    """The security log names objects, never a fødselsnummer: a person's events are the refusals
    on their own participant pages and the events whose reason names the person («person 12»)."""
    if person is None:
        return SecurityEvent.objects.none()
    condition = Q(reason__regex=rf"person {person.pk}([^0-9]|$)")
    for deltaker_id in person.deltakelser.values_list("pk", flat=True):
        condition |= Q(path__startswith=f"/deltakere/{deltaker_id}/")
        condition |= Q(path__startswith=f"/arbeidsboks/deltakere/{deltaker_id}/")
    return _within(SecurityEvent.objects.filter(condition), fra, til).select_related("user")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyLogAdmin):
    """The sporingslogg. Registered here, not in alnaaktiv, because it must know the persons: the
    list leaves out the entries about a protected or skjermet person the admin may not see (as the
    person admin does), and «Søk etter person» looks a person up by a POSTed fødselsnummer. In the
    list the person is shown masked; filtering by fødselsnummer in the URL is refused."""

    list_display = ["time", "user_display", "role", "office", "action", "object_name", "object_id", "person",
                    "needs_review"]
    list_filter = [("time", DateRangeFilter), "action", LogOfficeFilter, "user", "needs_review"]
    fields = ["time", "username", "role", "office", "action", "object_name", "object_id", "person", "path",
              "request_id", "needs_review"]
    readonly_fields = fields

    @admin.display(description="person")
    def person(self, entry: AuditEntry) -> str:
        return f"{entry.person_fnr[:6]}*****" if entry.person_fnr else ""

    @admin.display(description="objekttype", ordering="object_type")
    def object_name(self, entry: AuditEntry) -> str:
        return object_type_name(entry.object_type)

    def get_queryset(self, request):
        entries = super().get_queryset(request)
        hidden = hidden_persons(request.user)
        return entries if hidden is None else entries.exclude(person_fnr__in=hidden.values("fnr"))

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.startswith("person_fnr"):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_urls(self):
        search = path("sok/", self.admin_site.admin_view(self.person_search_view), name="alnaaktiv_auditentry_search")
        return [search, *super().get_urls()]

    def person_search_view(self, request):
        """«Hvem har sett opplysningene mine?»: the person's audit entries and security events.
        Showing them is itself a read of the person's data in the log; a protected or skjermet
        person the admin may not see is refused as in the innsyn PDF (cases/views/innsyn.py)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PersonLogSearchForm(request.POST if request.method == "POST" else None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": "Søk i sporingsloggen etter person"}
        if request.method != "POST" or not form.is_valid():
            interaction.focus_first_error(form)
            return TemplateResponse(request, PERSON_SEARCH_TEMPLATE, context, status=400 if form.is_bound else 200)
        person = Person.objects.filter(fnr=form.cleaned_data["fnr"]).first()
        if person is not None and not Person.objects.filter(access.visible_persons_q(request.user),
                                                            pk=person.pk).exists():
            return _refuse_protected_person(request, form, context, person)
        context.update(_person_log(request, person, form.cleaned_data))
        return TemplateResponse(request, PERSON_SEARCH_TEMPLATE, context)


def _refuse_protected_person(request, form: forms.Form, context: dict, person: Person) -> TemplateResponse:
    """A person the admin may not see: the attempt goes to the security log, and the form says no."""
    audit.record_security_events([f"søk i sporingsloggen etter beskyttet person {person.pk} uten tilgang"],
                                 actor=Actor.from_request(request), status=403)
    form.add_error("fnr", PROTECTED_REFUSAL)
    interaction.focus_first_error(form)
    return TemplateResponse(request, PERSON_SEARCH_TEMPLATE, context, status=403)


def _person_log(request, person: Person | None, search: dict) -> dict:
    """The page's entries and events for the searched fødselsnummer, the newest
    PERSON_LOG_LIMIT of each."""
    fnr, fra, til = search["fnr"], search["fra"], search["til"]
    entries = person_log_entries(fnr, fra=fra, til=til, handling=search["handling"])
    events = person_security_events(person, fra=fra, til=til)
    # Before the page is rendered, as for every showing of personal data.
    audit.record(request, AuditEntry.Action.READ, obj=person, person=person or PersonByFnr(fnr))
    shown = list(entries[:PERSON_LOG_LIMIT + 1])
    return {
        "searched": True, "person": person, "fnr": fnr,
        "entries": [{"entry": entry, "object": object_type_name(entry.object_type)}
                    for entry in shown[:PERSON_LOG_LIMIT]],
        "entry_count": entries.count() if len(shown) > PERSON_LOG_LIMIT else len(shown),
        "limit": PERSON_LOG_LIMIT, "events": list(events[:PERSON_LOG_LIMIT]),
    }
