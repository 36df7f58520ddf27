import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from alnaaktiv.access import offices, roles
from alnaaktiv.demo import DEMO_USERS
from alnaaktiv.models import AuditEntry, Office, Role, User
from arbeidsboks.models import Gruppekurs, Kursdeltakelse, Kursoppmote
from cases.models import Deltaker, Person, Sak, Samtykke
from cases.selectors import participants_for_user


def test_offices_exist_right_after_migrate(db):
    assert list(Office.objects.values_list("enhetsnummer", "name")) == [("0326", "NAV Alna"), ("0328", "NAV Stovner")]


def test_seed_demo_creates_one_user_per_role_and_households_in_both_offices(db, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "alnaaktiv-demo" in output
    for role in Role.values:
        user = User.objects.get(username=role)
        assert roles(user) == {role} and offices(user) == {"0326"}
        assert user.check_password("alnaaktiv-demo")
        assert role in output
    assert roles(User.objects.get(username="veileder_stovner")) == {"veileder"}
    assert offices(User.objects.get(username="veileder_stovner")) == {"0328"}
    assert Sak.objects.filter(office__enhetsnummer="0326").count() == 45
    assert Sak.objects.filter(office__enhetsnummer="0328").count() == 15
    assert Sak.objects.exclude(ektefelle=None).exists()
    assert Person.objects.filter(adressebeskyttelse="strengt_fortrolig").exists()
    assert Person.objects.filter(skjermet=True).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = (User.objects.count(), Person.objects.count(), Sak.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Person.objects.count(), Sak.objects.count(), AuditEntry.objects.count()) == before
    assert before[0] == len(DEMO_USERS)


def test_seed_demo_only_uses_synthetic_numbers(db):
    call_command("seed_demo")
    assert all(int(fnr[2:4]) > 40 for fnr in Person.objects.values_list("fnr", flat=True))


def test_seed_demo_refuses_to_run_without_synthetic_numbers_allowed(db):
    with override_settings(ALLOW_SYNTHETIC_FNR=False), pytest.raises(CommandError, match="aldri i produksjon"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_has_group_courses_with_a_waiting_list_and_attendance(db):
    call_command("seed_demo")
    assert set(Gruppekurs.objects.values_list("navn", flat=True)) == {"Jobbklubb", "Trim og avspenning", "Norskkurs A2"}
    assert Kursdeltakelse.objects.filter(status="venteliste", kurs__navn="Norskkurs A2").count() == 1
    assert Kursdeltakelse.objects.filter(status="pameldt").count() >= 6
    assert Kursoppmote.objects.filter(oppmote="mott").exists()


def test_seed_demo_shows_first_languages_interpreter_needs_and_education(db):
    call_command("seed_demo")
    languages = set(Person.objects.exclude(forstesprak="").values_list("forstesprak", flat=True))
    assert {"nb", "so", "ar", "pl"} <= languages and len(languages) >= 6
    assert Person.objects.filter(tolk=True).count() >= 5 and Person.objects.filter(tolk=False).exists()
    assert Person.objects.filter(tolk=None).exists()  # an empty cell: not known
    levels = set(Person.objects.values_list("utdanningsniva", flat=True))
    assert len(levels) >= 4


def test_seed_demo_shows_consent_given_never_given_and_withdrawn_and_karea_sees_only_the_first(db):
    call_command("seed_demo")
    karea = User.objects.get(username="karea")
    referred = Deltaker.objects.filter(office__enhetsnummer="0326").exclude(status="kandidat")
    without = referred.exclude(samtykker__isnull=False)
    withdrawn = referred.filter(samtykker__trukket_at__isnull=False)
    assert without.count() == 1 and withdrawn.count() == 1
    assert not withdrawn.filter(samtykker__trukket_at__isnull=True).exists()
    # KAREA never sees a protected or skjermet person, consent or not (the demo has some among the
    # referred); the two without consent are ordinary persons, so consent alone hides them
    ordinary = referred.filter(person__adressebeskyttelse="ugradert", person__skjermet=False)
    assert ordinary.count() < referred.count()
    hidden = [*without.values_list("pk", flat=True), *withdrawn.values_list("pk", flat=True)]
    assert ordinary.filter(pk__in=hidden).count() == 2
    seen = set(participants_for_user(karea).values_list("pk", flat=True))
    assert seen == set(ordinary.exclude(pk__in=hidden).values_list("pk", flat=True))
    assert len(seen) == ordinary.count() - 2 and Samtykke.objects.filter(trukket_at__isnull=True).count() > len(seen)
