"""The portfolio (/deltakere/) and the participant page with its actions. Views are thin: load
through the access helpers, validate a form, call a service, redirect."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from alnaaktiv.fnr import looks_like_fnr
from alnaaktiv.models import Role, User
from cases import selectors, services
from cases.forms import (
    HuskelappForm,
    JournalForm,
    MalgruppeForm,
    MeetingForm,
    PortfolioFilterForm,
    ReferralForm,
    SearchForm,
    TransitionForm,
)
from cases.forms_mapping import KartleggingStartForm
from cases.models import Huskelapp, Lopsstatus
from cases.selectors_mapping import WORKLIST_LABELS

PAGE_SIZE = 25
S = Lopsstatus
# Steps with their own pages and rules: referral (henvisning), the start of the mapping and the
# route that makes the participant avklart (cases/views/mapping.py).
OWN_STEPS = (S.HENVIST, S.I_KARTLEGGING, S.AVKLART)


def generic_transitions(state: str) -> list[str]:
    """The steps the page's plain status change offers."""
    return [target for target in services.allowed_transitions(state) if target not in OWN_STEPS]


@access.role_required(*selectors.PARTICIPANT_ROLES)
@require_http_methods(["GET", "POST"])
def portfolio(request):
    offices = access.offices(request.user, *selectors.PARTICIPANT_ROLES)
    veiledere = User.objects.filter(
        memberships__role=Role.VEILEDER, memberships__office__enhetsnummer__in=offices, is_active=True
    ).distinct().order_by("first_name", "last_name")
    default_scope = "alle" if access.has_role(request.user, Role.PROSJEKTLEDER, Role.KAREA) else "mine"
    filter_form = PortfolioFilterForm(request.GET or None, veiledere=veiledere,
                                      malgrupper=selectors.malgruppe_choices(request.user), initial={"vis": default_scope})
    filters = selectors.PortfolioFilter(scope=default_scope)
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = selectors.PortfolioFilter(
            scope=data["vis"] or default_scope, status=data["status"], malgruppe=data["malgruppe"],
            veileder=data["veileder"], unassigned=data["uten_veileder"], new=data["nye"],
            huskelapp_due=data["huskelapp"], worklist=data["arbeidsliste"], sort=data["sorter"] or "status_dato",
        )
    # A fødselsnummer never travels in a URL: searches are POSTed and answered directly.
    search_form = SearchForm(request.POST if request.method == "POST" else None)
    search = search_form.cleaned_data["sok"] if request.method == "POST" and search_form.is_valid() else ""
    may_search_fnr = access.has_role(request.user, Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
    if not may_search_fnr:
        search_form.fields["sok"].label = "Søk på navn"
    if search and looks_like_fnr(search) and not may_search_fnr:
        messages.error(request, "KAREA kan ikke søke på fødselsnummer. Søk på navn.")
        search = ""
    rows = selectors.portfolio(request.user, filters, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    participants = [
        {
            "deltaker": deltaker,
            "name": access.display_name(request.user, deltaker.person),
            "visible": access.may_see_person(request.user, deltaker.person),
            "next_step": selectors.next_step(deltaker),
            "malgruppe": selectors.malgruppe_label(request.user, deltaker),
        }
        for deltaker in page.object_list
    ]
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "cases/portfolio.html", {
        "filter_form": filter_form, "search_form": search_form, "search": search, "page": page,
        "participants": participants, "scope": filters.scope, "query": query.urlencode(),
        "worklist_label": WORKLIST_LABELS.get(filters.worklist, ""),
    })


@login_required
@require_GET
def participant_detail(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    roles = selectors.roles_for(request.user, deltaker)
    # Written before anything is rendered: no entry, no page.
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    is_nav = bool(roles - {Role.KAREA})
    allowed = generic_transitions(deltaker.status)
    context = {
        "deltaker": deltaker,
        "person": deltaker.person,
        "is_nav": is_nav,
        "malgruppe": selectors.malgruppe_label(request.user, deltaker),
        "sees_oskar_malgruppe": selectors.sees_oskar_malgruppe(request.user, deltaker.office.enhetsnummer),
        "household": selectors.household_members(request.user, deltaker) if is_nav else [],
        "events": selectors.timeline(deltaker),
        "journal": deltaker.journal.select_related("author").order_by("-date", "-id"),
        "huskelapper": deltaker.huskelapper.filter(done_at__isnull=True).select_related("created_by"),
        "can_refer": Role.HOVEDVEILEDER in roles and deltaker.status == S.KANDIDAT,
        "awaiting_meeting": deltaker.status in (S.HENVIST, S.IKKE_MOTT),
        "can_meet": Role.VEILEDER in roles and deltaker.status in (S.HENVIST, S.IKKE_MOTT),
        "can_transition": Role.VEILEDER in roles and bool(allowed),
        "can_write_journal": bool(roles & {Role.VEILEDER, Role.KAREA}),
        "can_huskelapp": Role.VEILEDER in roles,
        "can_start_mapping": bool(roles & {Role.VEILEDER, Role.KAREA}) and deltaker.status == S.MOTT,
        "mapping_start_form": KartleggingStartForm(auto_id="kartleggingstart_%s"),
        "can_set_malgruppe": bool(roles & {Role.VEILEDER, Role.PROSJEKTLEDER}),
        # Several forms on one page: each gets its own id prefix so every label names its field.
        "referral_form": ReferralForm(auto_id="henvis_%s"),
        "meeting_form": MeetingForm(auto_id="mote_%s"),
        "transition_form": TransitionForm(allowed=allowed, auto_id="status_%s"),
        "journal_form": JournalForm(auto_id="journal_%s"),
        "huskelapp_form": HuskelappForm(auto_id="huskelapp_%s"),
        "malgruppe_form": MalgruppeForm(initial={"malgruppe": deltaker.malgruppe}, auto_id="malgruppe_%s"),
    }
    return render(request, "cases/participant_detail.html", context)


def _participant_for_action(request, pk, *roles):
    deltaker = selectors.get_participant_for_user(request.user, pk)
    access.require_role(request.user, *roles, office=deltaker.office.enhetsnummer)
    return deltaker


def _refused(request, pk, error):
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    return redirect("participant-detail", pk=pk)


def _form_errors(form) -> ValidationError:
    return ValidationError([f"{form.fields[name].label}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
                            for name, errors in form.errors.items()])


def _post_action(request, pk, roles, form_class, perform, success, form_kwargs=None):
    """Every action on the participant page: access, form, service, message, back to the page.
    A refusal (bad form or a rule of the service) is shown as a message and changes nothing."""
    deltaker = _participant_for_action(request, pk, *roles)
    form = form_class(request.POST, **(form_kwargs(deltaker) if form_kwargs else {}))
    if not form.is_valid():
        return _refused(request, pk, _form_errors(form))
    try:
        perform(deltaker, form.cleaned_data)
    except ValidationError as error:
        return _refused(request, pk, error)
    messages.success(request, success(form.cleaned_data) if callable(success) else success)
    return redirect("participant-detail", pk=pk)


@login_required
@require_POST
def participant_refer(request, pk):
    return _post_action(
        request, pk, [Role.HOVEDVEILEDER], ReferralForm,
        lambda deltaker, data: services.deltaker_refer(
            deltaker=deltaker, actor=Actor.from_request(request), reason=data["reason"],
            first_appointment=data["first_appointment"]),
        "Deltakeren er henvist til Alna Aktiv.",
    )


@login_required
@require_POST
def participant_meeting(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], MeetingForm,
        lambda deltaker, data: services.deltaker_register_meeting(
            deltaker=deltaker, actor=Actor.from_request(request), met=data["met"], on_date=data["date"],
            new_appointment=data["new_appointment"]),
        "Møtet er registrert.",
    )


@login_required
@require_POST
def participant_transition(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], TransitionForm,
        lambda deltaker, data: services.deltaker_transition(
            deltaker=deltaker, to_state=data["to_state"], on_date=data["date"], actor=Actor.from_request(request),
            rute=data["rute"], utfall=data["utfall"], comment=data["comment"]),
        lambda data: f"Status er endret til «{S(data['to_state']).label}».",
        form_kwargs=lambda deltaker: {"allowed": generic_transitions(deltaker.status)},
    )


@login_required
@require_POST
def participant_journal(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER, Role.KAREA], JournalForm,
        lambda deltaker, data: services.journal_create(
            deltaker=deltaker, actor=Actor.from_request(request), kind=data["kind"], on_date=data["date"], text=data["text"],
            participants=data["participants"]),
        "Journalnotatet er lagret.",
    )


@login_required
@require_POST
def participant_malgruppe(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER, Role.PROSJEKTLEDER], MalgruppeForm,
        lambda deltaker, data: services.deltaker_set_malgruppe(
            deltaker=deltaker, malgruppe=data["malgruppe"], reason=data["reason"], actor=Actor.from_request(request)),
        "Målgruppen er endret.",
    )


@login_required
@require_POST
def huskelapp_create(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], HuskelappForm,
        lambda deltaker, data: services.huskelapp_create(
            deltaker=deltaker, actor=Actor.from_request(request), due_date=data["due_date"], comment=data["comment"]),
        "Huskelappen er lagret.",
    )


@login_required
@require_POST
def huskelapp_done(request, pk, huskelapp_pk):
    deltaker = _participant_for_action(request, pk, Role.VEILEDER)
    lapp = get_object_or_404(Huskelapp, pk=huskelapp_pk, deltaker=deltaker)
    try:
        services.huskelapp_mark_done(huskelapp=lapp, actor=Actor.from_request(request))
    except ValidationError as error:
        return _refused(request, pk, error)
    messages.success(request, "Huskelappen er markert som utført.")
    return redirect("participant-detail", pk=pk)
