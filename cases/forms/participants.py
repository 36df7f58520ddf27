from django import forms

from alnaaktiv.forms import DATE_WIDGET, DateField, today_initial
from alnaaktiv.languages import language_name
from alnaaktiv.models import User
from cases.choices import Malgruppe
from cases.models import Avtale, JournalEntry, Lopsstatus, Rute, Utfall
from cases.selectors.assignments import active_veiledere
from cases.selectors.worklists import WORKLISTS
from cases.services.appointments import OUTCOME_LABELS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PortfolioFilterForm(forms.Form):
    vis = forms.ChoiceField(label="Vis", choices=[("mine", "Mine deltakere"), ("alle", "Alle ved kontoret")], required=False)
    status = forms.ChoiceField(label="Status", choices=[("", "Alle")] + Lopsstatus.choices, required=False)
    malgruppe = forms.ChoiceField(label="Målgruppe", choices=[("", "Alle")] + Malgruppe.choices, required=False)
    veileder = forms.TypedChoiceField(label="Veileder", coerce=int, required=False, empty_value=None)
    uten_veileder = forms.BooleanField(label="Uten veileder", required=False)
    nye = forms.BooleanField(label="Nye henvisninger (14 dager)", required=False)
    huskelapp = forms.BooleanField(label="Huskelapp har forfalt", required=False)
    arbeidsliste = forms.ChoiceField(label="Arbeidsliste", required=False)
    # The sort is not a field: the column headers set `sorter` (cases.selectors.portfolio_sorting),
    # and an unknown value falls back to the default instead of refusing the filters.

    def __init__(self, *args, veiledere=(), malgrupper=None, **kwargs):
        super().__init__(*args, **kwargs)
        if malgrupper is not None:
            self.fields["malgruppe"].choices = [("", "Alle")] + list(malgrupper)
        self.fields["veileder"].choices = [("", "Alle")] + [(user.pk, user.get_full_name() or user.username) for user in veiledere]
        self.fields["arbeidsliste"].choices = [("", "Ingen")] + [(item.code, item.label) for item in WORKLISTS]


class SearchForm(forms.Form):
    sok = forms.CharField(label="Søk på navn eller fødselsnummer", max_length=100, strip=True)


class VeilederChoiceField(forms.ModelChoiceField):
    """A choice of employee, each named by User.display_name."""

    def label_from_instance(self, obj) -> str:
        return obj.display_name


class MeetingPlaceFields(forms.Form):
    """Where a meeting is and whether it needs an interpreter (and in which language)."""

    sted = forms.CharField(label="Sted", max_length=200)
    tolk = forms.BooleanField(label="Trenger tolk", required=False)
    tolkesprak = forms.CharField(label="Tolkespråk (når det trengs tolk)", max_length=60, required=False)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None and person.tolk:
            # Booked as the person needs it; the veileder may change it for this one meeting.
            self.fields["tolk"].initial = True
            self.fields["tolkesprak"].initial = language_name(person.interpreter_language)[:60]

    def clean(self):
        data = super().clean()
        if data.get("tolk") and not data.get("tolkesprak", "").strip():
            self.add_error("tolkesprak", "Skriv hvilket språk tolken skal tolke.")
        return data


class ReferralForm(MeetingPlaceFields):
    """The referral: why, who follows the participant up (the office's rule chooses unless the
    hovedveileder does), and the first meeting."""

    reason = forms.CharField(label="Begrunnelse for henvisningen", widget=forms.Textarea(attrs={"rows": 3}))
    veileder = VeilederChoiceField(
        label="Veileder i Alna Aktiv", queryset=User.objects.none(), empty_label=None,
        help_text="Foreslått: veilederen med færrest aktive deltakere ved kontoret.",
        error_messages={"invalid_choice": "Velg en aktiv veileder ved kontoret."},
    )
    first_appointment = forms.DateTimeField(label="Første avtale ved Alna Aktiv", widget=DATETIME_WIDGET)
    field_order = ["reason", "veileder", "first_appointment", "sted", "tolk", "tolkesprak"]

    def __init__(self, *args, office=None, default_veileder=None, default_sted="", **kwargs):
        super().__init__(*args, **kwargs)
        if office is not None:
            self.fields["veileder"].queryset = active_veiledere([office.enhetsnummer])
        if default_veileder is not None:
            self.fields["veileder"].initial = default_veileder.pk
        self.fields["sted"].initial = default_sted


class AppointmentForm(MeetingPlaceFields):
    """A follow-up meeting, made on the participant page."""

    starts_at = forms.DateTimeField(label="Tidspunkt", widget=DATETIME_WIDGET)
    field_order = ["starts_at", "sted", "tolk", "tolkesprak"]

    def __init__(self, *args, default_sted="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sted"].initial = default_sted


class AppointmentOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Utfall", choices=list(OUTCOME_LABELS.items()), widget=forms.RadioSelect)


class AppointmentFilterForm(forms.Form):
    vis = forms.ChoiceField(label="Vis", choices=[("mine", "Mine avtaler"), ("kontor", "Hele kontoret")], required=False)
    dato = DateField(label="Dag", widget=DATE_WIDGET, required=False)


class BulkMetForm(forms.Form):
    avtaler = forms.ModelMultipleChoiceField(
        label="Avtaler", queryset=Avtale.objects.none(),
        error_messages={"required": "Velg minst én avtale.",
                        "invalid_choice": "En av de valgte avtalene finnes ikke lenger.",
                        "invalid_pk_value": "En av de valgte avtalene finnes ikke lenger."},
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["avtaler"].queryset = queryset


class MeetingForm(forms.Form):
    met = forms.TypedChoiceField(
        label="Møtte deltakeren?", choices=[("ja", "Møtt"), ("nei", "Ikke møtt")], coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )
    date = DateField(label="Dato for møtet", widget=DATE_WIDGET, initial=today_initial)
    new_appointment = forms.DateTimeField(label="Ny avtale (hvis ikke møtt)", widget=DATETIME_WIDGET, required=False)


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label="Ny status")
    date = DateField(label="Dato", widget=DATE_WIDGET, initial=today_initial)
    rute = forms.ChoiceField(label="Rute (når avklart)", choices=[("", "–")] + Rute.choices, required=False)
    utfall = forms.ChoiceField(label="Utfall (når avsluttet)", choices=[("", "–")] + Utfall.choices, required=False)
    comment = forms.CharField(label="Kommentar", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_state"].choices = [(state, Lopsstatus(state).label) for state in allowed]


class JournalForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=JournalEntry.Kind.choices)
    date = DateField(label="Dato", widget=DATE_WIDGET, initial=today_initial)
    participants = forms.CharField(
        label="Hvem deltok (ved møter)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Påkrevet for trekantmøter og andre møter, f.eks. «deltakeren, veileder NAV, KAREA, arbeidsgiver».",
    )
    text = forms.CharField(label="Notat", widget=forms.Textarea(attrs={"rows": 4}))


class HuskelappForm(forms.Form):
    due_date = DateField(label="Frist", widget=DATE_WIDGET)
    comment = forms.CharField(label="Hva gjelder det?", max_length=500)


class MalgruppeForm(forms.Form):
    malgruppe = forms.ChoiceField(label="Målgruppe", choices=Malgruppe.choices)
    reason = forms.CharField(label="Begrunnelse", widget=forms.Textarea(attrs={"rows": 2}))


class JournalCorrectionForm(forms.Form):
    """Striking out a note (the text emptied) or correcting it (text or who took part changed);
    the reason is kept."""

    text = forms.CharField(
        label="Rettet tekst", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="La feltet stå tomt for å bare stryke notatet. Det opprinnelige notatet blir stående, gjennomstreket.",
    )
    participants = forms.CharField(label="Hvem deltok", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="Hvorfor rettes eller strykes notatet?", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Skriv hvorfor notatet rettes eller strykes."})

    def __init__(self, *args, meeting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not meeting:
            del self.fields["participants"]


class HuskelappUndoForm(forms.Form):
    """Undoing «Utført» on a huskelapp: the reason is required and kept with who and when."""

    reason = forms.CharField(label="Hvorfor angres «Utført»?", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Skriv hvorfor «Utført» angres."})
