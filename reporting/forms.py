from django import forms

from alnaaktiv.models import Office


class BuildForm(forms.Form):
    office = forms.ModelChoiceField(
        label="Kontor", queryset=Office.objects.none(),
        error_messages={"invalid_choice": "Du har ikke tilgang til rapportene for dette kontoret."},
    )
    month = forms.RegexField(
        label="Måned (ÅÅÅÅ-MM)", regex=r"^\d{4}-\d{2}$",
        error_messages={"invalid": "Skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-10."},
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(pk__in=[office.pk for office in offices])
