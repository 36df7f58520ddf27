"""Synthetic demo data: users per role and households with synthetic fødselsnumre. The same
seed always gives the same people, so running seed_demo twice changes nothing."""
import datetime
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.fnr import KVINNE, MANN, make_synthetic_fnr
from alnaaktiv.models import Membership, Office, Role, User
from arbeidsboks.demo import seed_arbeidsboks, seed_courses
from cases import demo_mapping, services
from cases.imports import import_registers
from cases.models import Deltaker, Person, Sak, SamtykkeMate
from cases.models.consent import DEFAULT_OMFANG
from conditions.demo import seed_conditions
from reporting.services import monthly_reports_fill, targets_ensure_prestudy

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


# Households whose main person is protected or skjermet, so the demo shows how they are hidden.
PROTECTED_HOUSEHOLDS = {
    7: {"adressebeskyttelse": "fortrolig"},
    11: {"adressebeskyttelse": "strengt_fortrolig"},
    13: {"skjermet": True},
}


def household_specs(office: str, count: int, seed: int) -> list[dict]:
    """Deterministic households: a reference date fixed in the code keeps ages stable."""
    rng = random.Random(seed)
    today = datetime.date(2026, 1, 1)
    specs = []
    for number in range(1, count + 1):
        gender = rng.choice([KVINNE, MANN])
        # Every sixth household is a young person (20–24) on their own.
        youth = number % 6 == 0
        main = _person(rng, gender, 20 if youth else 25, 25 if youth else 62, today)
        spouse = None if youth else _maybe_spouse(rng, main, gender, today)
        main.update(PROTECTED_HOUSEHOLDS.get(number, {}))
        specs.append({
            "saksnummer": f"{office}-{number:04d}",
            "inntektstype": "hovedinntekt" if rng.random() < 0.7 else "supplerende",
            "antall_barn": rng.choice([0, 0, 1, 2, 3]),
            "hovedperson": main,
            "ektefelle": spouse,
        })
    return specs


def _maybe_spouse(rng: random.Random, main: dict, gender: str, today: datetime.date) -> dict | None:
    """About a third of the adult households have a spouse, of the other gender and with the
    main person's country background."""
    if rng.random() >= 0.35:
        return None
    spouse = _person(rng, MANN if gender == KVINNE else KVINNE, 25, 62, today)
    spouse["landbakgrunn"] = main["landbakgrunn"]
    return spouse


REGISTER_DATE = datetime.date(2026, 1, 1)
# First languages by country background (issue 16), as the Oskar extract sends them, and how
# often each background needs an interpreter. A separate random stream: the households stay as
# they were before the languages came.
LANGUAGES_BY_BACKGROUND = {
    "norge": ["nb", "nb", "nb", "nb", "nn"],
    "oecd": ["pl", "pl", "lt", "sv", "en", "es"],
    "ikke_oecd": ["so", "so", "ar", "ar", "ur", "ti", "fa", "ku", "vi", "ta", "am", "ps"],
    "ukjent": ["", "", "so", "ar"],
}
INTERPRETER_SHARE = {"norge": 0.0, "oecd": 0.25, "ikke_oecd": 0.45, "ukjent": 0.3}
EDUCATION_LEVELS = ["ingen", "ungdomsskole", "ungdomsskole", "videregaende", "yrkesfag", "hoyere_kort",
                    "hoyere_lang", "ukjent", "ukjent"]


def _language_cells(rng: random.Random, person: dict) -> list[str]:
    """forstesprak and tolk of one extract row; some cells are empty (unknown), as in real extracts."""
    language = rng.choice(LANGUAGES_BY_BACKGROUND[person["landbakgrunn"]])
    if not language or language in ("nb", "nn"):
        return [language, "nei" if language else ""]
    return [language, "ja" if rng.random() < INTERPRETER_SHARE[person["landbakgrunn"]] else "nei"]
# Course of the first Alna households' main persons: (states after kandidat, route, outcome).
DEMO_COURSES = [
    ([], "", ""), ([], "", ""), (["henvist"], "", ""), (["henvist"], "", ""), (["henvist", "mott"], "", ""),
    (["henvist", "ikke_mott"], "", ""), (["henvist", "mott", "i_kartlegging"], "", ""),
    (["henvist", "mott", "i_kartlegging"], "", ""), (["henvist", "mott", "i_kartlegging", "avklart"], "arbeidsboks", ""),
    (["henvist", "mott", "i_kartlegging", "avklart"], "statlig_tiltak", ""),
    (["henvist", "mott", "i_kartlegging", "avklart", "i_aktivitet"], "jobbsoking", ""),
    (["henvist", "mott", "i_kartlegging", "avklart", "i_aktivitet"], "arbeidsboks", ""),
    (["henvist", "mott", "i_kartlegging", "avklart", "avsluttet"], "arbeidsboks", "arbeid"),
    (["henvist", "ikke_mott", "avsluttet"], "", "frafalt"), (["henvist"], "", ""), (["henvist", "mott"], "", ""),
]

# Follow-up meetings of the Alna demo participants (by number in DEMO_COURSES): days from today,
# hour, place and interpreter language. Three at the same hour are the day's group meeting, for
# «registrer møtt» on «Mine avtaler»; the participants referred 6–8 weeks ago and never met show
# there as overdue.
DEMO_APPOINTMENTS = {
    9: (0, 10, "Jobbklubb, Alna Aktiv, møterom 2", "somali"),
    10: (0, 10, "Jobbklubb, Alna Aktiv, møterom 2", ""),
    11: (0, 10, "Jobbklubb, Alna Aktiv, møterom 2", ""),
    12: (0, 13, "Alna Aktiv, NAV Alna", ""),
    7: (1, 9, "Alna Aktiv, NAV Alna", "arabisk"),
    8: (2, 14, "Alna Aktiv, NAV Alna", ""),
}

# Consent to share with KAREA (issue 16): every referred demo participant gave it at the referral,
# so the KAREA demo user sees them, but for two of Alna's referred (by number in DEMO_COURSES): one
# who never gave it and one who withdrew it, both invisible to KAREA.
DEMO_NO_CONSENT = 15
DEMO_CONSENT_WITHDRAWN = 4


def _seed_consent(deltaker: Deltaker, number: int, referred_on: datetime.date, hovedveileder: User,
                  veileder: User) -> None:
    if number == DEMO_NO_CONSENT:
        return
    samtykke = services.consent_register(deltaker=deltaker, gitt_dato=referred_on, mate=SamtykkeMate.SKRIFTLIG,
                                         omfang=DEFAULT_OMFANG, actor=Actor.for_user(hovedveileder))
    if number == DEMO_CONSENT_WITHDRAWN:
        services.consent_withdraw(samtykke=samtykke, trukket_dato=datetime.date.today() - datetime.timedelta(days=5),
                                  grunn="Ønsker ikke at KAREA får opplysninger om meg.", actor=Actor.for_user(veileder))


def register_extracts(office: str, specs: list[dict], seed: int) -> tuple[bytes, bytes]:
    """Oskar and Arena extracts (docs/contracts.md) for the demo households, so screening has data."""
    rng, language_rng = random.Random(seed), random.Random(seed + 16)
    oskar = ["saksnummer;fnr;navn;rolle;inntektstype;antall_barn;landbakgrunn;stonad_maneder_siste_12;kontor;"
             "adressebeskyttelse;skjermet;forstesprak;tolk"]
    arena = ["fnr;arbeidssokerstatus;registrert_fra;registrert_til;innsatsgruppe"]
    for spec in specs:
        months = rng.randint(1, 12)
        members = [("hovedperson", spec["hovedperson"])] + ([("ektefelle", spec["ektefelle"])] if spec["ektefelle"] else [])
        for rolle, person in members:
            oskar.append(";".join([
                spec["saksnummer"], person["fnr"], person["navn"], rolle, spec["inntektstype"], str(spec["antall_barn"]),
                person["landbakgrunn"], str(months), office, person.get("adressebeskyttelse", "ugradert"),
                "ja" if person.get("skjermet") else "nei", *_language_cells(language_rng, person),
            ]))
            if rng.random() < 0.7:
                start = REGISTER_DATE - datetime.timedelta(days=rng.randint(30, 900))
                group = rng.choice(["standard", "situasjonsbestemt", "situasjonsbestemt", "spesielt_tilpasset", ""])
                status = rng.choice(["helt_ledig", "helt_ledig", "delvis_sysselsatt", "andre_arbeidssokere"])
                arena.append(f"{person['fnr']};{status};{start:%d.%m.%Y};;{group}")
    return ("\n".join(oskar) + "\n").encode(), ("\n".join(arena) + "\n").encode()


def _seed_appointment(deltaker: Deltaker, spec: tuple, veileder: User) -> None:
    days, hour, sted, tolkesprak = spec
    starts_at = timezone.make_aware(datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=days), datetime.time(hour)))
    services.appointment_create(deltaker=deltaker, actor=Actor.for_user(veileder), starts_at=starts_at, sted=sted,
                                tolk=bool(tolkesprak), tolkesprak=tolkesprak)


def _seed_participants(office: Office, courses: list, veileder: User, hovedveileder: User,
                       appointments: dict | None = None) -> int:
    """Enrol the first households' main persons and take each through its demo course; a
    participant already enrolled is left as it is (seed_demo runs twice without changes)."""
    today = datetime.date.today()
    created = 0
    for number, (states, rute, utfall) in enumerate(courses, start=1):
        sak = Sak.objects.get(office=office, saksnummer=f"{office.enhetsnummer}-{number:04d}")
        if Deltaker.objects.filter(person=sak.hovedperson, office=office).exists():
            continue
        day = today - datetime.timedelta(days=70 - number)
        deltaker = services.participant_enroll(person=sak.hovedperson, office=office, sak=sak, on_date=day,
                                            actor=Actor.for_user(hovedveileder))
        for offset, state in enumerate(states, start=1):
            _seed_course_step(deltaker, state=state, rute=rute, utfall=utfall,
                              on_date=day + datetime.timedelta(days=3 * offset),
                              veileder=veileder, hovedveileder=hovedveileder)
        if states:
            _seed_consent(deltaker, number if office.enhetsnummer == ALNA else 0, day + datetime.timedelta(days=3),
                          hovedveileder, veileder)
        if "mott" in states:
            services.journal_create(deltaker=deltaker, actor=Actor.for_user(veileder), kind="samtale", on_date=day + datetime.timedelta(days=7),
                                    text="Første samtale: ønsker arbeid innen renhold eller lager. Trenger norskopplæring.")
        if number in (appointments or {}):
            _seed_appointment(deltaker, appointments[number], veileder)
        if number == 5:
            services.huskelapp_create(deltaker=deltaker, actor=Actor.for_user(veileder), due_date=today - datetime.timedelta(days=1),
                                      comment="Ring om oppstart av kartlegging")
        created += 1
    return created


def _seed_course_step(deltaker: Deltaker, *, state: str, rute: str, utfall: str, on_date: datetime.date,
                      veileder: User, hovedveileder: User) -> None:
    """One step of a demo course, through the service a user would use for it: the
    hovedveileder refers, the veileder registers the meeting, maps and moves the course on."""
    if state == "henvist":
        services.participant_refer(
            deltaker=deltaker, actor=Actor.for_user(hovedveileder), reason="Ønsker hjelp til å komme i arbeid.", on_date=on_date,
            veileder=veileder,
            first_appointment=datetime.datetime.combine(on_date + datetime.timedelta(days=7), datetime.time(10),
                                                        tzinfo=datetime.UTC),
        )
    elif state in ("mott", "ikke_mott"):
        services.participant_register_meeting(deltaker=deltaker, actor=Actor.for_user(veileder), met=state == "mott", on_date=on_date)
    elif state == "i_kartlegging":
        demo_mapping.start(deltaker=deltaker, user=veileder, on_date=on_date)
    elif state == "avklart":
        demo_mapping.avklar(deltaker=deltaker, user=veileder, rute=rute, on_date=on_date)
    else:
        services.course_transition(deltaker=deltaker, to_state=state, on_date=on_date, actor=Actor.for_user(veileder),
                                     rute="", utfall=utfall if state == "avsluttet" else "")


@transaction.atomic
def _seed_person_details(offices: list[Office]) -> None:
    """Education, as veiledere would have registered it, for the persons of the demo cases that
    have none yet; each person's level follows from their number, so a second run changes nothing."""
    persons = list(Person.objects.filter(Q(saker_som_hovedperson__office__in=offices)
                                         | Q(saker_som_ektefelle__office__in=offices),
                                         utdanningsniva="ukjent").distinct().order_by("id"))
    for person in persons:
        rng = random.Random(person.fnr)
        person.utdanningsniva = rng.choice(EDUCATION_LEVELS)
        if person.utdanningsniva not in ("ingen", "ukjent") and person.landbakgrunn != "norge":
            person.utdanning_godkjent = rng.random() < 0.4
    Person.objects.bulk_update(persons, ["utdanningsniva", "utdanning_godkjent"], batch_size=500)


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
    operator = Actor.operator("manage.py seed_demo")
    cases_before = Sak.objects.count()
    for office, count, seed in [(ALNA, 45, 326), (STOVNER, 15, 328)]:
        # The households come in the way real ones do: as register extracts (persons and cases).
        oskar, arena = register_extracts(office, household_specs(office, count, seed), seed)
        import_registers(office=offices[office], as_of=REGISTER_DATE, oskar=oskar, arena=arena, actor=operator)
    created_cases = Sak.objects.count() - cases_before
    _seed_person_details(list(offices.values()))
    users = {user.username: user for user in User.objects.filter(username__in=[username for username, *_ in DEMO_USERS])}
    participants = _seed_participants(offices[ALNA], DEMO_COURSES, users["veileder"], users["hovedveileder"],
                                      DEMO_APPOINTMENTS)
    participants += _seed_participants(offices[STOVNER], DEMO_COURSES[2:6], users["veileder_stovner"],
                                       users["veileder_stovner"])
    seed_conditions(offices[ALNA], users)
    for office in offices.values():
        seed_arbeidsboks(office, users)
    seed_courses(offices[ALNA], users)
    targets_ensure_prestudy()
    # Reports for every month since the first referral, so the dashboard has numbers at once.
    monthly_reports_fill(offices=list(offices.values()), actor=operator)
    return {"users": created_users, "cases": created_cases, "participants": participants}
