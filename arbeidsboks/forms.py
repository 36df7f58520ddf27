"""Forms of the Arbeidsboks pages. They check types and required fields; the rules live in
services, which refuse with their own Norwegian messages."""
from django import forms

from arbeidsboks.models import PlasseringKind, Sluttarsak, TiltakType
from cases.forms import DATE_WIDGET, _today_initial

SCORES = [("", "Velg"), *[(str(n), f"{n} – {label}") for n, label in
                          [(1, "svært svak"), (2, "svak"), (3, "middels"), (4, "god"), (5, "svært god")]]]


class PlasseringForm(forms.Form):
    arbeidsomrade = forms.ModelChoiceField(label="Arbeidsområde", queryset=None, empty_label="Velg arbeidsområde")
    kind = forms.ChoiceField(label="Type", choices=PlasseringKind.choices)
    startdato = forms.DateField(label="Startdato", widget=DATE_WIDGET, initial=_today_initial)
    planlagt_slutt = forms.DateField(label="Planlagt sluttdato", widget=DATE_WIDGET)
    timer_per_uke = forms.DecimalField(label="Timer per uke", min_value=0.5, max_value=60, decimal_places=1)
    dager_per_uke = forms.IntegerField(label="Dager per uke", min_value=1, max_value=7, initial=5)
    veileder_pa_stedet = forms.CharField(label="Veileder på arbeidsstedet", max_length=200)
    mal = forms.CharField(label="Mål for plasseringen", widget=forms.Textarea(attrs={"rows": 3}))
    vilkar = forms.ModelChoiceField(
        label="Oppmøtevilkår som frammøtet dokumenterer", queryset=None, required=False,
        empty_label="Ingen (frammøtet dokumenterer ikke et vilkår)",
    )
    ikke_fortrengning = forms.BooleanField(
        label="Jeg bekrefter at plasseringen ikke fortrenger ordinær arbeidskraft", required=False,
    )

    def __init__(self, *args, areas, vilkar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arbeidsomrade"].queryset = areas
        self.fields["arbeidsomrade"].label_from_instance = (
            lambda area: f"{area.virksomhet.navn} – {area.navn} ({area.occupied} av {area.kapasitet} plasser i bruk"
                         + (f", {area.waiting} på venteliste)" if area.waiting else ")")
        )
        self.fields["vilkar"].queryset = vilkar
        self.fields["vilkar"].label_from_instance = lambda v: f"{v.beskrivelse} ({v.mengde} % oppmøte, frist {v.frist:%d.%m.%Y})"


class AvsluttForm(forms.Form):
    status = forms.ChoiceField(label="Hvordan endte plasseringen", widget=forms.RadioSelect,
                               choices=[("fullfort", "Fullført"), ("avbrutt", "Avbrutt")])
    sluttdato = forms.DateField(label="Sluttdato", widget=DATE_WIDGET, initial=_today_initial)
    sluttarsak = forms.ChoiceField(label="Sluttårsak", choices=[("", "Velg sluttårsak"), *Sluttarsak.choices])
    sluttarsak_tekst = forms.CharField(label="Beskriv årsaken (bare ved «Annet»)", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, waiting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if waiting:  # a placement on the waiting list is only ever taken off it (avbrutt)
            self.fields["status"].choices = [("avbrutt", "Tas av ventelisten (avbrutt)")]
            self.fields["status"].initial = "avbrutt"


class EvalueringForm(forms.Form):
    dato = forms.DateField(label="Dato", widget=DATE_WIDGET, initial=_today_initial)
    punktlighet = forms.TypedChoiceField(label="Punktlighet", choices=SCORES, coerce=int)
    samarbeid = forms.TypedChoiceField(label="Samarbeid", choices=SCORES, coerce=int)
    sprak = forms.TypedChoiceField(label="Språk", choices=SCORES, coerce=int)
    ferdigheter = forms.TypedChoiceField(label="Faglige ferdigheter", choices=SCORES, coerce=int)
    initiativ = forms.TypedChoiceField(label="Initiativ", choices=SCORES, coerce=int)
    kommentar = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatligTiltakForm(forms.Form):
    type = forms.ChoiceField(label="Tiltak", choices=[("", "Velg tiltak"), *TiltakType.choices])
    leverandor = forms.CharField(label="Tiltaksarrangør", max_length=200)
    fra = forms.DateField(label="Fra", widget=DATE_WIDGET, initial=_today_initial)
    til = forms.DateField(label="Til", widget=DATE_WIDGET, required=False)
    oremerket = forms.BooleanField(label="På en av pilotens øremerkede plasser i arbeid med bistand", required=False)
