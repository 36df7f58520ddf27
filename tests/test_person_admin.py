"""Lowering a person's protection is an admin action in the admin site (docs/contracts.md, "Rules for
what an extract may change"): only the admin role, only on persons it may see, written to the
audit log and, when lowering, to the security log."""
import pytest

from alnaaktiv.models import AuditEntry, SecurityEvent

CHANGELIST = "/admin/cases/person/"


def _change(client, person, **fields):
    data = {"adressebeskyttelse": person.adressebeskyttelse, "skjermet": "on" if person.skjermet else ""}
    data.update(fields)
    return client.post(f"{CHANGELIST}{person.pk}/change/", {key: value for key, value in data.items() if value})


@pytest.fixture
def admin_user(users):
    user = users["admin"]
    user.may_see_fortrolig = user.may_see_strengt_fortrolig = user.may_see_skjermet = True
    user.save()
    return user


def test_the_admin_lowers_a_protection_and_it_is_security_logged_and_audited(client, admin_user, make_person):
    person = make_person(navn="Vera Vern", adressebeskyttelse="strengt_fortrolig", skjermet=True)
    client.force_login(admin_user)
    page = client.get(f"{CHANGELIST}{person.pk}/change/")
    assert page.status_code == 200 and "Adressebeskyttelse" in page.content.decode()
    response = _change(client, person, adressebeskyttelse="ugradert", skjermet="", navn="Annet Navn")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.navn, person.adressebeskyttelse, person.skjermet) == ("Vera Vern", "ugradert", False)
    event = SecurityEvent.objects.get()
    assert event.reason == (f"administrator senket beskyttelsen til person {person.pk}: strengt_fortrolig/skjermet "
                            "→ ugradert/ikke skjermet")
    assert (event.username, event.method) == ("admin", "POST") and person.fnr not in event.reason
    assert AuditEntry.objects.filter(action="update", person_fnr=person.fnr, username="admin").count() == 1
    assert AuditEntry.objects.filter(action="read", person_fnr=person.fnr).exists()


def test_raising_a_protection_in_the_admin_is_audited_but_not_a_security_event(client, admin_user, make_person):
    person = make_person()
    client.force_login(admin_user)
    assert _change(client, person, adressebeskyttelse="fortrolig").status_code == 302
    person.refresh_from_db()
    assert person.adressebeskyttelse == "fortrolig"
    assert SecurityEvent.objects.count() == 0
    assert AuditEntry.objects.filter(action="update", person_fnr=person.fnr).count() == 1


def test_an_admin_without_the_permission_does_not_see_the_protected_person(client, users, make_person):
    hidden = make_person(navn="Skjult Person", adressebeskyttelse="strengt_fortrolig")
    make_person(navn="Synlig Person")
    client.force_login(users["admin"])
    body = client.get(CHANGELIST).content.decode()
    assert "Synlig Person" in body and "Skjult Person" not in body and hidden.fnr not in body
    assert client.get(f"{CHANGELIST}{hidden.pk}/change/").status_code == 302  # "finnes ikke"
    _change(client, hidden, adressebeskyttelse="ugradert")
    hidden.refresh_from_db()
    assert hidden.adressebeskyttelse == "strengt_fortrolig"


@pytest.mark.parametrize("role", ["prosjektleder", "veileder", "hovedveileder"])
def test_other_roles_cannot_change_a_protection(client, users, make_person, role):
    person = make_person(adressebeskyttelse="fortrolig")
    client.force_login(users[role])
    assert _change(client, person, adressebeskyttelse="ugradert").status_code == 403
    person.refresh_from_db()
    assert person.adressebeskyttelse == "fortrolig" and SecurityEvent.objects.filter(status=200).count() == 0
