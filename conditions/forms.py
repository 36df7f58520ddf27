import datetime

from django import forms
from django.conf import settings

from alnaaktiv.fnr import looks_like_fnr
from alnaaktiv.forms import DATE_WIDGET, DateField, today_initial
from conditions import uploads
from conditions.models import (
    DEFAULT_ABSENCE_THRESHOLD,
    DokumentType,
    Enhet,
    Hjemmel,
    Konsekvens,
    Resultat,
    Tilbud,
    VilkarKind,
    Vurdering,
)
from conditions.models.complaints import KlageStatus, KlageUtfall
from conditions.services.vedtak import OFFER_AND_REASON


class VersionForm(forms.Form):
    versjon = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VedtakCreateForm(forms.Form):
    saksnummer = forms.CharField(label="Saksnummer (Oskar)", max_length=30)
    soknad_mottatt = DateField(label="Søknad mottatt", widget=DATE_WIDGET, initial=today_initial)
    periode_fra = DateField(label="Periode fra", widget=DATE_WIDGET)
    periode_til = DateField(label="Periode til", widget=DATE_WIDGET)
    belop = forms.DecimalField(label="Beløp (kr)", min_value=0, max_digits=10, decimal_places=2)
    varslet_reduksjon = forms.BooleanField(
        label="Vedtaksbrevet opplyser at stønaden kan reduseres ved brudd på vilkår", required=False)


class DecideForm(VersionForm):
    resultat = forms.ChoiceField(label="Resultat", choices=Resultat.choices)
    vedtaksdato = DateField(label="Vedtaksdato", widget=DATE_WIDGET, initial=today_initial)
    unntak_20a = forms.CharField(
        label="Tungtveiende grunner mot aktivitetsvilkår (§ 20 a, bare for personer under 30 uten aktivitetsvilkår)",
        widget=forms.Textarea(attrs={"rows": 2}), required=False)


# «Uten tilbud» is a choice of its own in the form; the vilkår then has no offer and a reason.
UTEN_TILBUD = "uten"


def activity_label(aktivitet) -> str:
    """An activity of the plan as the offer choices name it."""
    return (f"{aktivitet.deltaker.person.navn}: {aktivitet.get_type_display()} – {aktivitet.beskrivelse[:60]} "
            f"({aktivitet.fra_dato:%d.%m.%Y}–{aktivitet.til_dato:%d.%m.%Y})")


class OfferFields(forms.Form):
    """The offer an activity vilkår rests on (pre-study §3.1), or why it has none, and its absence
    threshold for a possible breach."""

    tilbud = forms.ChoiceField(
        label="Tilbud vilkåret gjelder (aktivitetsvilkår)",
        choices=[("", "Velges senere"), *Tilbud.choices, (UTEN_TILBUD, "Uten tilbud (skriv hvorfor)")], required=False,
        help_text=("Alle tilbud unntatt jobbsøking krever at personen er aktiv deltaker i Alna Aktiv ved kontoret. "
                   "Et vilkår om arbeidstrening i Arbeidsboks knyttes til plasseringen når plasseringen gjøres i "
                   "Arbeidsboks."))
    aktivitet = forms.TypedChoiceField(label="Aktivitet i planen (for aktivitet i planen eller kurs)", coerce=int,
                                       required=False, empty_value=None)
    uten_tilbud_grunn = forms.CharField(label="Hvorfor vilkåret stilles uten tilbud (journalføres)",
                                        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
    fravaer_terskel = forms.IntegerField(
        label="Mulig brudd ved ikke godkjent fravær over (% av planlagte dager i en måned)", min_value=0, max_value=100,
        initial=DEFAULT_ABSENCE_THRESHOLD, required=False,
        error_messages={"min_value": "Terskelen for fravær må være mellom 0 og 100 %%.",
                        "max_value": "Terskelen for fravær må være mellom 0 og 100 %%."})

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aktivitet"].choices = [("", "–")] + [(item.pk, activity_label(item)) for item in activities]

    def clean(self):
        data = super().clean()
        tilbud, reason = data.get("tilbud"), data.get("uten_tilbud_grunn", "").strip()
        if tilbud == UTEN_TILBUD and not reason:
            self.add_error("uten_tilbud_grunn", "Skriv hvorfor vilkåret stilles uten tilbud.")
        if tilbud not in ("", UTEN_TILBUD, None) and reason:
            self.add_error("uten_tilbud_grunn", OFFER_AND_REASON)
        return data

    def offer_fields(self, activities: dict) -> dict:
        """The cleaned offer as vilkar_create and vilkar_set_offer take it."""
        data = self.cleaned_data
        tilbud = data.get("tilbud", "")
        threshold = data.get("fravaer_terskel")
        return {"tilbud": "" if tilbud == UTEN_TILBUD else tilbud,
                "aktivitet": activities.get(data.get("aktivitet")),
                "uten_tilbud_grunn": data.get("uten_tilbud_grunn", ""),
                "fravaer_terskel": DEFAULT_ABSENCE_THRESHOLD if threshold is None else threshold}


class VilkarForm(OfferFields):
    person = forms.TypedChoiceField(label="Gjelder", coerce=int)
    kind = forms.ChoiceField(label="Type vilkår", choices=VilkarKind.choices)
    hjemmel = forms.ChoiceField(label="Hjemmel", choices=Hjemmel.choices)
    beskrivelse = forms.CharField(label="Individuell beskrivelse", widget=forms.Textarea(attrs={"rows": 2}))
    frist = DateField(label="Frist", widget=DATE_WIDGET)
    mengde = forms.IntegerField(label="Krav (for aktivitetsvilkår)", min_value=1, required=False)
    enhet = forms.ChoiceField(label="Enhet (for aktivitetsvilkår)", choices=[("", "–")] + Enhet.choices, required=False)

    field_order = ["person", "kind", "hjemmel", "beskrivelse", "frist", "mengde", "enhet", "tilbud", "aktivitet",
                   "uten_tilbud_grunn", "fravaer_terskel"]

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(person.pk, f"{label}: {person.navn}") for person, label in persons]


class OfferForm(OfferFields):
    """An open activity vilkår's offer set later (offers often come after the decision)."""

    versjon = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ApplicationsForm(forms.Form):
    """Job applications the veileder registers for a participant (lands on the job-search vilkår)."""

    soknader = forms.CharField(
        label="Jobbsøknader: én per linje, «arbeidsgiver; dato» (dd.mm.åååå)",
        widget=forms.Textarea(attrs={"rows": 3}))

    def clean_soknader(self) -> list[tuple[str, datetime.date]]:
        return parse_applications(self.cleaned_data.get("soknader", ""))


def parse_applications(text: str) -> list[tuple[str, datetime.date]]:
    """«arbeidsgiver; dd.mm.åååå» lines as (employer, date) rows; a bad line refused by its number."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        employer, _, date_text = line.rpartition(";")
        try:
            date = datetime.datetime.strptime(date_text.strip(), "%d.%m.%Y").date()
        except ValueError:
            raise forms.ValidationError(f"Linje {number}: skriv «arbeidsgiver; dd.mm.åååå».") from None
        if not employer.strip():
            raise forms.ValidationError(f"Linje {number}: arbeidsgiver mangler.")
        rows.append((employer.strip(), date))
    return rows


# «Ikke vurdert ennå» is a choice of its own, so that not choosing at all is an error: nothing
# is preselected, the caseworker decides (a preselected «Godkjent» approved unseen documents).
NOT_ASSESSED = "ikke_vurdert"


class DocumentForm(forms.Form):
    """Everything about received documentation in one step. The attendance and job application
    fields belong to activity vilkår only."""

    ACTIVITY_FIELDS = ("planlagte_dager", "oppmotte_dager", "fravaer_godkjent", "soknader")

    type = forms.ChoiceField(label="Type dokumentasjon", choices=DokumentType.choices)
    mottatt = DateField(label="Mottatt", widget=DATE_WIDGET, initial=today_initial)
    vurdering = forms.ChoiceField(label="Vurdering", choices=[(Vurdering.GODKJENT, "Godkjent"), (Vurdering.AVVIST, "Avvist"),
                                                              (NOT_ASSESSED, "Ikke vurdert ennå")],
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Velg en vurdering: godkjent, avvist eller ikke vurdert ennå."})
    avvist_grunn = forms.CharField(label="Grunn til avvisning", required=False, max_length=1000)
    fil = forms.FileField(label="Fil (PDF, JPEG eller PNG, valgfri)", required=False)
    planlagte_dager = forms.IntegerField(label="Oppmøteliste: planlagte dager", min_value=1, required=False)
    oppmotte_dager = forms.IntegerField(label="Oppmøteliste: møtt dager", min_value=0, required=False)
    fravaer_godkjent = forms.IntegerField(label="Oppmøteliste: dager med godkjent fravær", min_value=0, required=False)
    soknader = forms.CharField(
        label="Jobbsøknader: én per linje, «arbeidsgiver; dato» (dd.mm.åååå)",
        widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tilbake = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, activity: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not activity:
            for name in self.ACTIVITY_FIELDS:
                del self.fields[name]

    def clean_vurdering(self) -> str:
        value = self.cleaned_data["vurdering"]
        return "" if value == NOT_ASSESSED else value

    def clean_fil(self):
        upload = self.cleaned_data.get("fil")
        if upload:
            uploads.detect_type(upload)
        return upload

    def service_fields(self) -> dict:
        """The cleaned data as document_register takes it."""
        data = self.cleaned_data
        return {"type": data["type"], "mottatt": data["mottatt"], "vurdering": data["vurdering"],
                "avvist_grunn": data["avvist_grunn"], "fil": data["fil"] or None,
                "planlagte_dager": data.get("planlagte_dager"), "oppmotte_dager": data.get("oppmotte_dager"),
                "fravaer_godkjent": data.get("fravaer_godkjent"), "soknader": data.get("soknader", [])}

    def clean_soknader(self) -> list[tuple[str, datetime.date]]:
        return parse_applications(self.cleaned_data.get("soknader", ""))


class AssessDocumentForm(forms.Form):
    vurdering = forms.ChoiceField(label="Vurdering", choices=[(v, label) for v, label in Vurdering.choices if v],
                                  widget=forms.RadioSelect)
    avvist_grunn = forms.CharField(label="Grunn til avvisning", required=False, max_length=1000)
    tilbake = forms.CharField(widget=forms.HiddenInput, required=False)


class AssessVilkarForm(VersionForm):
    oppfylt = forms.TypedChoiceField(label="Vurdering", choices=[("ja", "Oppfylt"), ("nei", "Ikke oppfylt")],
                                     coerce=lambda value: value == "ja", widget=forms.RadioSelect)
    begrunnelse = forms.CharField(
        label="Begrunnelse (påkrevd når vilkåret er oppfylt selv om kravet ikke er nådd; journalføres)",
        widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WaiveForm(VersionForm):
    begrunnelse = forms.CharField(label="Hvorfor faller vilkåret bort?", max_length=1000)


class CloseBreachForm(forms.Form):
    grunn = forms.CharField(label="Hvorfor lukkes det mulige bruddet? (for eksempel godkjent fravær)",
                            widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


def _default_deadline():
    return today_initial() + datetime.timedelta(days=settings.FORHANDSVARSEL_SVARFRIST_DAGER)


class WarningForm(forms.Form):
    konsekvens = forms.ChoiceField(label="Planlagt konsekvens", choices=Konsekvens.choices, widget=forms.RadioSelect)
    belop = forms.DecimalField(label="Reduksjon (kr, bare ved reduksjon)", min_value=0, max_digits=10, decimal_places=2,
                               required=False)
    periode_fra = DateField(label="Reduksjon fra (bare ved reduksjon)", widget=DATE_WIDGET, required=False)
    periode_til = DateField(label="Reduksjon til (bare ved reduksjon)", widget=DATE_WIDGET, required=False)
    svarfrist = DateField(label="Svarfrist", widget=DATE_WIDGET, initial=_default_deadline)
    # A new forhåndsvarsel replaces the one the page showed, never one sent since (no lost update).
    versjon = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ResponseForm(forms.Form):
    svar = forms.CharField(label="Hva svarte deltakeren?", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    mottatt = DateField(label="Svaret kom", widget=DATE_WIDGET, initial=today_initial)


class NoReactionForm(forms.Form):
    begrunnelse = forms.CharField(label="Hvorfor blir det ingen reaksjon?", widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=2000)


class SanctionForm(forms.Form):
    konsekvens = forms.ChoiceField(label="Reaksjon", choices=Konsekvens.choices, widget=forms.RadioSelect)
    belop = forms.DecimalField(label="Reduksjon (kr, bare ved reduksjon)", min_value=0, max_digits=10, decimal_places=2,
                               required=False)
    periode_fra = DateField(label="Fra", widget=DATE_WIDGET, initial=today_initial)
    periode_til = DateField(label="Til (bare ved reduksjon)", widget=DATE_WIDGET, required=False)
    begrunnelse = forms.CharField(label="Begrunnelse (journalføres)", widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=5000)


class SanctionRejectForm(forms.Form):
    begrunnelse = forms.CharField(label="Hvorfor avvises reaksjonen?", widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=2000)


class SanctionEndForm(forms.Form):
    dato = DateField(label="Avsluttes fra og med", widget=DATE_WIDGET, initial=today_initial)
    grunn = forms.CharField(label="Hvorfor avsluttes reaksjonen? (for eksempel at deltakeren møter igjen)",
                            widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RejectForm(forms.Form):
    begrunnelse = forms.CharField(label="Hvorfor avvises opphevingen?", widget=forms.Textarea(attrs={"rows": 2}))


class UndoSentForm(forms.Form):
    grunn = forms.CharField(label="Hvorfor angres «sendt»?", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class VedtakListForm(forms.Form):
    """The vedtak list's filters and search, in the query string (a fødselsnummer is searched on
    /sok/, by POST, never here)."""

    # The browser refuses to send 11 digits (the form is a GET: the number would be in the URL);
    # clean_sok refuses them too, for a browser that does not check patterns.
    sok = forms.CharField(label="Søk på navn eller saksnummer", max_length=100, required=False,
                          widget=forms.TextInput(attrs={
                              "pattern": r"(?!\s*\d(?:[ .\-]?\d){10}\s*$).*",
                              "title": "Et fødselsnummer søkes i søkefeltet øverst på siden, ikke her."}))
    fase = forms.ChoiceField(label="Status", required=False)
    apne_vilkar = forms.BooleanField(label="Har åpne vilkår (venter på dokumentasjon)", required=False)
    frist_for = DateField(label="Vilkår med frist før", widget=DATE_WIDGET, required=False)
    saksbehandler = forms.TypedChoiceField(label="Saksbehandler", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, fase_choices=(), saksbehandlere=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fase"].choices = [("", "Alle")] + list(fase_choices)
        self.fields["saksbehandler"].choices = [("", "Alle")] + [
            (user.pk, user.get_full_name() or user.username) for user in saksbehandlere]

    def clean_sok(self):
        term = self.cleaned_data["sok"].strip()
        if looks_like_fnr(term):
            raise forms.ValidationError("Søk på fødselsnummer i søkefeltet øverst på siden, så nummeret ikke havner i adressen.")
        return term


# --- complaints (klage, issue 16) -------------------------------------------------------------

LATE_CHOICES = [("", "Ikke valgt"), ("ja", "Ja, klagen behandles likevel"), ("nei", "Nei, klagen avvises fordi den kom for sent")]


class KlageForm(forms.Form):
    """A complaint as it came in. With `klagere` [(person id, label)] it is on a vedtak and names
    who complains; with `versions` [(id, label)] it is on a signed § 14 a version."""

    vedtak_mottatt = DateField(label="Klageren fikk vedtaket", widget=DATE_WIDGET,
                               help_text="Klagefristen er tre uker fra denne datoen.")
    mottatt = DateField(label="Klagen kom inn", widget=DATE_WIDGET, initial=today_initial)
    hva_klagen_gjelder = forms.CharField(label="Hva klagen gjelder", widget=forms.Textarea(attrs={"rows": 3}),
                                         error_messages={"required": "Skriv kort hva klagen gjelder."})
    behandles_etter_frist = forms.ChoiceField(
        label="Behandles likevel? (bare når klagen kom etter fristen, forvaltningsloven § 31)",
        choices=LATE_CHOICES, required=False)

    def __init__(self, *args, klagere=None, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        first = {}
        if klagere is not None:
            first["klager"] = forms.TypedChoiceField(label="Klager", coerce=int, choices=klagere,
                                                     initial=klagere[0][0] if klagere else None)
        if versions is not None:
            first["versjon"] = forms.TypedChoiceField(
                label="Versjon av § 14 a-vurderingen", coerce=int, choices=versions,
                initial=versions[0][0] if versions else None,
                error_messages={"required": "Velg en signert versjon av arbeidsevnevurderingen.",
                                "invalid_choice": "Velg en signert versjon av arbeidsevnevurderingen."})
        self.fields = {**first, **self.fields}

    def late_answer(self) -> bool | None:
        return {"ja": True, "nei": False}.get(self.cleaned_data["behandles_etter_frist"])


class KlageStatusForm(VersionForm):
    status = forms.ChoiceField(label="Ny status")
    utfall = forms.ChoiceField(label="Utfall (når klagen er avgjort)", required=False)
    avgjort_dato = DateField(label="Avgjort dato", widget=DATE_WIDGET, required=False)
    utfall_begrunnelse = forms.CharField(label="Begrunnelse for utfallet", required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any status is read (the service says why a step is not allowed, also to one whose page
        # is out of date); only the allowed next steps are offered.
        self.fields["status"].choices = KlageStatus.choices
        self.fields["status"].widget.choices = [(status.value, status.label) for status in statuses]
        self.fields["utfall"].choices = [("", "Ikke avgjort")] + KlageUtfall.choices


def vedtak_klage_form(vedtak, data=None) -> KlageForm:
    """The complaint form of the vedtak page: who in the household complains."""
    sak = vedtak.sak
    klagere = [(sak.hovedperson_id, f"{sak.hovedperson.navn} (hovedperson)")]
    if sak.ektefelle_id:
        klagere.append((sak.ektefelle_id, f"{sak.ektefelle.navn} (ektefelle)"))
    return KlageForm(data, klagere=klagere, auto_id="klage_%s")
