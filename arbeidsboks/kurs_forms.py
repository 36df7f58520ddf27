"""Forms of the group course pages. They check types and required fields; the rules live in the
models' constraints and kurs_services, which refuse with their own Norwegian messages."""
import datetime

from django import forms

from alnaaktiv.forms import DATE_WIDGET, DateField
from arbeidsboks.kurs_services import NOT_CHECKED, attendance_field
from arbeidsboks.models import UKEDAGER, KursdeltakelseStatus, Kursleverandor, KursType, Oppmote

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(label=label, widget=TIME_WIDGET, required=False,
                           error_messages={"invalid": "Skriv klokkeslettet som tt:mm."})


class CourseForm(forms.Form):
    navn = forms.CharField(label="Navn", max_length=200, error_messages={"required": "Skriv navnet på kurset."})
    type = forms.ChoiceField(label="Type kurs", choices=KursType.choices)
    innhold = forms.CharField(label="Innhold", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    leverandor = forms.ChoiceField(label="Leverandør", choices=Kursleverandor.choices)
    leverandor_navn = forms.CharField(label="Navn på annen leverandør", max_length=200, required=False,
                                      help_text="Bare når leverandøren er «Annen leverandør».")
    rom = forms.CharField(label="Rom eller sted", max_length=200, required=False)
    kapasitet = forms.IntegerField(label="Kapasitet (plasser)",
                                   error_messages={"required": "Skriv hvor mange plasser kurset har.",
                                                   "invalid": "Skriv antall plasser som et helt tall."})
    startdato = DateField(label="Startdato", widget=DATE_WIDGET)
    sluttdato = DateField(label="Sluttdato", widget=DATE_WIDGET)
    ukedager = forms.MultipleChoiceField(label="Faste ukedager for samlingene", choices=UKEDAGER, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    klokkeslett_fra = _time_field("Fra klokken")
    klokkeslett_til = _time_field("Til klokken")

    def __init__(self, *args, kurs=None, **kwargs):
        if kurs is not None:
            kwargs.setdefault("initial", {
                name: getattr(kurs, name) for name in ("navn", "type", "innhold", "leverandor", "leverandor_navn", "rom",
                                                       "kapasitet", "startdato", "sluttdato", "klokkeslett_fra",
                                                       "klokkeslett_til")
            } | {"ukedager": list(kurs.ukedager)})
        super().__init__(*args, **kwargs)

    def clean_ukedager(self) -> str:
        return "".join(sorted(self.cleaned_data["ukedager"]))


class EnrolmentForm(forms.Form):
    deltaker = forms.ModelChoiceField(label="Deltaker", queryset=None, empty_label="Velg deltaker",
                                      error_messages={"required": "Velg deltakeren som skal meldes på.",
                                                      "invalid_choice": "Velg en deltaker fra listen."})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deltaker"].queryset = candidates
        self.fields["deltaker"].label_from_instance = lambda d: f"{d.person.navn} ({d.get_status_display().lower()})"


class ParticipantEnrolmentForm(forms.Form):
    """From the participant page: which of the office's courses."""

    kurs = forms.ModelChoiceField(label="Kurs", queryset=None, empty_label="Velg kurs",
                                  error_messages={"required": "Velg kurset deltakeren skal meldes på.",
                                                  "invalid_choice": "Velg et kurs fra listen."})

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kurs"].queryset = courses
        self.fields["kurs"].label_from_instance = (
            lambda kurs: f"{kurs.navn} ({kurs.startdato:%d.%m.%Y}–{kurs.sluttdato:%d.%m.%Y})")


class EnrolmentEndForm(forms.Form):
    status = forms.ChoiceField(label="Hvordan slutter deltakelsen?", widget=forms.RadioSelect,
                               choices=[(KursdeltakelseStatus.FULLFORT, "Fullført"),
                                        (KursdeltakelseStatus.AVBRUTT, "Avbrutt")])
    begrunnelse = forms.CharField(label="Begrunnelse", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  help_text="Må fylles ut når en deltakelse med plass avbrytes.")


class SessionForm(forms.Form):
    dato = DateField(label="Dato", widget=DATE_WIDGET)
    klokkeslett_fra = _time_field("Fra klokken")
    klokkeslett_til = _time_field("Til klokken")
    tema = forms.CharField(label="Tema", max_length=200, required=False)


class SessionAttendanceForm:
    """A session's lines as one form for interaction.act: a radio group per participant, named as
    the service names a line's refusal (kurs_services.attendance_field)."""

    is_bound = True

    def __init__(self, data, rows: list[dict], *, registrert_at: datetime.datetime | None = None):
        self.rows = rows
        # when the attendance was last saved as the page shows it (hidden field «registrert»)
        self.registrert = registrert_at.isoformat() if registrert_at else ""
        self._fields, self._errors, self._general = {}, {}, []
        for row in rows:
            name = attendance_field(row["enrolment"].pk)
            initial = row["oppmote"].oppmote if row["oppmote"] else None
            field = forms.ChoiceField(label=f"Oppmøte for {row['name']}", choices=Oppmote.choices,
                                      widget=forms.RadioSelect, initial=initial)
            self._fields[name] = field
            row["field_name"] = name
            row["value"] = (data.get(name) if data is not None else None) or initial or ""
        self.data = data

    @property
    def fields(self) -> dict:
        return self._fields

    def is_valid(self) -> bool:
        return True  # every line is checked by the service, all or nothing, each refusal at its line

    @property
    def cleaned_data(self) -> dict:
        return {"rows": {row["enrolment"].pk: row["value"] for row in self.rows}, "seen": self._seen()}

    def _seen(self):
        """The posted «last saved» (None: never saved; a garbled value never matches; a post
        without the field, not from the page, is not checked)."""
        text = self.data.get("registrert") if self.data is not None else None
        if text is None:
            return NOT_CHECKED
        if not text:
            return None
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            return text

    @property
    def errors(self) -> dict:
        found = dict(self._errors)
        if self._general:
            found["__all__"] = self._general
        return found

    def non_field_errors(self) -> list[str]:
        return self._general

    def add_error(self, field: str | None, errors) -> None:
        messages = errors.messages if hasattr(errors, "messages") else errors
        messages = [messages] if isinstance(messages, str) else list(messages)
        if field in self._fields:
            self._errors.setdefault(field, []).extend(messages)
            for row in self.rows:
                if row["field_name"] == field:
                    row["errors"] = self._errors[field]
        else:
            self._general.extend(messages)
