"""Forms of the mapping page. The model forms check types, required fields and the model's own
constraints (with their Norwegian messages); the rules that need other rows or the whole state
live in cases.services.mapping, which refuses with its own Norwegian messages."""
from django import forms

from alnaaktiv.forms import DATE_WIDGET, DateField, today_initial
from cases.choices import Innsatsgruppe
from cases.models import Aktivitet, Arbeidsevnevurdering, Kartlegging, Omrade, OmradeVurdering, Rute
from cases.models.mapping import PARTS

TEXT_SMALL = {"rows": 2}


class MappingStartForm(forms.Form):
    date = DateField(label="Startdato for kartleggingen", widget=DATE_WIDGET, initial=today_initial)


class MappingForm(forms.ModelForm):
    """The mapping itself, with one choice and one short assessment per area."""

    class Meta:
        model = Kartlegging
        fields = [*Kartlegging.METHOD_FIELDS, "jobbonsker", "arbeidshistorikk", "test_norsk", "test_regning",
                  "test_digital", "arbeidsevneformel"]
        labels = {"jobbonsker": "Jobbønsker", "arbeidshistorikk": "Arbeidshistorikk",
                  "test_norsk": "Testresultat norsk", "test_regning": "Testresultat regning",
                  "test_digital": "Testresultat digitale ferdigheter",
                  "arbeidsevneformel": "Resultat av KAREAs arbeidsevneformel"}
        widgets = {"jobbonsker": forms.Textarea(attrs=TEXT_SMALL), "arbeidshistorikk": forms.Textarea(attrs=TEXT_SMALL)}

    def __init__(self, *args, omrader=None, **kwargs):
        super().__init__(*args, **kwargs)
        omrader = omrader or {}
        for code, label in Omrade.choices:
            row = omrader.get(code)
            self.fields[f"omrade_{code}"] = forms.ChoiceField(
                label=f"{label}: vurdering", required=False,
                choices=[("", "Ikke kartlagt")] + OmradeVurdering.choices,
                initial=row.vurdering if row else "",
            )
            self.fields[f"notat_{code}"] = forms.CharField(
                label=f"{label}: kort vurdering", required=False, widget=forms.Textarea(attrs=TEXT_SMALL),
                initial=row.notat if row else "",
            )

    def method_fields(self):
        return [self[name] for name in Kartlegging.METHOD_FIELDS]

    def area_rows(self):
        return [(label, self[f"omrade_{code}"], self[f"notat_{code}"]) for code, label in Omrade.choices]

    def fields_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def omrader_data(self) -> dict[str, tuple[str, str]]:
        return {code: (self.cleaned_data[f"omrade_{code}"], self.cleaned_data[f"notat_{code}"]) for code in Omrade.values}


class KlartJegKanForm(forms.Form):
    uke = forms.TypedChoiceField(label="Uke", coerce=int, choices=[(n, f"Uke {n}") for n in range(1, 5)])
    # 1–5 as the database constraint klart_jeg_kan_planned_days, with its message.
    planlagte_dager = forms.IntegerField(
        label="Planlagte dager", min_value=1, max_value=5, initial=5,
        error_messages={"min_value": "Planlagte dager må være mellom 1 og 5.",
                        "max_value": "Planlagte dager må være mellom 1 og 5."})
    mott_dager = forms.IntegerField(label="Møtte dager", min_value=0, max_value=7)
    fravaer_godkjent = forms.IntegerField(label="Dager med godkjent fravær", min_value=0, max_value=5, initial=0,
                                          required=False)
    kommentar = forms.CharField(label="Kommentar (fravær, årsak)", max_length=300, required=False)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Arbeidsevnevurdering
        fields = ["del_a", "del_b", "del_c", "del_d", "del_e", "innsatsgruppe", "hovedmal", "begrunnelse"]
        labels = dict(PARTS) | {
            "innsatsgruppe": "Innsatsgruppe", "hovedmal": "Hovedmål",
            "begrunnelse": "Begrunnelse for innsatsgruppen"}
        help_texts = {"begrunnelse": "Påkrevet for alle innsatsgrupper unntatt standard innsats."}
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("del_a", "del_b", "del_c", "del_d", "del_e", "begrunnelse")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["innsatsgruppe"].choices = [("", "Ikke valgt")] + Innsatsgruppe.choices
        self.fields["hovedmal"].choices = [("", "Ikke valgt")] + list(self.fields["hovedmal"].choices)[1:]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Aktivitet
        fields = ["type", "beskrivelse", "fra_dato", "til_dato", "soknader_per_uke", "avtalt", "status",
                  "avbrutt_begrunnelse"]
        labels = {"type": "Type aktivitet", "beskrivelse": "Beskrivelse", "fra_dato": "Fra dato",
                  "til_dato": "Til dato", "soknader_per_uke": "Antall søknader per uke (jobbsøking)",
                  "avtalt": "Avtalt med deltakeren", "status": "Status",
                  "avbrutt_begrunnelse": "Begrunnelse hvis avbrutt"}
        widgets = {"beskrivelse": forms.Textarea(attrs=TEXT_SMALL), "fra_dato": DATE_WIDGET, "til_dato": DATE_WIDGET,
                   "avbrutt_begrunnelse": forms.Textarea(attrs=TEXT_SMALL)}

    def __init__(self, *args, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["avbrutt_begrunnelse"]

    def values(self) -> dict:
        return dict(self.cleaned_data)


class RouteForm(forms.Form):
    rute = forms.ChoiceField(label="Rute videre", choices=[("", "Velg rute")] + Rute.choices)
    date = DateField(label="Dato", widget=DATE_WIDGET, initial=today_initial)
    comment = forms.CharField(
        label="Hva er avklart", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Påkrevet når saken føres tilbake til hovedveileder (statlige tiltak, AAP/uføretrygd).",
    )


class UndoReceiptForm(forms.Form):
    """Undoing «Mottatt» on a hand-back: the reason is required and kept with who and when."""

    reason = forms.CharField(label="Hvorfor angres «Mottatt»?", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
