"""Demo data for the kartlegging and avklaring, made through the same services as the pages, so
the demo participants in `i_kartlegging`, `avklart` and `i_aktivitet` have a mapping, a signed
assessment and a plan, and the work lists of the start page have something to show."""
import datetime

from alnaaktiv.actor import Actor
from cases import services
from cases.models import Deltaker

AREAS = {
    "sprak": ("barriere", "Snakker enkel norsk, trenger norskopplæring for å fungere i arbeid."),
    "helse": ("ressurs", "Oppgir god helse, ingen hindringer for fysisk arbeid."),
    "arbeidserfaring": ("begge", "Erfaring fra renhold i hjemlandet, lite norsk arbeidserfaring."),
    "barnepass": ("barriere", "Venter på barnehageplass til yngste barn."),
    "motivasjon": ("ressurs", "Svært motivert for å komme i arbeid."),
}
ASSESSMENT = {
    "del_a": "Gode muligheter for arbeid innen renhold, kantine eller lager når norsken blir bedre.",
    "del_b": "Fast deltidsstilling innen renhold, på sikt full stilling.",
    "del_c": "Trenger norskopplæring, hjelp med CV og arbeidstrening med oppfølging.",
    "del_d": "Arbeidsevnen er ikke nedsatt av helse, men begrenset av språk og manglende norsk erfaring.",
    "del_e": "Arbeidstrening i kommunal virksomhet kombinert med norskkurs og jobbsøking.",
    "innsatsgruppe": "situasjonsbestemt",
    "hovedmal": "skaffe_arbeid",
    "begrunnelse": "Trenger tett oppfølging en periode, men har ressurser til å komme i arbeid.",
}
ROUTE_COMMENTS = {
    "statlig_tiltak": "Søkes inn på arbeidspraksis i ordinær virksomhet via NAV. Hovedveileder følger opp tiltaket.",
    "aap_ufore": "Helseopplysninger tyder på varig nedsatt arbeidsevne; avklares mot AAP.",
}


def start(*, deltaker: Deltaker, user, on_date: datetime.date) -> None:
    """The mapping started and partly recorded, with a first draft of the assessment."""
    services.mapping_start(deltaker=deltaker, actor=Actor.for_user(user), on_date=on_date)
    services.mapping_update(
        deltaker=deltaker, actor=Actor.for_user(user),
        fields={"metode_samtale": True, "metode_ferdighetstester": True, "jobbonsker": "Renhold, kantine eller lager.",
                "arbeidshistorikk": "Renholder i seks år før flytting til Norge.", "test_norsk": "A2 muntlig",
                "test_regning": "Godt nivå", "test_digital": "Trenger opplæring i BankID og e-post"},
        omrader=dict(AREAS),
    )
    services.assessment_save(deltaker=deltaker, actor=Actor.for_user(user),
                                    fields={name: ASSESSMENT[name] for name in ("del_a", "del_b", "del_c")})


def avklar(*, deltaker: Deltaker, user, rute: str, on_date: datetime.date) -> None:
    """The assessment signed, a plan with activities and the route chosen."""
    vurdering = services.assessment_save(deltaker=deltaker, actor=Actor.for_user(user), fields=ASSESSMENT)
    services.assessment_sign(vurdering=vurdering, actor=Actor.for_user(user))
    services.activity_create(deltaker=deltaker, actor=Actor.for_user(user), fields={
        "type": "kurs", "beskrivelse": "Norskkurs på Alna voksenopplæring, tre dager i uka.", "avtalt": True,
        "fra_dato": on_date + datetime.timedelta(days=14), "til_dato": on_date + datetime.timedelta(days=134),
        "status": "planlagt"})  # under way, it would put the participant in activity at the route
    services.activity_create(deltaker=deltaker, actor=Actor.for_user(user), fields={
        "type": "jobbsoking", "beskrivelse": "Søke jobber innen renhold og kantine.", "avtalt": True,
        "soknader_per_uke": 5, "fra_dato": on_date, "til_dato": on_date + datetime.timedelta(days=90)})
    if rute == "arbeidsboks":
        # ended two weeks ago but not closed: it shows on the work list «Aktiviteter over sluttdato»
        services.activity_create(deltaker=deltaker, actor=Actor.for_user(user), fields={
            "type": "arbeidstrening", "beskrivelse": "Utprøving hos Alna renhold og tekniske.", "avtalt": True,
            "fra_dato": on_date, "til_dato": on_date + datetime.timedelta(days=7)})
    services.route_decide(deltaker=deltaker, actor=Actor.for_user(user), rute=rute, on_date=on_date,
                                           comment=ROUTE_COMMENTS.get(rute, ""))
