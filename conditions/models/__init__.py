from conditions.models.documents import Dokumentasjon, DokumentType, Jobbsoknad, Vurdering
from conditions.models.lifting import Fullmakt, Oppheving, OpphevingStatus, Overforing, OverforingEksport, Reduksjon
from conditions.models.vedtak import (
    DONE,
    GRANTED,
    Enhet,
    Fase,
    Hjemmel,
    Resultat,
    Utbetaling,
    Vedtak,
    Vilkar,
    VilkarKind,
    VilkarStatus,
)

__all__ = [
    "DONE", "GRANTED", "DokumentType", "Dokumentasjon", "Enhet", "Fase", "Fullmakt", "Hjemmel", "Jobbsoknad",
    "OpphevingStatus", "Oppheving", "Overforing", "OverforingEksport", "Reduksjon", "Resultat", "Utbetaling", "Vedtak", "Vilkar", "VilkarKind",
    "VilkarStatus", "Vurdering",
]
