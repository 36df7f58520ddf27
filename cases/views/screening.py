"""The screening page (/screening/): the funnel of docs/domain.md §4 for a chosen office and date,
the candidate list, excluding a candidate with a reason and enrolling candidates as `kandidat`.
The hovedveileder reads the funnel and the candidate list (fewer columns, no exclusions) and
refers from it («Henvis»: enrol if need be, then the participant page's referral form); excluding,
enrolling in bulk and undoing are the veileder's and the prosjektleder's (403 for the role).
Persons are referred to by their database id in POSTed forms; a fødselsnummer never goes into
a URL."""
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alnaaktiv import access, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import Office, Role
from cases import selectors, services
from cases.forms import EnrolForm, ExclusionForm, ExclusionUndoForm, ReferCandidateForm, ScreeningForm
from cases.models import Lopsstatus, Person, ScreeningExclusion

# Who works the screening (exclude, enrol in bulk, undo), and who also reads it to refer.
SCREENING_ROLES = (Role.PROSJEKTLEDER, Role.VEILEDER)
REFERRING_ROLES = (Role.HOVEDVEILEDER,)
READ_ROLES = SCREENING_ROLES + REFERRING_ROLES
PAGE_SIZE = 50


def _user_offices(user) -> list[Office]:
    return list(Office.objects.filter(enhetsnummer__in=access.offices(user, *READ_ROLES)))


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


@access.role_required(*READ_ROLES)
@require_GET
def screening(request):
    offices = _user_offices(request.user)
    form = ScreeningForm(request.GET or None, offices=offices)
    if form.is_bound and form.is_valid():
        enhetsnummer, as_of = form.cleaned_data["kontor"], form.cleaned_data["dato"]
    elif not form.is_bound and offices:
        enhetsnummer, as_of = offices[0].enhetsnummer, timezone.localdate()
    else:
        return render(request, "cases/screening.html", {"form": form})
    return _screening_page(request, form=form, offices=offices, enhetsnummer=enhetsnummer, as_of=as_of,
                           page_number=request.GET.get("side"))


def _place_refused_exclusion(rows: list[dict], refused_person, refused_form, page_number):
    """A refused exclusion is drawn in its row, on the page of the list that holds it; one whose
    person left the list meanwhile (excluded by someone else) is shown at the exclusions instead.
    Returns the page to show and the form to show at the exclusions, if any."""
    if refused_person is None:
        return page_number, refused_form
    at = next((index for index, row in enumerate(rows) if row["candidate"].hovedperson.id == refused_person
               and not row["candidate"].is_deltaker), None)
    if at is None:
        return page_number, refused_form
    rows[at]["exclusion_form"] = refused_form
    return at // PAGE_SIZE + 1, None


def _screening_page(request, *, enhetsnummer, as_of, offices=None, form=None, page_number=None,
                    refused_person=None, refused_form=None, refused_undo=None) -> HttpResponse:
    """The funnel, the candidate list and the exclusions of an office on a date. A refused
    exclusion (`refused_person`, its bound form) or undo (`refused_undo`: exclusion id, bound form)
    is drawn open with what was typed, on the page of the list that holds it."""
    offices = offices if offices is not None else _user_offices(request.user)
    if form is None:
        form = ScreeningForm({"dato": f"{as_of:%d.%m.%Y}", "kontor": enhetsnummer}, offices=offices)
        form.is_valid()
    office = next(office for office in offices if office.enhetsnummer == enhetsnummer)
    funnel = selectors.screen(office=enhetsnummer, as_of=as_of)
    rows = _candidate_rows(request.user, funnel.candidates)
    page_number, orphan_form = _place_refused_exclusion(rows, refused_person, refused_form, page_number)
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    may_work = access.has_role(request.user, *SCREENING_ROLES, office=enhetsnummer)
    # The exclusions' reasons (health, addiction) are not the referring hovedveileder's business.
    exclusions = selectors.exclusions_for_office(request.user, office) if may_work else []
    for exclusion in exclusions:
        exclusion.undo_form = (refused_undo[1] if refused_undo and refused_undo[0] == exclusion.pk
                               else _undo_form(exclusion.pk, as_of))
    return render(request, "cases/screening.html", {
        "form": form,
        "funnel": funnel,
        "office": office,
        "page": page,
        "query": urlencode({"dato": f"{as_of:%d.%m.%Y}", "kontor": enhetsnummer}),
        "exclusions": exclusions,
        "refused_exclusion_elsewhere": orphan_form,
        "undone_shown_days": selectors.EXCLUSIONS_UNDONE_SHOWN_DAYS,
        "may_work": may_work,
        "may_refer": access.has_role(request.user, *REFERRING_ROLES, office=enhetsnummer),
    })


def _undo_form(pk, as_of, data=None) -> ExclusionUndoForm:
    return ExclusionUndoForm(data, initial={"dato": as_of}, auto_id=f"angre_ekskludering_{pk}_%s")


def _list_url(enhetsnummer, as_of, anchor="kandidater") -> str:
    query = urlencode({"dato": f"{as_of:%d.%m.%Y}", "kontor": enhetsnummer})
    return interaction.with_anchor(f"{reverse('screening')}?{query}", anchor)


def _back_to_list(form) -> str:
    data = getattr(form, "cleaned_data", {})
    if data.get("kontor") and data.get("dato"):
        return _list_url(data["kontor"], data["dato"])
    return reverse("screening")


def _error_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _excludable_person(request, form) -> tuple[Office, Person]:
    """The office and person an exclusion names, checked in that order: another office's person,
    or one the user may not see, is answered as if it did not exist."""
    data = form.cleaned_data
    access.require_office(request.user, data["kontor"], *SCREENING_ROLES)
    office = Office.objects.get(enhetsnummer=data["kontor"])
    person = Person.objects.filter(pk=data["person"]).first()
    if person is None or not selectors.is_in_office_registers(office=office, person=person):
        raise access.AccessDenied(f"personen er ikke i registrene til kontor {office.enhetsnummer}")
    access.require_person_visible(request.user, person)
    return office, person


@access.role_required(*SCREENING_ROLES)
@require_POST
def screening_exclude_view(request):
    """Excluding a candidate asks for a confirmation that names the person and the reason; a
    refused exclusion (no reason) is drawn again in its row with what was typed."""
    form = ExclusionForm(request.POST, auto_id=f"ekskluder_{request.POST.get('person', '')}_%s")
    form.is_valid()
    if not all(form.cleaned_data.get(name) for name in ("kontor", "dato", "person")):
        # Only a hand-made request lacks the list's own hidden fields: nothing to draw again.
        _error_messages(request, form)
        return redirect(_back_to_list(form))
    office, person = _excludable_person(request, form)
    as_of = form.cleaned_data["dato"]

    def rerender(bound):
        return _screening_page(request, enhetsnummer=office.enhetsnummer, as_of=as_of,
                               refused_person=person.pk, refused_form=bound)

    # A person excluded (or enrolled) meanwhile gets the refusal at once, not a confirmation.
    if form.is_valid() and not interaction.is_confirmed(request) and not services.screening_exclude_refusal(office=office, person=person):
        return interaction.confirmation(
            request, title=f"Ekskludere {person.navn} fra kandidatlisten?",
            warning="Personen tas ut av kandidatlisten og telles som ekskludert i trakten. Du kan angre under "
                    "«Ekskluderte kandidater» med en begrunnelse.",
            confirm_label=f"Ja, ekskluder {person.navn}", cancel_url=_list_url(office.enhetsnummer, as_of),
            summary=[("Kandidat", person.navn), ("Kontor", office.name), ("Begrunnelse", form.cleaned_data["begrunnelse"])],
        )
    return interaction.act(
        request, form=form,
        perform=lambda data: services.screening_exclude(office=office, person=person, reason=data["begrunnelse"],
                                               actor=Actor.from_request(request)),
        success_message=f"{person.navn} er ekskludert fra kandidatlisten. Du kan angre under «Ekskluderte kandidater».",
        redirect_to=_list_url(office.enhetsnummer, as_of, anchor=""), section="ekskluderte", rerender=rerender,
    )


@access.role_required(*SCREENING_ROLES)
@require_POST
def screening_exclusion_undo_view(request, pk):
    exclusion = get_object_or_404(ScreeningExclusion.objects.select_related("office", "person"), pk=pk)
    access.require_office(request.user, exclusion.office.enhetsnummer, *SCREENING_ROLES)
    access.require_person_visible(request.user, exclusion.person)
    form = _undo_form(exclusion.pk, None, request.POST)
    form.is_valid()
    as_of = getattr(form, "cleaned_data", {}).get("dato") or timezone.localdate()
    refusal = services.screening_exclusion_undo_refusal(exclusion)
    if refusal:
        interaction.refuse(request, refusal, section="ekskluderte")
        return redirect(_list_url(exclusion.office.enhetsnummer, as_of, anchor="ekskluderte"))

    def rerender(bound):
        # Undone meanwhile (another tab, a colleague): the row has no form any more.
        exclusion.refresh_from_db(fields=["undone_at"])
        return None if services.screening_exclusion_undo_refusal(exclusion) else _screening_page(
            request, enhetsnummer=exclusion.office.enhetsnummer, as_of=as_of, refused_undo=(exclusion.pk, bound))

    return interaction.act(
        request, form=form,
        perform=lambda data: services.screening_exclusion_undo(exclusion=exclusion, reason=data["begrunnelse"],
                                                      actor=Actor.from_request(request)),
        success_message=f"Ekskluderingen av {exclusion.person.navn} er angret. Personen er med i kandidatlisten igjen "
                        "hvis personen fortsatt er i målgruppen.",
        redirect_to=_list_url(exclusion.office.enhetsnummer, as_of, anchor=""), section="ekskluderte",
        rerender=rerender,
    )


def _chosen_candidates(user, office: Office, as_of, person_ids) -> list:
    """The candidates the user ticked, each still a candidate of the office on the date and
    visible to the user (404 otherwise: the list never offered it)."""
    candidates = {candidate.hovedperson.id: candidate for candidate in selectors.screen(office=office, as_of=as_of).candidates}
    chosen = []
    for person_id in dict.fromkeys(person_ids):
        candidate = candidates.get(person_id)
        if candidate is None:
            raise access.AccessDenied(f"person {person_id} er ikke kandidat ved kontor {office.enhetsnummer}")
        access.require_person_visible(user, candidate.hovedperson)
        chosen.append(candidate)
    return chosen


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
    chosen = _chosen_candidates(request.user, office, data["dato"], data["personer"])
    result = services.candidates_enroll(candidates=chosen, office=office, actor=Actor.from_request(request),
                                        on_date=timezone.localdate())
    for refusal in result.refusals:
        messages.error(request, refusal)
    enrolled, already = result.enrolled, result.already
    if enrolled:
        messages.success(request, f"{enrolled} kandidat{'er' if enrolled != 1 else ''} registrert i Alna Aktiv "
                                  "med status kandidat.")
    if already:
        messages.info(request, f"{already} av de valgte var allerede deltakere og ble ikke registrert på nytt.")
    return redirect(_back_to_list(form))


@access.role_required(*REFERRING_ROLES)
@require_POST
def screening_refer(request):
    """«Henvis» on a candidate row (the hovedveileder): the candidate is enrolled as `kandidat`
    unless already a participant, and the user lands on the participant page's referral form,
    where the referral itself (reason, first appointment) is made. A second click, or a colleague
    who clicked at the same time, lands on the same participant."""
    form = ReferCandidateForm(request.POST)
    if not form.is_valid():
        _error_messages(request, form)
        return redirect(_back_to_list(form))
    data = form.cleaned_data
    access.require_office(request.user, data["kontor"], *REFERRING_ROLES)
    office = Office.objects.get(enhetsnummer=data["kontor"])
    [candidate] = _chosen_candidates(request.user, office, data["dato"], [data["person"]])
    deltaker = services.candidate_enroll_for_referral(candidate=candidate, office=office,
                                                      actor=Actor.from_request(request))
    if deltaker.status != Lopsstatus.KANDIDAT:
        messages.info(request, f"{candidate.hovedperson.navn} er allerede henvist.")
        return redirect("participant-detail", deltaker.pk)
    if not candidate.is_deltaker:
        messages.success(request, f"{candidate.hovedperson.navn} er registrert som kandidat. Fyll ut henvisningen.")
    return redirect(interaction.with_anchor(reverse("participant-detail", args=[deltaker.pk]), "henvis"))
