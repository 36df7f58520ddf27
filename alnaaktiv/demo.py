"""Synthetic demo data: users per role and households with synthetic fødselsnumre. The same
seed always gives the same people, so running seed_demo twice changes nothing."""
import datetime
import random

from django.db import transaction

from alnaaktiv.fnr import KVINNE, MANN, make_synthetic_fnr
from alnaaktiv.models import Membership, Office, Role, User
from cases.models import Person, Sak

DEMO_PASSWORD = "alnaaktiv-demo"
OFFICES = [("0326", "NAV Alna"), ("0328", "NAV Stovner")]
ALNA, STOVNER = "0326", "0328"

# username, first name, last name, office, roles
DEMO_USERS = [
    ("veileder", "Vera", "Veileder", ALNA, [Role.VEILEDER]),
    ("hovedveileder", "Hans", "Hovedveileder", ALNA, [Role.HOVEDVEILEDER]),
    ("vedtak", "Vilde", "Vedtak", ALNA, [Role.VEDTAK]),
    ("leder", "Leif", "Leder", ALNA, [Role.LEDER]),
    ("prosjektleder", "Pia", "Prosjektleder", ALNA, [Role.PROSJEKTLEDER]),
    ("controller", "Conny", "Controller", ALNA, [Role.CONTROLLER]),
    ("karea", "Kari", "KAREA", ALNA, [Role.KAREA]),
    ("admin", "Ada", "Admin", ALNA, [Role.ADMIN]),
    ("veileder_stovner", "Stian", "Veileder Stovner", STOVNER, [Role.VEILEDER]),
]

FIRST_NAMES = {
    KVINNE: ["Amina", "Ingrid", "Fatima", "Sara", "Nora", "Hodan", "Maria", "Aisha", "Emma", "Zahra", "Liv", "Mariam"],
    MANN: ["Ahmed", "Ole", "Mohammed", "Jonas", "Ali", "Lars", "Omar", "Per", "Yusuf", "Kristian", "Tariq", "Erik"],
}
LAST_NAMES = ["Hansen", "Ali", "Johansen", "Hassan", "Olsen", "Mohamed", "Larsen", "Nguyen", "Berg", "Khan",
              "Andersen", "Farah", "Pedersen", "Rahman", "Nilsen", "Yilmaz"]
BACKGROUNDS = ["norge", "norge", "oecd", "ikke_oecd", "ikke_oecd", "ikke_oecd", "ukjent"]


def _person(rng: random.Random, gender: str, min_age: int, max_age: int, today: datetime.date) -> dict:
    birth = today - datetime.timedelta(days=rng.randint(min_age * 365 + 30, max_age * 365 - 30))
    return {
        "fnr": make_synthetic_fnr(birth, gender, rng),
        "navn": f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}",
        "landbakgrunn": rng.choice(BACKGROUNDS),
    }


def household_specs(office: str, count: int, seed: int) -> list[dict]:
    """Deterministic households: a reference date fixed in the code keeps ages stable."""
    rng = random.Random(seed)
    today = datetime.date(2026, 1, 1)
    specs = []
    for number in range(1, count + 1):
        gender = rng.choice([KVINNE, MANN])
        youth = number % 6 == 0
        main = _person(rng, gender, 20 if youth else 25, 25 if youth else 62, today)
        spouse = None
        if not youth and rng.random() < 0.35:
            spouse = _person(rng, MANN if gender == KVINNE else KVINNE, 25, 62, today)
            spouse["landbakgrunn"] = main["landbakgrunn"]
        if number == 7:
            main["adressebeskyttelse"] = "fortrolig"
        if number == 11:
            main["adressebeskyttelse"] = "strengt_fortrolig"
        if number == 13:
            main["skjermet"] = True
        specs.append({
            "saksnummer": f"{office}-{number:04d}",
            "inntektstype": "hovedinntekt" if rng.random() < 0.7 else "supplerende",
            "antall_barn": rng.choice([0, 0, 1, 2, 3]),
            "hovedperson": main,
            "ektefelle": spouse,
        })
    return specs


def _get_or_create_person(spec: dict) -> Person:
    person = Person.objects.filter(fnr=spec["fnr"]).first()
    if person is None:
        person = Person(**spec)
        person.full_clean()
        person.save()
    return person


@transaction.atomic
def seed_demo() -> dict:
    offices = {}
    for enhetsnummer, name in OFFICES:
        offices[enhetsnummer], _ = Office.objects.get_or_create(enhetsnummer=enhetsnummer, defaults={"name": name})
    created_users = 0
    for username, first, last, office, roles in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            # The admin role, not superuser status, opens the admin site for the app's models.
            user.is_staff = Role.ADMIN in roles
            user.save()
            created_users += 1
        for role in roles:
            Membership.objects.get_or_create(user=user, office=offices[office], role=role)
    created_cases = 0
    for office, count, seed in [(ALNA, 45, 326), (STOVNER, 15, 328)]:
        for spec in household_specs(office, count, seed):
            if Sak.objects.filter(office=offices[office], saksnummer=spec["saksnummer"]).exists():
                continue
            Sak.objects.create(
                office=offices[office],
                saksnummer=spec["saksnummer"],
                inntektstype=spec["inntektstype"],
                antall_barn=spec["antall_barn"],
                hovedperson=_get_or_create_person(spec["hovedperson"]),
                ektefelle=_get_or_create_person(spec["ektefelle"]) if spec["ektefelle"] else None,
            )
            created_cases += 1
    return {"users": created_users, "cases": created_cases}
