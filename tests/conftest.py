import os

import pytest
from django.conf import settings

from alnaaktiv.models import Office, User
from cases.models import Deltaker
from tests import factories, services


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
    return factories.OfficeFactory(enhetsnummer="0326")


@pytest.fixture
def stovner(db) -> Office:
    return factories.OfficeFactory(enhetsnummer="0328")


@pytest.fixture
def users(alna, stovner) -> dict[str, User]:
    """One user per role in Alna (named after the role), a Stovner veileder, and a user with no role."""
    return factories.named_users(alna, stovner)


@pytest.fixture
def make_person(db):
    """make_person(**fields): a person of 40 with a fødselsnummer not used before (factories.PersonFactory)."""
    return factories.PersonFactory


@pytest.fixture
def make_deltaker(alna):
    """A participant whose course went through `path` (states), one day apart from `start`. A
    referred one has given consent to share with KAREA on the first day, as most do at the referral
    (KAREA sees no one without it, issue 16); `samtykke=False` for one who has not, `samtykke=True`
    for a candidate who has."""

    def factory(path=("kandidat",), *, start=factories.COURSE_START, samtykke=None, **fields) -> Deltaker:
        deltaker = factories.deltaker_with_course(factories.path_events(path, start), **fields)
        if samtykke or (samtykke is None and tuple(path) != ("kandidat",)):
            factories.with_consent(deltaker, gitt_dato=start)
        return deltaker

    return factory
