"""The screening page (/screening/): the funnel of domain.md §4 for a chosen office and date,
the candidate list, excluding a candidate with a reason and enrolling candidates as `kandidat`.
Persons are referred to by their database id in POSTed forms; a fødselsnummer never goes into
a URL."""
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access
from alnaaktiv.actor import Actor
from alnaaktiv.models import Office, Role
from cases import services
from cases.choices import SakRolle
from cases.models import Person, Sak
from cases.screening import is_in_office_registers, screen, screening_exclude
from cases.screening_forms import EnrolForm, ExclusionForm, ScreeningForm

SCREENING_ROLES = (Role.PROSJEKTLEDER, Role.VEILEDER)
PAGE_SIZE = 50


def _user_offices(user) -> list[Office]:
    return list(Office.objects.filter(enhetsnummer__in=access.offices(user, *SCREENING_ROLES)))


def _candidate_rows(user, candidates) -> list[dict]:
    """The candidate list without the persons the user may not see, as if they were not in the
    registers (the funnel's counts above it are aggregates and still count them). A spouse the
    user may not see is left out of the row the same way."""
    rows = []
    for candidate in candidates:
        if not access.may_see_person(user, candidate.hovedperson):
            continue
        spouse = candidate.ektefelle
        spouse_visible = spouse is not None and access.may_see_person(user, spouse)
        rows.append({
            "candidate": candidate,
            "visible": True,
            "name": candidate.hovedperson.navn,
            "fnr": candidate.hovedperson.fnr,
            "saksnummer": candidate.saksnummer,
            "spouse_name": spouse.navn if spouse_visible else "",
        })
    return rows


@access.role_required(*SCREENING_ROLES)
@require_GET
def screening(request):
    offices = _user_offices(request.user)
    form = ScreeningForm(request.GET or None, offices=offices)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        enhetsnummer, as_of = form.cleaned_data["kontor"], form.cleaned_data["dato"]
    elif not form.is_bound and offices:
        enhetsnummer, as_of = offices[0].enhetsnummer, timezone.localdate()
    else:
        return render(request, "cases/screening.html", context)
    funnel = screen(office=enhetsnummer, as_of=as_of)
    page = Paginator(_candidate_rows(request.user, funnel.candidates), PAGE_SIZE).get_page(request.GET.get("side"))
    context.update({
        "funnel": funnel,
        "office": next(office for office in offices if office.enhetsnummer == enhetsnummer),
        "page": page,
        "query": urlencode({"dato": f"{as_of:%d.%m.%Y}", "kontor": enhetsnummer}),
    })
    return render(request, "cases/screening.html", context)


def _back_to_list(form) -> str:
    data = getattr(form, "cleaned_data", {})
    if data.get("kontor") and data.get("dato"):
        query = urlencode({"dato": data["dato"].strftime("%d.%m.%Y"), "kontor": data["kontor"]})
        return f"{reverse('screening')}?{query}"
    return reverse("screening")


def _error_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@access.role_required(*SCREENING_ROLES)
@require_POST
def screening_exclude_view(request):
    form = ExclusionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if data.get("kontor") and data.get("person"):
        # Scope first: another office's person is answered as if it did not exist.
        access.require_office(request.user, data["kontor"], *SCREENING_ROLES)
        office = Office.objects.get(enhetsnummer=data["kontor"])
        person = Person.objects.filter(pk=data["person"]).first()
        if person is None or not is_in_office_registers(office=office, person=person):
            raise access.AccessDenied(f"personen er ikke i registrene til kontor {office.enhetsnummer}")
        access.require_person_visible(request.user, person)
    if form.errors:
        _error_messages(request, form)
        return redirect(_back_to_list(form))
    try:
        screening_exclude(office=office, person=person, reason=data["begrunnelse"], actor=Actor.from_request(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{person.navn} er ekskludert fra kandidatlisten.")
    return redirect(_back_to_list(form))


@access.role_required(*SCREENING_ROLES)
@require_POST
def screening_enrol(request):
    form = EnrolForm(request.POST)
    if not form.is_valid():
        _error_messages(request, form)
        return redirect(_back_to_list(form))
    data = form.cleaned_data
    access.require_office(request.user, data["kontor"], *SCREENING_ROLES)
    office = Office.objects.get(enhetsnummer=data["kontor"])
    candidates = {candidate.hovedperson.id: candidate for candidate in screen(office=office, as_of=data["dato"]).candidates}
    selected = []
    for person_id in dict.fromkeys(data["personer"]):
        candidate = candidates.get(person_id)
        if candidate is None:
            raise access.AccessDenied(f"person {person_id} er ikke kandidat ved kontor {office.enhetsnummer}")
        access.require_person_visible(request.user, candidate.hovedperson)
        selected.append(candidate)
    persons = Person.objects.in_bulk([candidate.hovedperson.id for candidate in selected])
    cases = {sak.saksnummer: sak for sak in Sak.objects.filter(
        office=office, saksnummer__in=[candidate.saksnummer for candidate in selected])}
    enrolled, already = 0, 0
    for candidate in selected:
        if candidate.is_deltaker:
            already += 1
            continue
        try:
            services.deltaker_enroll(
                person=persons[candidate.hovedperson.id], office=office, sak=cases.get(candidate.saksnummer),
                rolle=SakRolle.HOVEDPERSON, actor=Actor.from_request(request), on_date=timezone.localdate(),
            )
        except ValidationError as error:
            messages.error(request, f"{candidate.hovedperson.navn}: {' '.join(error.messages)}")
        else:
            enrolled += 1
    if enrolled:
        messages.success(request, f"{enrolled} kandidat{'er' if enrolled != 1 else ''} registrert i Alna Aktiv "
                                  "med status kandidat.")
    if already:
        messages.info(request, f"{already} av de valgte var allerede deltakere og ble ikke registrert på nytt.")
    return redirect(_back_to_list(form))
