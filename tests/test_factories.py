"""Every factory builds a row the models accept as it is (full_clean), so a test that changes one
field knows the rest are valid."""
import datetime

import pytest

from alnaaktiv.fnr import parse_fnr
from alnaaktiv.models import Role
from tests import factories


def age_on(person, day: datetime.date) -> int:
    born = parse_fnr(person.fnr).birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


FACTORIES = [
    factories.OfficeFactory, factories.UserFactory, factories.MembershipFactory, factories.PersonFactory,
    factories.SakFactory, factories.DeltakerFactory, factories.CourseEventFactory, factories.VedtakFactory,
    factories.VilkarFactory, factories.OpphevingFactory, factories.VirksomhetFactory,
    factories.ArbeidsomradeFactory, factories.PlasseringFactory, factories.FrammoteFactory, factories.SamtykkeFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda factory: factory.__name__)
def test_the_factory_builds_a_valid_row(db, factory):
    row = factory()
    row.full_clean()


def test_a_role_user_has_its_roles_in_its_office_and_the_shared_password(alna):
    user = factories.role_user("leder_test", alna, Role.LEDER, Role.VEDTAK)
    assert set(user.memberships.values_list("office__enhetsnummer", "role")) == {("0326", "leder"), ("0326", "vedtak")}
    assert user.check_password(factories.PASSWORD)


def test_a_person_is_the_age_asked_for_with_a_fodselsnummer_not_used_before(db):
    young, old = factories.PersonFactory(age=24), factories.PersonFactory()
    assert (age_on(young, factories.AGE_DAY), age_on(old, factories.AGE_DAY)) == (24, 40)
    assert young.fnr != old.fnr
