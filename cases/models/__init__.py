from cases.models.appointments import Avtale, Avtalestatus, Avtaletype
from cases.models.assignments import Tildeling
from cases.models.consent import Samtykke, SamtykkeMate
from cases.models.letters import Brev, Brevtype
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
from cases.models.persons import Adressebeskyttelse, Inntektstype, Kjonn, Landbakgrunn, Person, Sak, Utdanningsniva
from cases.models.registers import ArenaRecord, OskarRecord, RegisterSnapshot, ScreeningExclusion
from cases.models.voice import Brukerundersokelse, Standpunkt, Uttalelse, UttalelseGjelder

__all__ = [
    "Avtale", "Avtalestatus", "Avtaletype",
    "Aktivitet", "Aktivitetsstatus", "Aktivitetstype", "Arbeidsevnevurdering", "Hovedmal", "Kartlegging",
    "KartleggingOmrade", "KlartJegKanUke", "Omrade", "OmradeVurdering", "Tilbakeforing", "TilbakeforingAngring",
    "VurderingStatus",
    "Adressebeskyttelse", "ArenaRecord", "CourseEvent", "Deltaker", "Huskelapp", "HuskelappAngring", "Inntektstype",
    "JournalEntry", "Kjonn", "Landbakgrunn", "Lopsstatus", "MalgruppeKilde", "OskarRecord", "Person",
    "RegisterSnapshot", "Rute", "Sak", "ScreeningExclusion", "Tildeling", "Utfall",
    "Brev", "Brevtype", "Brukerundersokelse", "Samtykke", "SamtykkeMate", "Standpunkt", "Utdanningsniva", "Uttalelse",
    "UttalelseGjelder",
]
