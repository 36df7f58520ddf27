"""The participant page's «Språk, utdanning og kontakt»: what it shows each role and its edit
form (issue 16). The page itself is cases.views.participants."""
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.views.decorators.http import require_POST

from alnaaktiv import interaction
from alnaaktiv.actor import Actor
from cases import selectors
from cases.forms.persons import PersonDetailsForm
from cases.services.persons import PERSON_DETAILS_CONFLICT, person_details_seen, person_update_details

SECTION = "sprak"
# NAV's roles in the participant's office edit the details and see all of them; KAREA sees the
# language and the interpreter need (it holds meetings with the participant) but neither the
# education nor the contact details, and edits nothing.
EDITORS = selectors.NAV_PARTICIPANT_ROLES


def _form(person, data=None) -> PersonDetailsForm:
    return PersonDetailsForm(data, person=person, seen=person_details_seen(person), auto_id="person_%s")


def person_details_context(deltaker, roles: set[str], bound: PersonDetailsForm | None = None) -> dict:
    """The section's part of the participant page's context; no query (the person is loaded)."""
    may_edit = bool(roles & set(EDITORS))
    return {
        "sees_person_details": may_edit,
        "may_edit_person": may_edit,
        "person_form": (bound or _form(deltaker.person)) if may_edit else None,
    }


@login_required
@require_POST
def participant_person_details(request, pk):
    # cases.views.participants draws the page and imports this module for its context.
    from cases.views.participants import _detail_page  # noqa: PLC0415 — the page module imports this one

    deltaker = selectors.get_participant_for_user(request.user, pk, act=EDITORS)
    form = _form(deltaker.person, request.POST)

    def rerender(bound):
        # Saved by someone else meanwhile: the page is drawn anew with what they saved.
        if PERSON_DETAILS_CONFLICT in bound.non_field_errors():
            return None
        return _detail_page(request, deltaker, person_form=bound)

    return interaction.act(
        request, form=form,
        perform=lambda data: person_update_details(
            deltaker=deltaker, actor=Actor.from_request(request), seen=data["seen"],
            forstesprak=data["forstesprak"], tolk=data["tolk"], tolkesprak=data["tolkesprak"],
            utdanningsniva=data["utdanningsniva"], utdanning_godkjent=data["utdanning_godkjent"],
            telefon=data["telefon"], epost=data["epost"], skriftsprak=data["skriftsprak"]),
        success_message="Språk, utdanning og kontaktopplysninger er lagret.",
        redirect_to=reverse("participant-detail", args=[deltaker.pk]), section=SECTION, rerender=rerender,
    )
