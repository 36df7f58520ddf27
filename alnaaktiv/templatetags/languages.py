"""{{ person.forstesprak|sprak }} → «somali»: a language code's Norwegian name (alnaaktiv.languages)."""
from django import template

from alnaaktiv.languages import language_name

register = template.Library()


@register.filter
def sprak(code) -> str:
    return language_name(code or "")
