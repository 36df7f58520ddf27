"""The participant page's vilkår section (composed into the cases page by the frame,
alnaaktiv.frame.compose_participant_page), and job applications the veileder registers there."""
from django.contrib.auth.decorators import login_required
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from alnaaktiv import access, interaction
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases import selectors as cases_selectors
from cases.views import participants as participant_page
from conditions import selectors, services
from conditions.forms import ApplicationsForm
from conditions.models import Tilbud, VilkarStatus

SECTION = "vedtak-og-vilkar"
# A refused applications form, kept on the request while the participant page is drawn again.
REFUSED_FORM = "_conditions_applications_form"


def participant_section(request, deltaker) -> str:
    """The person's vedtak with their vilkår (each with its offer), documentation (with its
    source), lifting and payout for the vedtak unit, leaders and the project leader; the
    activity vilkår for the follow-up veileder, who may register job applications on a
    job-search vilkår; nothing at all (no heading either) for KAREA and the hovedveileder. The
    page has already written the read entry for the person."""
    overview = selectors.participant_overview(request.user, deltaker)
    if overview is None:
        return ""
    today = timezone.localdate()
    rows = [*overview["vilkar"], *(item for vedtak in overview["vedtak"] for item in vedtak.person_vilkar)]
    for vilkar in rows:
        vilkar.broken = services.vilkar_broken(vilkar, today)
    refused = getattr(request, REFUSED_FORM, None)
    may_register = refused is not None or (
        access.has_role(request.user, Role.VEILEDER, office=deltaker.office.enhetsnummer)
        and any(item.tilbud == Tilbud.JOBBSOKING and item.status == VilkarStatus.APEN for item in rows))
    form = refused or ApplicationsForm(auto_id="soknader_%s")
    return render_to_string("conditions/_participant_section.html",
                            {"overview": overview, "deltaker": deltaker, "may_register_applications": may_register,
                             "applications_form": form, **selectors.STATUS_ENUMS}, request=request)


@login_required
@require_POST
def applications_register(request, pk):
    """«Registrer jobbsøknader»: the follow-up veileder of the office (not KAREA) registers a
    participant's applications; they land on the person's open job-search vilkår to be assessed."""
    deltaker = cases_selectors.get_participant_for_user(request.user, pk, act=(Role.VEILEDER,))

    def rerender(form):
        setattr(request, REFUSED_FORM, form)
        return participant_page._detail_page(request, deltaker)

    return interaction.act(
        request, form=ApplicationsForm(request.POST, auto_id="soknader_%s"),
        perform=lambda data: services.applications_register(deltaker=deltaker, actor=Actor.from_request(request),
                                                            soknader=data["soknader"]),
        success_message=lambda documents: "Jobbsøknadene er registrert på vilkåret om jobbsøking.",
        redirect_to=reverse("participant-detail", args=[pk]), section=SECTION, rerender=rerender,
    )
