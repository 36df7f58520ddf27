"""Parsing the options every app's commands share (--office, dates), with the Norwegian refusal of
docs/contracts.md."""
import datetime

from django.core.management.base import CommandError

from alnaaktiv.dates import parse_date
from alnaaktiv.models import Office


def office_option(enhetsnummer: str) -> Office:
    office = Office.objects.filter(enhetsnummer=enhetsnummer).first()
    if office is None:
        raise CommandError(f"Ukjent kontor «{enhetsnummer}».")
    return office


def date_option(name: str, value: str) -> datetime.date:
    try:
        return parse_date(value)
    except ValueError as error:
        raise CommandError(f"{name}: {error}") from None
