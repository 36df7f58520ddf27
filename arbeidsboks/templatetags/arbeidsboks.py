"""The participant page's Arbeidsboks section, next to the mapping. The page has already written
the read entry for the person; this adds three queries."""
from django import template

from alnaaktiv import access
from arbeidsboks import selectors, services

register = template.Library()


@register.inclusion_tag("arbeidsboks/_participant_section.html", takes_context=True)
def arbeidsboks_participant(context, deltaker):
    user = context["request"].user
    section = selectors.participant_section(deltaker)
    section["may_work"] = access.has_role(user, *selectors.WORKERS, office=deltaker.office.enhetsnummer) and (
        deltaker.status not in services.NOT_ENROLLED)
    return {"section": section, "deltaker": deltaker}
