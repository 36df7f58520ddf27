"""Issue 14, part 6: one participant overview. The participant page shows the person's vedtak
with their vilkår, due dates, documentation and payout to the roles that read vedtak in the
office (the project leader, or a vedtak/leader user who also works with participants); the
follow-up veileder sees the activity vilkår only; the hovedveileder and KAREA see none of it (no
heading either), the controller and the vedtak unit have no participant page. The vedtak page
links back to the participant page where the user may open it."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases.models import Deltaker
from conditions import services
from tests import conditions_data
from tests.factories import DeltakerFactory, PersonFactory, SakFactory, role_user

HEADINGS = ("Vedtak og vilkår", "Aktivitetsvilkår")
DOCUMENT_VILKAR = "Lever kvittering for husleie"
ACTIVITY_VILKAR = "Søk 2 jobber per uke innen renhold"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def household(alna, users):
    """A participant with a granted vedtak (a documentation vilkår with a document not yet
    assessed, and an activity vilkår) and a vedtak lifted and released for payout."""
    case = conditions_data.sak(alna)
    open_vedtak = conditions_data.vedtak(case, users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    services.document_register(vilkar=open_vedtak.vilkar.get(kind="dokumentasjon"), actor=Actor.for_user(users["vedtak"]),
                               type="husleie", mottatt=conditions_data.TODAY)
    lifted = conditions_data.vedtak(case, users["vedtak"], soknad=datetime.date(2026, 1, 10))
    conditions_data.fulfil(lifted, users["vedtak"])
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=lifted, actor=Actor.for_user(users["vedtak"])),
                             actor=Actor.for_user(users["leder"]))
    return {"deltaker": Deltaker.objects.get(sak=case), "open": open_vedtak, "lifted": lifted}


def _page(client, user, deltaker):
    client.force_login(user)
    return client.get(reverse("participant-detail", args=[deltaker.pk]))


def test_the_project_leader_sees_the_vedtak_with_vilkar_documentation_and_payout(client, users, household):
    body = _page(client, users["prosjektleder"], household["deltaker"]).content.decode()
    assert "Vedtak og vilkår" in body
    for made in (household["open"], household["lifted"]):
        assert f'href="{reverse("vedtak-detail", args=[made.pk])}"' in body
    assert DOCUMENT_VILKAR in body and ACTIVITY_VILKAR in body and "09.03.2026" in body  # due date
    assert "Dokumentasjon mottatt, ikke vurdert" in body and "Dokumentasjon godkjent" in body
    assert "Venter på dokumentasjon" in body and "Opphevet" in body
    assert "Utbetaling: holdt tilbake" in body and "Utbetaling: frigitt til fellestjenesten" in body


def test_a_vedtak_user_who_also_follows_participants_sees_the_vedtak_too(client, alna, household):
    both = role_user("vedtak_og_veileder", alna, Role.VEDTAK, Role.VEILEDER)
    body = _page(client, both, household["deltaker"]).content.decode()
    assert "Vedtak og vilkår" in body and "Utbetaling: holdt tilbake" in body


def test_the_veileder_sees_only_the_activity_vilkar_linking_to_their_assessment(client, users, household):
    body = _page(client, users["veileder"], household["deltaker"]).content.decode()
    activity = household["open"].vilkar.get(kind="aktivitet")
    assert "Aktivitetsvilkår" in body and ACTIVITY_VILKAR in body
    assert f'href="{reverse("vilkar-assess", args=[activity.pk])}"' in body
    assert DOCUMENT_VILKAR not in body and "Utbetaling" not in body and "Vedtak og vilkår" not in body
    assert reverse("vedtak-detail", args=[household["open"].pk]) not in body


@pytest.mark.parametrize("role", ["hovedveileder", "karea"])
def test_the_hovedveileder_and_karea_see_nothing_of_it(client, users, household, role):
    deltaker = household["deltaker"]
    deltaker.status = "i_aktivitet"  # enrolled: KAREA sees the page
    response = _page(client, users[role], deltaker)
    body = response.content.decode()
    assert response.status_code == 200
    assert not any(heading in body for heading in HEADINGS)
    assert ACTIVITY_VILKAR not in body and DOCUMENT_VILKAR not in body and "Utbetaling" not in body


@pytest.mark.parametrize("role", ["controller", "vedtak", "leder"])
def test_roles_without_participant_pages_get_none(client, users, household, role):
    assert _page(client, users[role], household["deltaker"]).status_code == 403


def test_another_offices_user_gets_no_page_and_another_offices_vedtak_is_not_shown(client, users, alna, stovner,
                                                                                household):
    assert _page(client, users["veileder_stovner"], household["deltaker"]).status_code == 404
    person = household["deltaker"].person
    stovner_vedtak = conditions_data.vedtak(SakFactory(office=stovner, hovedperson=person),
                                            role_user("vedtak_stovner", stovner, Role.VEDTAK))
    body = _page(client, users["prosjektleder"], household["deltaker"]).content.decode()
    assert reverse("vedtak-detail", args=[stovner_vedtak.pk]) not in body


def test_a_vedtak_with_a_protected_ektefelle_is_left_out(client, users, alna):
    spouse = PersonFactory(adressebeskyttelse="fortrolig")
    case = SakFactory(office=alna, hovedperson=PersonFactory(), ektefelle=spouse)
    deltaker = DeltakerFactory(person=case.hovedperson, office=alna, sak=case, status="i_aktivitet",
                               status_dato=conditions_data.TODAY)
    made = conditions_data.vedtak(case, users["vedtak"])
    link = reverse("vedtak-detail", args=[made.pk])
    body = _page(client, users["prosjektleder"], deltaker).content.decode()
    assert "Vedtak og vilkår" in body and link not in body and DOCUMENT_VILKAR not in body
    users["prosjektleder"].may_see_fortrolig = True
    users["prosjektleder"].save()
    assert link in _page(client, users["prosjektleder"], deltaker).content.decode()


def test_the_page_runs_a_fixed_number_of_queries_however_many_vedtak(client, users, household,
                                                                      django_assert_num_queries):
    deltaker = household["deltaker"]
    client.force_login(users["prosjektleder"])
    url = reverse("participant-detail", args=[deltaker.pk])
    client.get(url)
    # the participant page's own and its Arbeidsboks section's (tests/test_participants.py), and
    # the vedtak section's three: vedtak, the person's vilkår, their documentation; and issue 14's
    # appointments, assignments and the veiledere of «Bytt veileder», and issue 15's group courses
    # + the courses «Meld på kurs» offers; + the signed § 14 a versions and their complaints, and
    # the consents to share with KAREA (issue 16)
    with django_assert_num_queries(29):
        client.get(url)
    for day in range(3):
        conditions_data.vedtak(deltaker.sak, users["vedtak"], vilkar=("dokumentasjon", "aktivitet"),
                               soknad=datetime.date(2026, 2, 1 + day))
    with django_assert_num_queries(29):
        body = client.get(url).content.decode()
    assert body.count("Vedtak – sak") == 5


def test_the_vedtak_page_links_back_only_where_the_participant_page_opens(client, users, alna, household):
    made = household["open"]
    link = f'href="{reverse("participant-detail", args=[household["deltaker"].pk])}"'
    client.force_login(users["prosjektleder"])
    assert link in client.get(reverse("vedtak-detail", args=[made.pk])).content.decode()
    client.force_login(users["vedtak"])  # the vedtak unit has no participant pages: no link
    body = client.get(reverse("vedtak-detail", args=[made.pk])).content.decode()
    assert "Vedtak – sak" in body and link not in body and "deltakersiden" not in body
    client.force_login(role_user("vedtak_og_veileder", alna, Role.VEDTAK, Role.VEILEDER))
    assert link in client.get(reverse("vedtak-detail", args=[made.pk])).content.decode()
