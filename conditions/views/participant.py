"""The participant page's vilkår section (composed into the cases page by the frame,
alnaaktiv.frame.compose_participant_page)."""
from django.template.loader import render_to_string
from django.utils import timezone

from conditions import selectors, services


def participant_section(request, deltaker) -> str:
    """The person's vedtak with their vilkår, documentation, lifting and payout for the vedtak
    unit, leaders and the project leader; the activity vilkår for the follow-up veileder; nothing
    at all (no heading either) for KAREA and the hovedveileder. The page has already written the
    read entry for the person."""
    overview = selectors.participant_overview(request.user, deltaker)
    if overview is None:
        return ""
    today = timezone.localdate()
    for vilkar in [*overview["vilkar"], *(item for vedtak in overview["vedtak"] for item in vedtak.person_vilkar)]:
        vilkar.broken = services.vilkar_broken(vilkar, today)
    return render_to_string("conditions/_participant_section.html",
                            {"overview": overview, "deltaker": deltaker, **selectors.STATUS_ENUMS}, request=request)
