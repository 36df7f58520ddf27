"""Attendance registered in cases (an appointment's outcome, a «Klart jeg kan» week) documents the
activity vilkår resting on that offer, which live in conditions. cases may not import conditions,
so the frame puts conditions' receiver in ATTENDANCE_RECORDED at start-up
(alnaaktiv.frame.compose_participant_page); cases calls `attendance_recorded` inside the
transaction of the registration, so a refusal there leaves the registration unwritten too."""
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from alnaaktiv.actor import Actor

# The offer and source names as conditions spells them (conditions.models.Tilbud and Kilde).
TILBUD_ALNA_AKTIV = "alna_aktiv"
KILDE_MOTE = "mote"
KILDE_KLART_JEG_KAN = "klart_jeg_kan"


@dataclass(frozen=True)
class Attendance:
    """One event's attendance for one person: `kilde_ref` names the event, so registering it
    again corrects what it documented."""

    person_id: int
    tilbud: str
    kilde: str
    kilde_ref: str
    on_date: datetime.date
    planlagte_dager: int
    oppmotte_dager: int
    fravaer_godkjent: int
    hendelse: str


ATTENDANCE_RECORDED: list[Callable[[Attendance, Actor], object]] = []


def attendance_recorded(attendance: Attendance, actor: Actor) -> None:
    for receiver in ATTENDANCE_RECORDED:
        receiver(attendance, actor)
