"""The end-of-course survey (brukerundersøkelse), filled in by the participant with the
veileder's help once the course has ended, and the project leader's page of the survey's free
texts (office and month, no names)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases import selectors
from cases.forms.voice import SurveyForm
from cases.selectors import voice as voice_selectors
from cases.services import voice as voice_services

SECTION = "brukerundersokelse"


def _participant_url(deltaker) -> str:
    return interaction.with_anchor(reverse("participant-detail", args=[deltaker.pk]), SECTION)


def _survey_page(request, deltaker, form) -> object:
    audit.record_read(request, person=deltaker.person, obj=deltaker, office=deltaker.office.enhetsnummer)
    return render(request, "cases/survey.html", {"deltaker": deltaker, "person": deltaker.person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def survey(request, pk):
    deltaker = selectors.get_participant_for_user(request.user, pk, act=voice_services.SURVEY_ROLES)
    refusal = voice_services.survey_refusal(request.user, deltaker)
    if refusal is not None:
        # Answered already (or the course is not over): there is no form to show.
        interaction.refuse(request, refusal, section=SECTION)
        return redirect(_participant_url(deltaker))
    if request.method == "GET":
        return _survey_page(request, deltaker, SurveyForm(auto_id="undersokelse_%s"))
    form = SurveyForm(request.POST, auto_id="undersokelse_%s")
    return interaction.act(
        request, form=form,
        perform=lambda data: voice_services.survey_answer(
            deltaker=deltaker, actor=Actor.from_request(request), answers=form.answers(), fritekst=data["fritekst"]),
        success_message="Takk! Svaret på brukerundersøkelsen er lagret uten navn.",
        redirect_to=reverse("participant-detail", args=[deltaker.pk]), section=SECTION,
        rerender=lambda bound: _survey_page(request, deltaker, bound),
    )


@access.role_required(Role.PROSJEKTLEDER)
@require_GET
def survey_free_texts(request):
    """What participants wrote in the survey's free text, by office and month: no names, no link
    to anyone, so no audit entry for a person."""
    return render(request, "cases/survey_free_texts.html",
                  {"rows": voice_selectors.survey_free_texts(request.user)})
