from cases.models.appointments import Avtale, Avtalestatus, Avtaletype
from cases.models.assignments import Tildeling
from cases.models.mapping import (
    Aktivitet,
    Aktivitetsstatus,
    Aktivitetstype,
    Arbeidsevnevurdering,
    Hovedmal,
    Kartlegging,
    KartleggingOmrade,
    KlartJegKanUke,
    Omrade,
    OmradeVurdering,
    Tilbakeforing,
    TilbakeforingAngring,
    VurderingStatus,
)
from cases.models.participants import (
    CourseEvent,
    Deltaker,
    Huskelapp,
    HuskelappAngring,
    JournalEntry,
    Lopsstatus,
    MalgruppeKilde,
    Rute,
    Utfall,
)
from cases.models.persons import Adressebeskyttelse, Inntektstype, Kjonn, Landbakgrunn, Person, Sak
from cases.models.registers import ArenaRecord, OskarRecord, RegisterSnapshot, ScreeningExclusion

__all__ = [
    "Avtale", "Avtalestatus", "Avtaletype",
    "Aktivitet", "Aktivitetsstatus", "Aktivitetstype", "Arbeidsevnevurdering", "Hovedmal", "Kartlegging",
    "KartleggingOmrade", "KlartJegKanUke", "Omrade", "OmradeVurdering", "Tilbakeforing", "TilbakeforingAngring",
    "VurderingStatus",
    "Adressebeskyttelse", "ArenaRecord", "CourseEvent", "Deltaker", "Huskelapp", "HuskelappAngring", "Inntektstype",
    "JournalEntry", "Kjonn", "Landbakgrunn", "Lopsstatus", "MalgruppeKilde", "OskarRecord", "Person",
    "RegisterSnapshot", "Rute", "Sak", "ScreeningExclusion", "Tildeling", "Utfall",
]
