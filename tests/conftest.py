import os

import pytest
from django.conf import settings

from alnaaktiv.models import Membership, Office, Role, User
from tests import services


def pytest_report_header(config):
    database = os.environ.get("DATABASE_URL", "SQLite (innebygd)").split("@")[-1]
    redis_ok, redis_detail = services.redis_reachable()
    chromium_ok, chromium_detail = services.chromium_available()
    return [
        f"alnaaktiv: database={database}",
        f"alnaaktiv: redis={'ja' if redis_ok else 'nei'} ({redis_detail})",
        f"alnaaktiv: chromium={'ja' if chromium_ok else 'nei'} ({chromium_detail})",
        f"alnaaktiv: CI={'ja (manglende tjenester feiler)' if services.IN_CI else 'nei (manglende tjenester hoppes over)'}",
    ]


def pytest_configure(config):
    if services.IN_CI and not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise pytest.UsageError("Under CI=true må DATABASE_URL peke på PostgreSQL.")


# get_or_create: a transactional test empties the tables, data migrations' rows included.
@pytest.fixture
def alna(db) -> Office:
    return Office.objects.get_or_create(enhetsnummer="0326", defaults={"name": "NAV Alna"})[0]


@pytest.fixture
def stovner(db) -> Office:
    return Office.objects.get_or_create(enhetsnummer="0328", defaults={"name": "NAV Stovner"})[0]


def make_user(username: str, office: Office, *roles: str, **fields) -> User:
    user = User.objects.create_user(username=username, password="test-passord-123", **fields)
    for role in roles:
        Membership.objects.create(user=user, office=office, role=role)
    return user


@pytest.fixture
def users(alna, stovner) -> dict[str, User]:
    """One user per role in Alna (named after the role), a Stovner veileder, and a user with no role."""
    named = {
        role: make_user(role, alna, role, is_staff=role == Role.ADMIN)
        for role in Role.values
    }
    named["veileder_stovner"] = make_user("veileder_stovner", stovner, Role.VEILEDER)
    named["uten_rolle"] = make_user("uten_rolle", alna)
    return named


@pytest.fixture
def make_person(db):
    from alnaaktiv.fnr import KVINNE, make_synthetic_fnr
    from cases.models import Person

    counter = {"n": 0}

    def factory(**fields) -> Person:
        import datetime
        import random

        counter["n"] += 1
        rng = random.Random(counter["n"])
        fields.setdefault("fnr", make_synthetic_fnr(datetime.date(1990, 1, counter["n"]), KVINNE, rng))
        fields.setdefault("navn", f"Testperson Nummer{counter['n']}")
        return Person.objects.create(**fields)

    return factory


@pytest.fixture
def make_deltaker(make_person, alna):
    """A participant whose course went through `path` (states), one day apart from `start`."""
    import datetime

    from cases.models import CourseEvent, Deltaker

    def factory(path=("kandidat",), *, office=None, start=datetime.date(2026, 1, 5), person=None, **fields):
        deltaker = Deltaker.objects.create(
            person=person or make_person(), office=office or alna, status=path[-1],
            status_dato=start + datetime.timedelta(days=len(path) - 1), **fields,
        )
        for offset, state in enumerate(path):
            CourseEvent.objects.create(
                deltaker=deltaker, state=state, date=start + datetime.timedelta(days=offset),
                rute="arbeidsboks" if state == "avklart" else "", utfall="arbeid" if state == "avsluttet" else "",
            )
        return deltaker

    return factory
