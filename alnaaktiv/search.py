"""The search in the site header (/sok/): participants (cases) and vedtak (conditions) on one
page, so it lives in the frame, the only part of alnaaktiv that imports the apps (import-linter's
layer contract in pyproject.toml names it). The form is POSTed: a fødselsnummer never travels in
a URL, and the results are drawn from the POST."""
from dataclasses import dataclass, field

from django import forms
from django.http import HttpRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from alnaaktiv import access, audit, navigation
from alnaaktiv.auditlog_format import PersonByFnr
from alnaaktiv.fnr import clean_fnr, looks_like_fnr, parse_fnr
from alnaaktiv.models import AuditEntry
from alnaaktiv.text import search_key
from cases.selectors import NAV_PARTICIPANT_ROLES, PARTICIPANT_ROLES, participant_search
from conditions.selectors import READERS as VEDTAK_READERS
from conditions.selectors import vedtak_search

# Every role with access to persons (the header shows the box to them: navigation.SEARCH_ROLES);
# the controller and a mere admin have no search.
SEARCH_ROLES = tuple(sorted(navigation.SEARCH_ROLES))
# Roles that may look a person up by number (KAREA searches names only, docs/domain.md §2).
NUMBER_ROLES = tuple(dict.fromkeys((*NAV_PARTICIPANT_ROLES, *VEDTAK_READERS)))
RESULT_CAP = 50
NAME_MIN_LENGTH = 2
KAREA_FNR_REFUSED = "KAREA kan ikke søke på fødselsnummer. Søk på navn."
KAREA_NUMBER_REFUSED = "KAREA kan ikke søke på saksnummer. Søk på navn."


class SearchForm(forms.Form):
    sok = forms.CharField(label="Søk på navn, fødselsnummer eller saksnummer", max_length=100, strip=True)


@dataclass
class Term:
    """What a search term is: eleven digits a fødselsnummer, any other term with a digit a
    saksnummer, else part of a name."""

    navn: str = ""
    fnr: str = ""
    saksnummer: str = ""

    @property
    def as_kwargs(self) -> dict:
        return {"navn": self.navn, "fnr": self.fnr, "saksnummer": self.saksnummer}


@dataclass
class Results:
    term: Term
    participants: list = field(default_factory=list)
    vedtak: list = field(default_factory=list)
    participants_capped: bool = False
    vedtak_capped: bool = False
    searched_participants: bool = False
    searched_vedtak: bool = False


def parse_term(user, text: str) -> Term:
    """The term as a Term, or a ValidationError in Norwegian for the field."""
    if looks_like_fnr(text):
        if not access.has_role(user, *NUMBER_ROLES):
            raise forms.ValidationError(KAREA_FNR_REFUSED)
        number = clean_fnr(text)
        parse_fnr(number)
        return Term(fnr=number)
    if any(char.isdigit() for char in text):
        if not access.has_role(user, *NUMBER_ROLES):
            raise forms.ValidationError(KAREA_NUMBER_REFUSED)
        return Term(saksnummer=text.strip())
    if len(search_key(text)) < NAME_MIN_LENGTH:
        raise forms.ValidationError(f"Skriv minst {NAME_MIN_LENGTH} bokstaver av navnet.")
    return Term(navn=text)


def search_for(user, term: Term) -> Results:
    """The first RESULT_CAP participants (by name) and vedtak (newest first) found, and whether
    there were more: one row more is read, nothing is counted."""
    results = Results(term=term)
    if access.has_role(user, *PARTICIPANT_ROLES):
        results.searched_participants = True
        rows = sorted(participant_search(user, **term.as_kwargs)[:RESULT_CAP + 1],
                      key=lambda deltaker: (deltaker.person.navn, deltaker.pk))
        results.participants, results.participants_capped = rows[:RESULT_CAP], len(rows) > RESULT_CAP
    if access.has_role(user, *VEDTAK_READERS):
        results.searched_vedtak = True
        rows = vedtak_search(user, **term.as_kwargs, limit=RESULT_CAP)
        results.vedtak, results.vedtak_capped = rows[:RESULT_CAP], len(rows) > RESULT_CAP
    return results


def _audit_number_search(request: HttpRequest, results: Results) -> None:
    """A lookup by fødselsnummer names the person in the sporingslogg (a list of names does not):
    the person found, so a protected one is marked for review, or the number alone."""
    found = [row.person for row in results.participants if row.person.fnr == results.term.fnr]
    found += [person for vedtak in results.vedtak for person in (vedtak.sak.hovedperson, vedtak.sak.ektefelle)
              if person is not None and person.fnr == results.term.fnr]
    person = found[0] if found else PersonByFnr(results.term.fnr)
    audit.record(request, AuditEntry.Action.READ, obj=found[0] if found else None, person=person)


@access.role_required(*SEARCH_ROLES)
@require_http_methods(["GET", "POST"])
def search(request):
    form = SearchForm(request.POST if request.method == "POST" else None)
    karea_only = not access.has_role(request.user, *NUMBER_ROLES)
    if karea_only:
        form.fields["sok"].label = "Søk på navn"
    results = None
    if request.method == "POST" and form.is_valid():
        try:
            term = parse_term(request.user, form.cleaned_data["sok"])
        except forms.ValidationError as error:
            form.add_error("sok", error)
        else:
            results = search_for(request.user, term)
            if term.fnr:
                _audit_number_search(request, results)
    return render(request, "alnaaktiv/search.html", {
        "form": form, "results": results, "cap": RESULT_CAP,
        "karea_only": karea_only,
    })

