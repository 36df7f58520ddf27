"""Forms of the Arbeidsboks pages. They check types and required fields; the rules live in
services, which refuse with their own Norwegian messages."""
from django import forms

from alnaaktiv.forms import DATE_WIDGET, DateField, today_initial
from arbeidsboks.models import PlasseringKind, PlasseringStatus, Sluttarsak, TiltakType

SCORES = [("", "Velg"), *[(str(n), f"{n} – {label}") for n, label in
                          [(1, "svært svak"), (2, "svak"), (3, "middels"), (4, "god"), (5, "svært god")]]]


REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


def hours_text(hours) -> str:
    """Hours as a form shows them: «20», «17,5»."""
    text = f"{hours:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def reason_field() -> forms.CharField:
    return forms.CharField(label="Hvorfor retter du?", widget=REASON_WIDGET,
                           error_messages={"required": "Skriv hvorfor du retter."},
                           help_text="Vises i endringshistorikken med navnet ditt og tidspunktet.")


class HoursField(forms.DecimalField):
    """Hours as people write them: «7,5» as well as «7.5»."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value.strip().replace(",", ".") if isinstance(value, str) else value)


def _vilkar_label(vilkar) -> str:
    return f"{vilkar.beskrivelse} ({vilkar.mengde} % oppmøte, frist {vilkar.frist:%d.%m.%Y})"


class PlacementForm(forms.Form):
    arbeidsomrade = forms.ModelChoiceField(label="Arbeidsområde", queryset=None, empty_label="Velg arbeidsområde")
    kind = forms.ChoiceField(label="Type", choices=PlasseringKind.choices)
    startdato = DateField(label="Startdato", widget=DATE_WIDGET, initial=today_initial)
    planlagt_slutt = DateField(label="Planlagt sluttdato", widget=DATE_WIDGET)
    timer_per_uke = HoursField(label="Timer per uke", min_value=0.5, max_value=60)
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
        self.fields["vilkar"].label_from_instance = _vilkar_label


class PlacementEditForm(forms.Form):
    """A correction of an open placement: its terms, the attendance vilkår and why."""

    startdato = DateField(label="Startdato", widget=DATE_WIDGET)
    planlagt_slutt = DateField(label="Planlagt sluttdato", widget=DATE_WIDGET)
    timer_per_uke = HoursField(label="Timer per uke", min_value=0.5, max_value=60)
    dager_per_uke = forms.IntegerField(label="Dager per uke", min_value=1, max_value=7)
    veileder_pa_stedet = forms.CharField(label="Veileder på arbeidsstedet", max_length=200,
                                         help_text="Den som følger opp deltakeren hos virksomheten.")
    mal = forms.CharField(label="Mål for plasseringen", widget=forms.Textarea(attrs={"rows": 3}))
    vilkar = forms.ModelChoiceField(
        label="Oppmøtevilkår som frammøtet dokumenterer", queryset=None, required=False,
        empty_label="Ingen (frammøtet dokumenterer ikke et vilkår)",
    )
    begrunnelse = reason_field()

    def __init__(self, *args, placement, vilkar, **kwargs):
        kwargs.setdefault("initial", {
            "startdato": placement.startdato, "planlagt_slutt": placement.planlagt_slutt,
            "timer_per_uke": hours_text(placement.timer_per_uke), "dager_per_uke": placement.dager_per_uke,
            "veileder_pa_stedet": placement.veileder_pa_stedet, "mal": placement.mal, "vilkar": placement.vilkar_id,
        })
        super().__init__(*args, **kwargs)
        self.fields["vilkar"].queryset = vilkar
        self.fields["vilkar"].label_from_instance = _vilkar_label


class PlacementEndForm(forms.Form):
    status = forms.ChoiceField(label="Hvordan endte plasseringen", widget=forms.RadioSelect,
                               choices=[(PlasseringStatus.FULLFORT, "Fullført"), (PlasseringStatus.AVBRUTT, "Avbrutt")])
    sluttdato = DateField(label="Sluttdato", widget=DATE_WIDGET, initial=today_initial)
    sluttarsak = forms.ChoiceField(label="Sluttårsak", choices=[("", "Velg sluttårsak"), *Sluttarsak.choices])
    sluttarsak_tekst = forms.CharField(label="Beskriv årsaken (bare ved «Annet»)", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, waiting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if waiting:  # a placement on the waiting list is only ever taken off it (avbrutt)
            self.fields["status"].choices = [(PlasseringStatus.AVBRUTT, "Tas av ventelisten (avbrutt)")]
            self.fields["status"].initial = PlasseringStatus.AVBRUTT


class _AttendanceFields(forms.Form):
    planlagte_timer = HoursField(label="Planlagte timer", required=False, min_value=0)
    oppmotte_timer = HoursField(label="Møtte timer", required=False, min_value=0)
    planlagte_dager = forms.IntegerField(label="Planlagte dager", required=False, min_value=1, max_value=7)
    oppmotte_dager = forms.IntegerField(label="Møtte dager", required=False, min_value=0, max_value=7)
    fravaer_godkjent_dager = forms.IntegerField(label="Godkjent fravær (dager)", required=False, min_value=0,
                                                max_value=7)
    fravaer_grunn = forms.CharField(label="Grunn til fravær", required=False, max_length=300)


class AttendanceRowForm(_AttendanceFields):
    """One participant's line in a week of attendance. An empty line is left out; a line with
    something in it needs both attended hours and days. The week's rules are the service's."""

    def __init__(self, *args, placement, name: str, **kwargs):
        self.placement, self.name = placement, name
        kwargs.setdefault("initial", {"planlagte_timer": hours_text(placement.timer_per_uke),
                                      "planlagte_dager": placement.dager_per_uke, "fravaer_godkjent_dager": 0})
        super().__init__(*args, prefix=f"p{placement.pk}", auto_id="%s", **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
            field.widget.attrs["size"] = 4
        self.fields["fravaer_grunn"].widget.attrs["size"] = 12
        for field in ("planlagte_dager", "oppmotte_dager", "fravaer_godkjent_dager"):
            self.fields[field].widget = forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                               "inputmode": "numeric", "size": 2})

    def clean(self):
        data = super().clean()
        hours, days = data.get("oppmotte_timer"), data.get("oppmotte_dager")
        typed = hours is not None or days is not None or data.get("fravaer_grunn") or data.get("fravaer_godkjent_dager")
        if typed and not self.errors:
            for field, value in (("oppmotte_timer", hours), ("oppmotte_dager", days)):
                if value is None:
                    self.add_error(field, f"{self.name}: fyll ut både møtte timer og møtte dager.")
        return data

    @property
    def filled(self) -> bool:
        return self.cleaned_data.get("oppmotte_timer") is not None

    def service_row(self) -> dict:
        return {"plassering": self.placement.pk, **{
            field: value for field, value in self.cleaned_data.items() if value not in (None, "")}}


class AttendanceWeekForm:
    """A week's lines as one form for interaction.act: valid when every line is, its fields named
    as the page's inputs (p<plassering>-<field>, services.attendance_field), so a refusal naming
    a line's field lands at it."""

    is_bound = True

    def __init__(self, data, rows: list[dict]):
        self.rows = [AttendanceRowForm(data, placement=row["placement"], name=row["name"]) for row in rows]
        self._by_prefix = {form.prefix: form for form in self.rows}
        self._week_errors: list[str] = []

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.rows]  # every line, so each shows its errors
        return all(valid) and not self._week_errors

    @property
    def cleaned_data(self) -> dict:
        return {"rows": [form.service_row() for form in self.rows if form.filled]}

    @property
    def fields(self) -> dict:
        return {form.add_prefix(name): field for form in self.rows for name, field in form.fields.items()}

    @property
    def errors(self) -> dict:
        found = {form.add_prefix(name): errors for form in self.rows for name, errors in form.errors.items()}
        if self._week_errors:
            found["__all__"] = self._week_errors
        return found

    def non_field_errors(self) -> list[str]:
        return self._week_errors

    def add_error(self, field: str | None, errors) -> None:
        prefix, _, name = (field or "").partition("-")
        form = self._by_prefix.get(prefix)
        if form is not None and name in form.fields:
            form.add_error(name, errors)
        else:
            messages = errors.messages if hasattr(errors, "messages") else errors
            self._week_errors.extend([messages] if isinstance(messages, str) else messages)


class AttendanceCorrectionForm(_AttendanceFields):
    """A correction of a saved attendance week, with why."""

    begrunnelse = reason_field()

    def __init__(self, *args, frammote, **kwargs):
        kwargs.setdefault("initial", {
            "planlagte_timer": hours_text(frammote.planlagte_timer), "oppmotte_timer": hours_text(frammote.oppmotte_timer),
            "planlagte_dager": frammote.planlagte_dager, "oppmotte_dager": frammote.oppmotte_dager,
            "fravaer_godkjent_dager": frammote.fravaer_godkjent_dager, "fravaer_grunn": frammote.fravaer_grunn,
        })
        super().__init__(*args, **kwargs)
        for field in ("planlagte_timer", "oppmotte_timer", "planlagte_dager", "oppmotte_dager"):
            self.fields[field].required = True
        self.fields["fravaer_grunn"].help_text = "Må fylles ut når deltakeren møtte færre dager enn planlagt."


class EvaluationForm(forms.Form):
    dato = DateField(label="Dato", widget=DATE_WIDGET, initial=today_initial)
    punktlighet = forms.TypedChoiceField(label="Punktlighet", choices=SCORES, coerce=int)
    samarbeid = forms.TypedChoiceField(label="Samarbeid", choices=SCORES, coerce=int)
    sprak = forms.TypedChoiceField(label="Språk", choices=SCORES, coerce=int)
    ferdigheter = forms.TypedChoiceField(label="Faglige ferdigheter", choices=SCORES, coerce=int)
    initiativ = forms.TypedChoiceField(label="Initiativ", choices=SCORES, coerce=int)
    kommentar = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StateMeasureForm(forms.Form):
    type = forms.ChoiceField(label="Tiltak", choices=[("", "Velg tiltak"), *TiltakType.choices])
    leverandor = forms.CharField(label="Tiltaksarrangør", max_length=200)
    fra = DateField(label="Fra", widget=DATE_WIDGET, initial=today_initial)
    til = DateField(label="Til", widget=DATE_WIDGET, required=False)
    oremerket = forms.BooleanField(label="På en av pilotens øremerkede plasser i arbeid med bistand", required=False)
