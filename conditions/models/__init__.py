from conditions.models.complaints import KLAGEFRIST, Klage, KlageStatus, KlageUtfall
from conditions.models.documents import KILDE_APPOINTMENT, Dokumentasjon, DokumentType, Jobbsoknad, Kilde, Vurdering
from conditions.models.lifting import Fullmakt, Oppheving, OpphevingStatus, Overforing, OverforingEksport, Reduksjon
from conditions.models.sanctions import (
    ACTIVE_SANKSJON,
    OPEN_BRUDD,
    BruddGrunn,
    BruddStatus,
    Forhandsvarsel,
    Konsekvens,
    MuligBrudd,
    Sanksjon,
    SanksjonHendelse,
    SanksjonStatus,
)
from conditions.models.vedtak import (
    DEFAULT_ABSENCE_THRESHOLD,
    DONE,
    GRANTED,
    TILBUD_BY_ATTENDANCE,
    TILBUD_WITH_ACTIVITY,
    Enhet,
    Fase,
    Hjemmel,
    Resultat,
    Tilbud,
    Utbetaling,
    Vedtak,
    Vilkar,
    VilkarKind,
    VilkarStatus,
)

__all__ = [
    "ACTIVE_SANKSJON", "OPEN_BRUDD", "BruddGrunn", "BruddStatus", "Forhandsvarsel", "Konsekvens", "MuligBrudd",
    "Sanksjon", "SanksjonHendelse", "SanksjonStatus",
    "KLAGEFRIST", "Klage", "KlageStatus", "KlageUtfall",
    "DEFAULT_ABSENCE_THRESHOLD", "DONE", "GRANTED", "KILDE_APPOINTMENT", "Kilde", "TILBUD_BY_ATTENDANCE", "TILBUD_WITH_ACTIVITY", "Tilbud", "DokumentType", "Dokumentasjon", "Enhet", "Fase", "Fullmakt", "Hjemmel", "Jobbsoknad",
    "OpphevingStatus", "Oppheving", "Overforing", "OverforingEksport", "Reduksjon", "Resultat", "Utbetaling", "Vedtak", "Vilkar", "VilkarKind",
    "VilkarStatus", "Vurdering",
]
