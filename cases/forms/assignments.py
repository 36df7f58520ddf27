"""Forms for handing participants over to another veileder (one on the participant page, many on
/deltakere/tildel/)."""
from django import forms

from alnaaktiv.models import User
from cases.forms.participants import VeilederChoiceField
from cases.models import Deltaker


class VeilederChangeForm(forms.Form):
    to_veileder = VeilederChoiceField(
        label="Ny veileder", queryset=User.objects.none(), empty_label="Velg veileder",
        error_messages={"required": "Velg en veileder.",
                        "invalid_choice": "Velg en aktiv veileder ved kontoret."},
    )
    reason = forms.CharField(
        label="Begrunnelse", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="F.eks. «Ferie uke 28–31» eller «Jevnere fordeling av deltakere».",
        error_messages={"required": "Skriv en begrunnelse for byttet av veileder."},
    )

    def __init__(self, *args, veiledere=None, **kwargs):
        super().__init__(*args, **kwargs)
        if veiledere is not None:
            self.fields["to_veileder"].queryset = veiledere


class VeilederAssignForm(VeilederChangeForm):
    """Many participants at once; the page draws the boxes of `deltakere` in its table."""

    deltakere = forms.ModelMultipleChoiceField(
        label="Deltakere", queryset=Deltaker.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Velg minst én deltaker.",
            "invalid_choice": "En av de valgte deltakerne kan du ikke bytte veileder for (løpet er avsluttet, "
                              "eller deltakeren er utenfor din tilgang). Ingenting er endret.",
            "invalid_pk_value": "Velg deltakere fra listen.",
        },
    )
    field_order = ["deltakere", "to_veileder", "reason"]

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if participants is not None:
            self.fields["deltakere"].queryset = participants


class AssignFilterForm(forms.Form):
    veileder = forms.ChoiceField(label="Nåværende veileder", required=False)

    def __init__(self, *args, veiledere=(), unassigned: str = "uten", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["veileder"].choices = ([("", "Alle"), (unassigned, "Uten veileder")]
                                           + [(str(user.pk), user.display_name) for user in veiledere])
