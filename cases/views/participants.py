"""The portfolio (/deltakere/) and the participant page with its actions. Views are thin: load
through the access helpers, validate a form, call a service, redirect."""
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alnaaktiv import access, audit, interaction, spreadsheet
from alnaaktiv.actor import Actor
from alnaaktiv.fnr import looks_like_fnr
from alnaaktiv.models import AuditEntry, Role, User
from cases import selectors, services
from cases.forms import (
    AppointmentForm,
    AppointmentOutcomeForm,
    HuskelappForm,
    HuskelappUndoForm,
    JournalCorrectionForm,
    JournalForm,
    MalgruppeForm,
    MappingStartForm,
    MeetingForm,
    PortfolioFilterForm,
    ReferralForm,
    SearchForm,
    TransitionForm,
    VeilederChangeForm,
)
from cases.models import Deltaker, Huskelapp, JournalEntry, Lopsstatus
from cases.selectors import WORKLIST_LABELS
from cases.services import voice as voice_services
from cases.views.consent import consent_section
from cases.views.persons import person_details_context

PAGE_SIZE = 25
JOURNAL_WRITERS = (Role.VEILEDER, Role.KAREA)
# Steps with their own pages and rules: referral (henvisning), the start of the mapping and the
# route that makes the participant avklart (cases/views/mapping.py).
OWN_STEPS = (Lopsstatus.HENVIST, Lopsstatus.I_KARTLEGGING, Lopsstatus.AVKLART)


def generic_transitions(state: str) -> list[str]:
    """The steps the page's plain status change offers."""
    return [target for target in services.allowed_transitions(state) if target not in OWN_STEPS]


def _portfolio_filters(request) -> tuple[PortfolioFilterForm, selectors.PortfolioFilter]:
    """The filter form from the query string, and the filters it chose (the role's default scope
    when none or an invalid one was chosen)."""
    offices = access.offices(request.user, *selectors.PARTICIPANT_ROLES)
    veiledere = User.objects.filter(
        memberships__role=Role.VEILEDER, memberships__office__enhetsnummer__in=offices, is_active=True
    ).distinct().order_by("first_name", "last_name")
    default_scope = "alle" if access.has_role(request.user, Role.PROSJEKTLEDER, Role.KAREA) else "mine"
    filter_form = PortfolioFilterForm(request.GET or None, veiledere=veiledere,
                                      malgrupper=selectors.malgruppe_choices(request.user), initial={"vis": default_scope})
    if not filter_form.is_valid():
        return filter_form, selectors.PortfolioFilter(scope=default_scope)
    data = filter_form.cleaned_data
    return filter_form, selectors.PortfolioFilter(
        scope=data["vis"] or default_scope, status=data["status"], malgruppe=data["malgruppe"],
        veileder=data["veileder"], unassigned=data["uten_veileder"], new=data["nye"],
        huskelapp_due=data["huskelapp"], worklist=data["arbeidsliste"],
    )


def _portfolio_search(request) -> tuple[SearchForm, str]:
    """The search, POSTed so a fødselsnummer never travels in a URL; KAREA searches names only."""
    search_form = SearchForm(request.POST if request.method == "POST" else None)
    search = search_form.cleaned_data["sok"] if request.method == "POST" and search_form.is_valid() else ""
    may_search_fnr = access.has_role(request.user, Role.VEILEDER, Role.HOVEDVEILEDER, Role.PROSJEKTLEDER)
    if not may_search_fnr:
        search_form.fields["sok"].label = "Søk på navn"
    if search and looks_like_fnr(search) and not may_search_fnr:
        messages.error(request, "KAREA kan ikke søke på fødselsnummer. Søk på navn.")
        search = ""
    return search_form, search


@access.role_required(*selectors.PARTICIPANT_ROLES)
@require_http_methods(["GET", "POST"])
def portfolio(request):
    filter_form, filters = _portfolio_filters(request)
    search_form, search = _portfolio_search(request)
    sorting = selectors.portfolio_sorting(request.GET)
    rows = selectors.portfolio(request.user, filters, search=search, order_by=sorting.order_by)
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
        "worklist_label": WORKLIST_LABELS.get(filters.worklist, ""), "sorting": sorting,
        "may_assign": access.has_role(request.user, *selectors.ASSIGN_ROLES),
        "export_url": f"{reverse('portfolio-export')}?{query.urlencode()}" if query else reverse("portfolio-export"),
    })


def _export_cells(user, deltaker, nav_offices: set[str]) -> list:
    """One row of the export, the columns of the page; the fødselsnummer only where the user
    is NAV in the participant's office (KAREA never sees it, docs/domain.md §2), and no column
    for it at all when the user is NAV nowhere."""
    veileder = deltaker.veileder
    fnr = [deltaker.person.fnr if deltaker.office.enhetsnummer in nav_offices else ""] if nav_offices else []
    return [
        deltaker.person.navn, *fnr, deltaker.get_status_display(), deltaker.status_dato,
        selectors.malgruppe_label(user, deltaker),
        veileder.display_name if veileder else "Ikke tildelt",
        selectors.next_step(deltaker),
    ]


@access.role_required(*selectors.PARTICIPANT_ROLES)
@require_GET
def portfolio_export(request):
    """The portfolio as an XLSX file: the same rows (filters and sort of the query string) as the
    list, all pages. Only the filters travel: a search (POSTed, maybe a fødselsnummer) is never
    exported. Personal data leaving the system: one audit entry `export` per person, written in
    one statement before the file (the entry's path is this URL with the filters, so the log names
    the list; the entries sharing its request id are the rows). Fixed number of queries."""
    _filter_form, filters = _portfolio_filters(request)
    sorting = selectors.portfolio_sorting(request.GET)
    rows = list(selectors.portfolio(request.user, filters, order_by=sorting.order_by))
    nav_offices = access.offices(request.user, *selectors.NAV_PARTICIPANT_ROLES)
    actor = Actor.from_request(request)
    AuditEntry.objects.bulk_create([
        audit.build_entry(AuditEntry.Action.EXPORT, actor=actor, obj=deltaker, person=deltaker.person,
                          office=deltaker.office.enhetsnummer)
        for deltaker in rows
    ])
    header = ["Navn", *(["Fødselsnummer"] if nav_offices else []), "Status", "Status fra", "Målgruppe", "Veileder",
              "Neste steg"]
    cells = [_export_cells(request.user, deltaker, nav_offices) for deltaker in rows]
    response = HttpResponse(spreadsheet.xlsx_list(title="Deltakere", header=header, rows=cells),
                            content_type=spreadsheet.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="deltakere-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response


@login_required
@require_GET
def participant_detail(request, pk):
    return _detail_page(request, selectors.get_participant_for_user(request.user, pk))


# The page's forms, each with the id prefix the page gives it (several forms on one page: every
# label names its own field), so a refused form is drawn again with the same labels and anchors.
FORMS = {
    "referral_form": (ReferralForm, "henvis_%s"),
    "meeting_form": (MeetingForm, "mote_%s"),
    "transition_form": (TransitionForm, "status_%s"),
    "journal_form": (JournalForm, "journal_%s"),
    "huskelapp_form": (HuskelappForm, "huskelapp_%s"),
    "malgruppe_form": (MalgruppeForm, "malgruppe_%s"),
    "appointment_form": (AppointmentForm, "avtale_%s"),
    "veileder_form": (VeilederChangeForm, "veileder_%s"),
}


def _form(name: str, data=None, **kwargs):
    form_class, auto_id = FORMS[name]
    return form_class(data, auto_id=auto_id, **kwargs)


def _correction_form(entry, data=None) -> JournalCorrectionForm:
    return JournalCorrectionForm(data, initial={"text": entry.text, "participants": entry.motedeltakere},
                                 meeting=entry.kind in JournalEntry.MEETING_KINDS, auto_id=f"rett_{entry.pk}_%s")


def _huskelapp_undo_form(lapp, data=None) -> HuskelappUndoForm:
    return HuskelappUndoForm(data, auto_id=f"angre_huskelapp_{lapp.pk}_%s")


# Sections of apps above cases on the participant page (Arbeidsboks): cases may not import them,
# so the frame fills this list at start-up (alnaaktiv.frame.compose_participant_page). Each is
# called with the request and the participant and returns HTML.
PAGE_SECTIONS: list[Callable[[HttpRequest, Deltaker], str]] = []


def _journal_rows(request, deltaker, roles: set[str], correction) -> tuple[list, bool]:
    """The journal, each note with its correction form where the user may correct it."""
    journal = list(selectors.journal(deltaker))
    writes_journal = bool(roles & set(JOURNAL_WRITERS))
    for entry in journal:
        entry.may_correct = writes_journal and services.journal_correct_refusal(entry, request.user) is None
        if entry.may_correct:
            entry.correction_form = (correction[1] if correction and correction[0] == entry.pk
                                     else _correction_form(entry))
    return journal, writes_journal


def _done_huskelapper(deltaker, may_huskelapp: bool, huskelapp_undo) -> list:
    """Huskelapper marked «Utført» lately, each with its undo form."""
    done = list(selectors.recently_done_huskelapper(deltaker)) if may_huskelapp else []
    for lapp in done:
        lapp.undo_form = (huskelapp_undo[1] if huskelapp_undo and huskelapp_undo[0] == lapp.pk
                          else _huskelapp_undo_form(lapp))
    return done


def _appointments(request, deltaker, roles: set[str]) -> dict:
    """The participant's appointments, each with its outcome form where the user may register it,
    and whether the user may make a follow-up meeting or print a letter."""
    rows = selectors.participant_appointments(deltaker)
    for avtale in rows:
        avtale.deltaker = deltaker
        avtale.may_close = Role.VEILEDER in roles and services.appointment_close_refusal(request.user, avtale) is None
        if avtale.may_close:
            avtale.outcome_form = AppointmentOutcomeForm(auto_id=f"utfall_{avtale.pk}_%s")
    return {
        "appointments": rows,
        "may_print_letter": bool(roles & set(selectors.LETTER_ROLES)),
        "can_create_appointment": services.appointment_create_refusal(request.user, deltaker) is None,
    }


def _empty_form_kwargs(deltaker, allowed: list[str], can_refer: bool) -> dict:
    referral = {"office": deltaker.office, "default_sted": services.default_sted(deltaker.office),
                "person": deltaker.person}
    if can_refer:
        referral["default_veileder"] = selectors.default_veileder(deltaker.office)
    return {"transition_form": {"allowed": allowed},
            "malgruppe_form": {"initial": {"malgruppe": deltaker.malgruppe}},
            "referral_form": referral,
            "appointment_form": {"default_sted": services.default_sted(deltaker.office), "person": deltaker.person},
            "veileder_form": {"veiledere": _veileder_choices(deltaker)}}


def _may(request, deltaker, roles: set[str], allowed: list[str]) -> dict:
    """What the user may do on the participant page, each the rule its service applies."""
    awaiting_meeting = deltaker.status in (Lopsstatus.HENVIST, Lopsstatus.IKKE_MOTT)
    return {
        "can_refer": Role.HOVEDVEILEDER in roles and deltaker.status == Lopsstatus.KANDIDAT,
        "awaiting_meeting": awaiting_meeting,
        "can_meet": Role.VEILEDER in roles and awaiting_meeting,
        "can_transition": Role.VEILEDER in roles and bool(allowed),
        # An imported course without its record is started from the mapping page.
        "can_start_mapping": deltaker.status == Lopsstatus.MOTT
        and services.mapping_start_refusal(request.user, deltaker) is None,
        "can_set_malgruppe": bool(roles & {Role.VEILEDER, Role.PROSJEKTLEDER}),
        "can_assign": services.veileder_assign_refusal(request.user, deltaker) is None,
        # The end-of-course survey (issue 16): offered when the course has ended, answered once.
        "survey_shown": deltaker.status == Lopsstatus.AVSLUTTET and bool(roles & set(voice_services.SURVEY_ROLES)),
        "can_answer_survey": voice_services.survey_refusal(request.user, deltaker) is None,
    }


def _veileder_choices(deltaker):
    """Whom the participant may be handed to: the office's active veiledere but the current one."""
    return selectors.active_veiledere([deltaker.office.enhetsnummer]).exclude(pk=deltaker.veileder_id or 0)


def _detail_page(request, deltaker, *, correction=None, huskelapp_undo=None, **forms) -> HttpResponse:
    """The participant page. A refused action passes its bound form (e.g. `journal_form=`, or
    `correction=(entry id, form)` / `huskelapp_undo=(huskelapp id, form)` for a row's own form) to
    be drawn with what was typed and the errors at the fields."""
    roles = selectors.roles_for(request.user, deltaker)
    # Written before anything is rendered: no entry, no page.
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    is_nav = bool(roles - {Role.KAREA})
    allowed = generic_transitions(deltaker.status)
    journal, writes_journal = _journal_rows(request, deltaker, roles, correction)
    can_huskelapp = Role.VEILEDER in roles
    may = _may(request, deltaker, roles, allowed)
    empty_form_kwargs = _empty_form_kwargs(deltaker, allowed, may["can_refer"] and not forms.get("referral_form"))
    context = {
        "deltaker": deltaker,
        "person": deltaker.person,
        "is_nav": is_nav,
        "malgruppe": selectors.malgruppe_label(request.user, deltaker),
        "sees_oskar_malgruppe": selectors.sees_oskar_malgruppe(request.user, deltaker.office.enhetsnummer),
        "household": selectors.sak_members(request.user, deltaker) if is_nav else [],
        "events": selectors.timeline(deltaker),
        "journal": journal,
        "huskelapper": selectors.open_huskelapper(deltaker),
        "done_huskelapper": _done_huskelapper(deltaker, can_huskelapp, huskelapp_undo),
        "done_shown_days": Huskelapp.UNDO_DAYS,
        "can_write_journal": writes_journal,
        "can_huskelapp": can_huskelapp,
        **may,
        **_appointments(request, deltaker, roles),
        "mapping_start_form": MappingStartForm(auto_id="kartleggingstart_%s"),
        "page_sections": [section(request, deltaker) for section in PAGE_SECTIONS],
        **person_details_context(deltaker, roles, forms.get("person_form")),
        **consent_section(deltaker, roles, forms),
        **{name: forms.get(name) or _form(name, **empty_form_kwargs.get(name, {})) for name in FORMS},
    }
    return render(request, "cases/participant_detail.html", context)


# The participant page's status change (the next step after the last activity ended).
STATUS_SECTION = "endre-status"


def prompt_next_step(request, deltaker) -> None:
    """docs/domain.md §3.4: when the last activity of a participant in `i_aktivitet` has ended,
    the page the user lands on asks for the next step, with a link to the status change. Called
    by the actions that end an activity (a placement, a plan activity), after their service."""
    if selectors.needs_next_step(deltaker):
        messages.info(request, format_html(
            'Deltakeren har ingen aktive aktiviteter. Velg neste steg: ny aktivitet eller avslutt løpet. '
            '<a href="{}">Gå til deltakersiden for å endre status</a>',
            _participant_url(deltaker, STATUS_SECTION)))


def _participant_url(deltaker, section: str | None = None) -> str:
    return interaction.with_anchor(reverse("participant-detail", args=[deltaker.pk]), section)


def _post_action(request, pk, roles, form_name, perform, success, *, section=None, form_kwargs=None):
    """Every action of the page's action cards: access, form, service, message, back to the page.
    A refusal draws the page again with the form as typed and the errors at its fields. Steps of
    the course change the page (their card goes away): their message is at the top."""
    deltaker = selectors.get_participant_for_user(request.user, pk, act=roles)
    form = _form(form_name, request.POST, **(form_kwargs(deltaker) if form_kwargs else {}))
    return interaction.act(
        request, form=form, perform=lambda data: perform(deltaker, data),
        success_message=success if isinstance(success, str) else (lambda result: success(form.cleaned_data)),
        redirect_to=reverse("participant-detail", args=[deltaker.pk]), section=section,
        rerender=lambda bound: _detail_page(request, deltaker, **{form_name: bound}),
    )


@login_required
@require_POST
def participant_refer(request, pk):
    return _post_action(
        request, pk, [Role.HOVEDVEILEDER], "referral_form",
        lambda deltaker, data: services.participant_refer(
            deltaker=deltaker, actor=Actor.from_request(request), reason=data["reason"],
            first_appointment=data["first_appointment"], veileder=data["veileder"], sted=data["sted"],
            tolk=data["tolk"], tolkesprak=data["tolkesprak"]),
        lambda data: ("Deltakeren er henvist til Alna Aktiv. Veileder: "
                      f"{data['veileder'].display_name}."),
        form_kwargs=lambda deltaker: {"office": deltaker.office},
    )


@login_required
@require_POST
def appointment_create(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], "appointment_form",
        lambda deltaker, data: services.appointment_create(
            deltaker=deltaker, actor=Actor.from_request(request), starts_at=data["starts_at"], sted=data["sted"],
            tolk=data["tolk"], tolkesprak=data["tolkesprak"]),
        "Avtalen er lagret.", section="avtaler",
    )


@login_required
@require_POST
def participant_meeting(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], "meeting_form",
        lambda deltaker, data: services.participant_register_meeting(
            deltaker=deltaker, actor=Actor.from_request(request), met=data["met"], on_date=data["date"],
            new_appointment=data["new_appointment"]),
        "Møtet er registrert.",
    )


@login_required
@require_POST
def participant_transition(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], "transition_form",
        lambda deltaker, data: services.course_transition(
            deltaker=deltaker, to_state=data["to_state"], on_date=data["date"], actor=Actor.from_request(request),
            rute=data["rute"], utfall=data["utfall"], comment=data["comment"]),
        lambda data: f"Status er endret til «{Lopsstatus(data['to_state']).label}».",
        form_kwargs=lambda deltaker: {"allowed": generic_transitions(deltaker.status)},
    )


@login_required
@require_POST
def participant_journal(request, pk):
    return _post_action(
        request, pk, JOURNAL_WRITERS, "journal_form",
        lambda deltaker, data: services.journal_create(
            deltaker=deltaker, actor=Actor.from_request(request), kind=data["kind"], on_date=data["date"], text=data["text"],
            participants=data["participants"]),
        "Journalnotatet er lagret.", section="notat",
    )


@login_required
@require_POST
def participant_malgruppe(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER, Role.PROSJEKTLEDER], "malgruppe_form",
        lambda deltaker, data: services.participant_set_malgruppe(
            deltaker=deltaker, malgruppe=data["malgruppe"], reason=data["reason"], actor=Actor.from_request(request)),
        "Målgruppen er endret.", section="malgruppe",
    )


@login_required
@require_POST
def participant_veileder(request, pk):
    return _post_action(
        request, pk, selectors.ASSIGN_ROLES, "veileder_form",
        lambda deltaker, data: services.veileder_assign(
            deltakere=[deltaker], to_veileder=data["to_veileder"], reason=data["reason"],
            actor=Actor.from_request(request)),
        lambda data: f"Veileder er byttet til {data['to_veileder'].display_name}.", section="veileder",
        form_kwargs=lambda deltaker: {"veiledere": _veileder_choices(deltaker)},
    )


@login_required
@require_POST
def huskelapp_create(request, pk):
    return _post_action(
        request, pk, [Role.VEILEDER], "huskelapp_form",
        lambda deltaker, data: services.huskelapp_create(
            deltaker=deltaker, actor=Actor.from_request(request), due_date=data["due_date"], comment=data["comment"]),
        "Huskelappen er lagret.", section="huskelapper",
    )


@login_required
@require_POST
def huskelapp_done(request, pk, huskelapp_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=(Role.VEILEDER,))
    lapp = get_object_or_404(Huskelapp, pk=huskelapp_pk, deltaker=deltaker)
    return interaction.act(
        request, perform=lambda data: services.huskelapp_mark_done(huskelapp=lapp, actor=Actor.from_request(request)),
        success_message="Huskelappen er markert som utført. Du kan angre under «Utført de siste "
                        f"{Huskelapp.UNDO_DAYS} dagene».",
        redirect_to=reverse("participant-detail", args=[deltaker.pk]), section="huskelapper",
    )


@login_required
@require_POST
def huskelapp_undo_done(request, pk, huskelapp_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=(Role.VEILEDER,))
    lapp = get_object_or_404(Huskelapp, pk=huskelapp_pk, deltaker=deltaker)
    refusal = services.huskelapp_undo_refusal(lapp)
    if refusal:
        # Not on the done list (open again, or done too long ago): no form there to show it at.
        interaction.refuse(request, refusal, section="huskelapper")
        return redirect(_participant_url(deltaker, "huskelapper"))

    def rerender(bound):
        # Undone meanwhile (another tab, a colleague): the row and its form are gone.
        lapp.refresh_from_db(fields=["done_at"])
        still_done = services.huskelapp_undo_refusal(lapp) is None
        return _detail_page(request, deltaker, huskelapp_undo=(lapp.pk, bound)) if still_done else None

    return interaction.act(
        request, form=_huskelapp_undo_form(lapp, request.POST),
        perform=lambda data: services.huskelapp_undo_done(huskelapp=lapp, actor=Actor.from_request(request),
                                                          reason=data["reason"]),
        success_message="«Utført» er angret. Huskelappen er åpen igjen.",
        redirect_to=reverse("participant-detail", args=[deltaker.pk]), section="huskelapper", rerender=rerender,
    )


@login_required
@require_POST
def journal_correct(request, pk, entry_pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=JOURNAL_WRITERS)
    entry = get_object_or_404(JournalEntry, pk=entry_pk, deltaker=deltaker)
    refusal = services.journal_correct_refusal(entry, request.user)
    if refusal:
        # The page offers no form for this note: the refusal is a message at the journal.
        interaction.refuse(request, refusal, section="journal")
        return redirect(_participant_url(deltaker, "journal"))

    def rerender(bound):
        # Struck meanwhile (another tab): the note has no form any more.
        entry.refresh_from_db(fields=["struck_at"])
        return _detail_page(request, deltaker, correction=(entry.pk, bound)) if entry.struck_at is None else None

    def message(correction) -> str:
        return ("Notatet er rettet. Det opprinnelige står gjennomstreket med begrunnelsen." if correction
                else "Notatet er strøket. Det står gjennomstreket med begrunnelsen.")

    return interaction.act(
        request, form=_correction_form(entry, request.POST),
        perform=lambda data: services.journal_correct(entry=entry, actor=Actor.from_request(request),
                                                      text=data["text"], reason=data["reason"],
                                                      participants=data.get("participants")),
        success_message=message, redirect_to=reverse("participant-detail", args=[deltaker.pk]), section="journal",
        rerender=rerender,
    )
