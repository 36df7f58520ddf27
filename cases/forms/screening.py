"""Forms of the screening page and the register import page."""
from django import forms
from django.conf import settings
from django.utils import timezone

from alnaaktiv.forms import DateField, DateInput

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
OFFICE_FIELD = {"label": "Kontor", "error_messages": {"invalid_choice": "Du har ikke tilgang til det kontoret."}}


def office_choices(offices) -> list[tuple[str, str]]:
    return [(office.enhetsnummer, f"{office.name} ({office.enhetsnummer})") for office in offices]


class ScreeningForm(forms.Form):
    dato = DateField(
        label="Referansedato (dd.mm.åååå)", input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"required": "Oppgi en dato.", "invalid": "Skriv datoen som dd.mm.åååå."},
    )
    kontor = forms.ChoiceField(**OFFICE_FIELD)

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kontor"].choices = office_choices(offices)
        self.fields["dato"].initial = timezone.localdate()
        if offices:
            self.fields["kontor"].initial = offices[0].enhetsnummer


class _ScreeningActionForm(forms.Form):
    """Where to go back to: the office and reference date the list was shown for."""

    kontor = forms.RegexField(regex=r"^\d{4}$", error_messages={"invalid": "Ugyldig kontor."},
                              widget=forms.HiddenInput)
    dato = DateField(input_formats=DATE_FORMATS, error_messages={"invalid": "Skriv datoen som dd.mm.åååå."},
                     widget=forms.HiddenInput)


class ExclusionForm(_ScreeningActionForm):
    person = forms.IntegerField(min_value=1, error_messages={"required": "Velg en kandidat."}, widget=forms.HiddenInput)
    begrunnelse = forms.CharField(
        label="Begrunnelse", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Skriv en begrunnelse for å ekskludere kandidaten."},
    )


class ReferCandidateForm(_ScreeningActionForm):
    """«Henvis» on a candidate row: which candidate (the view checks it against the screening)."""

    person = forms.IntegerField(min_value=1, error_messages={"required": "Velg en kandidat."}, widget=forms.HiddenInput)


class EnrolForm(_ScreeningActionForm):
    personer = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Velg minst én kandidat å registrere."},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Any id is accepted here; the view checks each one against the screening.
        values = data.getlist("personer") if data is not None else []
        self.fields["personer"].choices = [(value, value) for value in values if value.isdigit()]


class RegisterImportForm(forms.Form):
    kontor = forms.ChoiceField(**OFFICE_FIELD)
    dato = DateField(
        label="Uttrekksdato (dd.mm.åååå)", input_formats=DATE_FORMATS, required=False,
        widget=DateInput(),
        help_text="Gjelder Oskar- og Arena-uttrekket.",
        error_messages={"invalid": "Skriv datoen som dd.mm.åååå."},
    )
    oskar = forms.FileField(label="Oskar-uttrekk (sosialhjelpssaker, CSV)", required=False)
    arena = forms.FileField(label="Arena-uttrekk (arbeidssøkere, CSV)", required=False)
    deltakere = forms.FileField(label="Sporingsliste for deltakere (CSV)", required=False)
    hopp_over_feil = forms.BooleanField(
        label="Importer de gyldige radene og hopp over rader med feil", required=False,
        help_text="Uten dette avvises hele importen hvis én rad har feil.",
    )

    def __init__(self, *args, offices=(), participant_import=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kontor"].choices = office_choices(offices)
        if not participant_import:
            del self.fields["deltakere"]

    def clean(self):
        data = super().clean()
        files = [name for name in ("oskar", "arena", "deltakere") if data.get(name)]
        if not files and not self.errors:
            raise forms.ValidationError("Velg minst én fil å importere.")
        if {"oskar", "arena"} & set(files) and not data.get("dato") and "dato" not in self.errors:
            self.add_error("dato", "Oppgi datoen uttrekket gjelder.")
        # IMPORT_UPLOAD_MAX_MB keeps the preview well inside the web server's timeout
        # (docs/benchmarks.md); a larger extract goes through the command, which has no timeout.
        limit = settings.IMPORT_UPLOAD_MAX_MB
        for name in files:
            if data[name].size > limit * 1024 * 1024:
                size = f"{data[name].size / (1024 * 1024):.1f}".replace(".", ",")
                # Never "split the file": a second Oskar file of the same date replaces the first.
                self.add_error(name, f"Filen er på {size} MB, men siden tar filer på høyst {limit} MB. Større "
                                     "filer importeres av driften med kommandoen (manage.py import_registers "
                                     "eller import_participants).")
        return data


class ExclusionUndoForm(forms.Form):
    """The exclusion names its office; the date only says which screening to go back to."""

    dato = DateField(input_formats=DATE_FORMATS, required=False, widget=forms.HiddenInput)
    begrunnelse = forms.CharField(
        label="Hvorfor angres ekskluderingen?", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Skriv hvorfor ekskluderingen angres."},
    )
