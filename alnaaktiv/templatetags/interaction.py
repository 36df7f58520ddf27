"""Messages where the user acted: {% section_messages "id" %} inside a section shows the messages
of that section; {% page_messages %} at the top of the page shows the rest."""
from django import template

from alnaaktiv.interaction import SECTION_TAG

register = template.Library()


def _section(message) -> str:
    for tag in (message.extra_tags or "").split():
        if tag.startswith(SECTION_TAG):
            return tag[len(SECTION_TAG):]
    return ""


@register.inclusion_tag("alnaaktiv/_messages.html", takes_context=True)
def section_messages(context, section: str):
    found = [message for message in context.get("messages", []) if _section(message) == section]
    return {"found": found}


@register.inclusion_tag("alnaaktiv/_messages.html", takes_context=True)
def page_messages(context):
    found = [message for message in context.get("messages", []) if not _section(message)]
    return {"found": found}


@register.inclusion_tag("alnaaktiv/_form_errors.html")
def form_errors(form, summary=True):
    """The form's own summary (role=alert) for a refused form, then its non-field errors."""
    errors = form.errors if form.is_bound else {}
    return {"form": form, "summary": summary and bool(errors),
            "field_errors": any(name != "__all__" for name in errors)}
