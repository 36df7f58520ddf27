"""The participant page's consent forms (samtykke til deling med KAREA, issue 16)."""
from django import forms

from alnaaktiv.forms import DATE_WIDGET, DateField, today_initial
from cases.models import SamtykkeMate
from cases.models.consent import DEFAULT_OMFANG


class ConsentRegisterForm(forms.Form):
    gitt_dato = DateField(label="Dato samtykket ble gitt", widget=DATE_WIDGET, initial=today_initial)
    mate = forms.ChoiceField(label="Hvordan samtykket ble gitt", choices=SamtykkeMate.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Velg hvordan samtykket ble gitt."})
    omfang = forms.CharField(label="Hva samtykket gjelder", initial=DEFAULT_OMFANG,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Skriv hva samtykket gjelder."})


class ConsentWithdrawForm(forms.Form):
    trukket_dato = DateField(label="Dato samtykket ble trukket", widget=DATE_WIDGET, initial=today_initial)
    grunn = forms.CharField(label="Kommentar (valgfritt)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
