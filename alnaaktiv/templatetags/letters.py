"""Dates and amounts in letters, as the active letter language writes them (alnaaktiv.letters)."""
from django import template

from alnaaktiv import letters

register = template.Library()


@register.filter
def brevdato(value) -> str:
    return letters.letter_date(value)


@register.filter
def brevukedag(value) -> str:
    return letters.letter_weekday_date(value)


@register.filter
def brevbelop(value) -> str:
    return "" if value is None else letters.amount(value)
