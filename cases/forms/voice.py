"""Forms of the participant's own voice: the statement on the plan or the assessment and the
end-of-course survey. The rules needing other rows live in cases.services.voice."""
from django import forms

from alnaaktiv.forms import DATE_WIDGET, DateField, today_initial
from cases.models import Standpunkt
from cases.models.voice import SURVEY_QUESTIONS

SCALE = [(1, "1 Helt uenig"), (2, "2 Litt uenig"), (3, "3 Verken enig eller uenig"), (4, "4 Litt enig"),
         (5, "5 Helt enig")]


class StatementForm(forms.Form):
    standpunkt = forms.ChoiceField(label="Deltakeren er", choices=Standpunkt.choices, widget=forms.RadioSelect,
                                   error_messages={"required": "Velg om deltakeren er enig eller uenig."})
    tekst = forms.CharField(label="Deltakerens uttalelse med egne ord", widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "Skriv hva deltakeren sa, med deltakerens egne ord."})
    dato = DateField(label="Dato", widget=DATE_WIDGET, initial=today_initial)
    med_tolk = forms.BooleanField(label="Gitt med tolk", required=False)

    def __init__(self, *args, versions=None, **kwargs):
        """With `versions` [(id, label)], the statement is on the assessment and names one version."""
        super().__init__(*args, **kwargs)
        if versions is not None:
            self.fields = {"versjon": forms.TypedChoiceField(
                label="Versjon av vurderingen", coerce=int, choices=versions,
                initial=versions[0][0] if versions else None,
                error_messages={"required": "Velg hvilken versjon av arbeidsevnevurderingen uttalelsen gjelder.",
                                "invalid_choice": "Velg hvilken versjon av arbeidsevnevurderingen uttalelsen gjelder."},
            ), **self.fields}


class SurveyForm(forms.Form):
    """The five statements, each a radio group 1 (helt uenig) to 5 (helt enig), and a free text."""

    fritekst = forms.CharField(label="Noe mer du vil si? (valgfritt)", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Ikke skriv navn. Teksten lagres uten kobling til deg.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {
            code: forms.TypedChoiceField(label=text, coerce=int, choices=SCALE, widget=forms.RadioSelect,
                                         error_messages={"required": "Velg et svar fra 1 til 5.",
                                                         "invalid_choice": "Velg et svar fra 1 til 5."})
            for code, text in SURVEY_QUESTIONS
        }
        self.fields = {**questions, "fritekst": self.fields["fritekst"]}

    def answers(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code, _ in SURVEY_QUESTIONS}
