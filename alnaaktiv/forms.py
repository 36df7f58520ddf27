import calendar
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone


class LoginForm(AuthenticationForm):
    """Django's login form with Norwegian labels and sensible autocomplete hints."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Brukernavn"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].label = "Passord"
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


# The browser's date picker (type=date sends åååå-mm-dd); DateField below reads it as well as typed
# dates. Used by every app's forms with `initial=today_initial` where today is the usual answer.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def today_initial():
    return timezone.localdate()


MONTH_NAMES = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "desember"]
# A date written the right way: dd.mm.åååå (also d.m.åå), or åååå-mm-dd as a date picker sends it.
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{2}|\d{4})$")
_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")


class DateInput(forms.DateInput):
    """A text field for dd.mm.åååå with the number keyboard on phones (where a date picker would
    hide how the date is written)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})}, format="%d.%m.%Y")


class DateField(forms.DateField):
    """A date as NAV writes it. A date that does not exist (31.02.2026) is told apart from one
    written the wrong way: «Datoen finnes ikke» says which number is wrong; «Skriv datoen som
    dd.mm.åååå» is only for input that is not a date at all. Works with a date picker's widget too."""

    default_error_messages = {
        "invalid": "Skriv datoen som dd.mm.åååå.",
        "nonexistent": "Datoen finnes ikke (%(value)s): %(reason)s.",
        "required": "Oppgi en dato.",
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            reason = self._why_it_does_not_exist(value) if error.code == "invalid" else None
            if reason is None:
                raise
            raise ValidationError(self.error_messages["nonexistent"], code="nonexistent",
                                  params={"value": value.strip(), "reason": reason}) from error

    def _why_it_does_not_exist(self, value) -> str | None:
        """Why a date written the right way is not in the calendar, or None when it is not written
        the right way (the same shape with day and month 1 must be accepted)."""
        if not isinstance(value, str):
            return None
        text = value.strip()
        match = _DAY_FIRST.match(text) or _YEAR_FIRST.match(text)
        if match is None:
            return None
        year, month, day = (int(match[part]) for part in ("year", "month", "day"))
        probe = f"01.01.{match['year']}" if match.re is _DAY_FIRST else f"{match['year']}-01-01"
        try:
            super().to_python(probe)
        except ValidationError:
            return None
        if not 1 <= month <= 12:
            return "måneden må være fra 1 til 12"
        if len(match["year"]) == 2:
            year += 2000
        days = calendar.monthrange(year, month)[1]
        return f"{MONTH_NAMES[month - 1]} {year} har {days} dager"
