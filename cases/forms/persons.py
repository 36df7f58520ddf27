"""The person's language, interpreter need, education and contact details, edited on the
participant page (issue 16)."""
import re

from django import forms

from alnaaktiv.languages import language_choices
from cases.models import Person, Utdanningsniva
from cases.services.persons import TOLKESPRAK_WITHOUT_TOLK

# Ukjent / Ja / Nei for the nullable yes-no fields (None: not known).
YES_NO_UNKNOWN = [("", "Ukjent"), ("ja", "Ja"), ("nei", "Nei")]
PHONE_PATTERN = re.compile(r"^\+?[0-9 ]+$")
LANGUAGE_ERROR = {"invalid_choice": "Velg et språk fra listen."}


def _yes_no(value: str) -> bool | None:
    return {"ja": True, "nei": False}.get(value)


def _yes_no_initial(value: bool | None) -> str:
    return {True: "ja", False: "nei"}.get(value, "")


class PersonDetailsForm(forms.Form):
    """What the veileder knows of the person's language, education and how to reach them.
    `seen` carries the stored values the page showed (services.person_details_seen), so a save
    from a page someone else has saved since is refused."""

    forstesprak = forms.ChoiceField(label="Førstespråk", required=False, error_messages=LANGUAGE_ERROR)
    tolk = forms.TypedChoiceField(label="Trenger tolk", choices=YES_NO_UNKNOWN, coerce=_yes_no, empty_value=None,
                                  required=False)
    tolkesprak = forms.ChoiceField(label="Tolkespråk", required=False, error_messages=LANGUAGE_ERROR,
                                   help_text="Velg bare når tolken skal tolke et annet språk enn førstespråket.")
    utdanningsniva = forms.ChoiceField(label="Høyeste fullførte utdanning", choices=Utdanningsniva.choices,
                                       error_messages={"invalid_choice": "Velg et utdanningsnivå fra listen."})
    utdanning_godkjent = forms.TypedChoiceField(label="Utdanningen er godkjent i Norge", choices=YES_NO_UNKNOWN,
                                                coerce=_yes_no, empty_value=None, required=False)
    telefon = forms.CharField(label="Telefon", max_length=20, required=False,
                              widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    epost = forms.EmailField(label="E-post", max_length=254, required=False,
                             error_messages={"invalid": "Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."})
    skriftsprak = forms.ChoiceField(label="Foretrukket skriftspråk", required=False, error_messages=LANGUAGE_ERROR,
                                    help_text="Språket brev tilbys på først.")
    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, person: Person, seen: str = "", **kwargs):
        kwargs.setdefault("initial", {
            "forstesprak": person.forstesprak, "tolk": _yes_no_initial(person.tolk), "tolkesprak": person.tolkesprak,
            "utdanningsniva": person.utdanningsniva,
            "utdanning_godkjent": _yes_no_initial(person.utdanning_godkjent),
            "telefon": person.telefon, "epost": person.epost, "skriftsprak": person.skriftsprak, "seen": seen,
        })
        super().__init__(*args, **kwargs)
        self.fields["forstesprak"].choices = language_choices(empty_label="Ukjent", current=person.forstesprak)
        self.fields["tolkesprak"].choices = language_choices(empty_label="Samme som førstespråket",
                                                             current=person.tolkesprak)
        self.fields["skriftsprak"].choices = language_choices(empty_label="Norsk bokmål (standard)",
                                                              current=person.skriftsprak)

    def clean_telefon(self) -> str:
        telefon = " ".join(self.cleaned_data["telefon"].split())
        if telefon and not (PHONE_PATTERN.match(telefon) and 8 <= len(re.sub(r"\D", "", telefon)) <= 15):
            raise forms.ValidationError("Skriv telefonnummeret med sifre, for eksempel 912 34 567 eller "
                                        "+47 912 34 567.")
        return telefon

    def clean(self):
        # Checked here too (the service checks it again) so the error shows together with the others.
        cleaned = super().clean()
        if cleaned.get("tolkesprak") and cleaned.get("tolk") is not True:
            self.add_error("tolkesprak", TOLKESPRAK_WITHOUT_TOLK)
        return cleaned
