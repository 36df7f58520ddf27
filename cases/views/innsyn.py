"""Innsyn (GDPR art. 15, personopplysningsloven): an admin produces a PDF of every recorded read
and change of one person's data for that person.

The view lives in cases because it names the person (cases' Person) when they are still stored,
and the base (alnaaktiv) may not import cases; the PDF goes through alnaaktiv.pdf.render_pdf, the
project's one WeasyPrint entry point. The frame (alnaaktiv/urls.py) mounts it under /admin/innsyn/ through the
admin site's admin_view, so it has the admin site's login and its rule (active staff with the
admin role; others get 403), and the view checks the role once more itself. The fødselsnummer is
POSTed, never put in a URL or query string. Producing the PDF is itself an export in the log."""
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.auditlog_format import PersonByFnr, entries_for_person
from alnaaktiv.fnr import FodselsnummerFormField
from alnaaktiv.models import AuditEntry, Office
from alnaaktiv.pdf import pdf_response, render_pdf
from cases.models import Person

PROTECTED_REFUSAL = ("Innsyn for denne personen må lages av en administrator med tilgang til beskyttede personer "
                     "(adressebeskyttelse eller skjerming).")


class InnsynForm(forms.Form):
    fnr = FodselsnummerFormField(label="Personens fødselsnummer", help_text="11 siffer")


def _object_label(entry: AuditEntry) -> str:
    if not entry.object_type:
        return ""
    try:
        name = apps.get_model(entry.object_type)._meta.verbose_name
    except (LookupError, ValueError):
        name = entry.object_type
    return f"{str(name)[:1].upper()}{str(name)[1:]} {entry.object_id}".strip()


def innsyn_rows(fnr: str) -> list[dict]:
    """The PDF's rows: Norwegian time, office, role, action, object and the page or command.
    The employee's name is left out, as in NAV's innsyn in its sporingslogg: unit and role."""
    offices = {office.enhetsnummer: office.name for office in Office.objects.all()}
    return [
        {
            "time": timezone.localtime(entry.time),
            "office": f"{entry.office} {offices.get(entry.office, '')}".strip(),
            "role": entry.role,
            "action": entry.get_action_display(),
            "object": _object_label(entry),
            "path": entry.path,
        }
        for entry in entries_for_person(fnr)
    ]


def person_log_pdf(request):
    if not access.is_admin(request.user):
        raise access.RoleDenied("innsyn i sporingsloggen krever rollen admin")
    form = InnsynForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        fnr = form.cleaned_data["fnr"]
        person = Person.objects.filter(fnr=fnr).first()
        if person is not None and not access.may_see_person(request.user, person):
            # The PDF names the person and every office that followed them: for a kode 6/7 or
            # skjermet person that is what the protection hides, so only an admin with the
            # matching permission makes it. The refusal is itself worth a second look.
            audit.record_security_events([f"innsyn for beskyttet person {person.pk} uten tilgang"],
                                         actor=Actor.from_request(request), status=403)
            form.add_error("fnr", PROTECTED_REFUSAL)
            return render(request, "cases/innsyn/form.html", {
                **admin.site.each_context(request), "form": form, "title": "Innsyn i sporingsloggen",
            }, status=403)
        rows = innsyn_rows(fnr)
        # Before the PDF is rendered, as for every showing of personal data.
        audit.record(request, AuditEntry.Action.EXPORT, obj=person, person=person or PersonByFnr(fnr))
        pdf = render_pdf("cases/innsyn/sporingslogg.html", {
            "fnr": fnr, "person": person, "rows": rows, "produced": timezone.localtime(),
            "retention_years": settings.AUDIT_RETENTION_YEARS,
        })
        return pdf_response(pdf, "innsyn-sporingslogg.pdf")
    return render(request, "cases/innsyn/form.html", {
        **admin.site.each_context(request), "form": form, "title": "Innsyn i sporingsloggen",
    })
