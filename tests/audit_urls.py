"""A minimal person page built the way feature pages must be: access check, audit entry, then
render. Used to test the audit helper and the security log in isolation."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from alnaaktiv import access, audit
from alnaaktiv.models import Role
from cases.models import Person


@access.role_required(Role.VEILEDER, Role.PROSJEKTLEDER)
def person_page(request, pk):
    person = get_object_or_404(Person, pk=pk)
    access.require_person_visible(request.user, person)
    audit.record_read(request, person=person, office="0326")
    return HttpResponse(f"<h1>{person.navn}</h1><p>{person.fnr}</p>")


urlpatterns = [
    path("testperson/<int:pk>/", person_page, name="test-person"),
    path("", include("alnaaktiv.urls")),
]
