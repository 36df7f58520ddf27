"""Fødselsnummer: validation (two mod-11 check digits, D-numbers, synthetic test numbers),
derived birth date and gender, and a generator of synthetic numbers for demo and test data.

The check digits come from python-stdnum; the birth date is derived here because NAV's and
Tenor's synthetic numbers (month + 40 and + 80) are not real numbers stdnum knows about."""
import datetime
import random
import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from stdnum.no.fodselsnummer import calc_check_digit1, calc_check_digit2

KVINNE = "kvinne"
MANN = "mann"

SYNTHETIC_MONTH_OFFSETS = (40, 80)  # NAV (Dolly) and Skatteetaten (Tenor) test numbers
D_NUMBER_DAY_OFFSET = 40


@dataclass(frozen=True)
class FnrInfo:
    birth_date: datetime.date
    gender: str
    is_d_number: bool
    is_synthetic: bool


def _century_year(two_digit_year: int, individual_number: int) -> int | None:
    """The birth year from the individual number's range (Skatteetaten's rules)."""
    if individual_number < 500:
        return 1900 + two_digit_year
    if individual_number < 750 and two_digit_year >= 54:
        return 1800 + two_digit_year
    if two_digit_year < 40:
        return 2000 + two_digit_year
    if individual_number >= 900:
        return 1900 + two_digit_year
    return None


def parse_fnr(value: str, *, allow_synthetic: bool | None = None) -> FnrInfo:
    """Validate a fødselsnummer and return what it tells. Raises ValidationError in Norwegian."""
    if allow_synthetic is None:
        allow_synthetic = settings.ALLOW_SYNTHETIC_FNR
    number = _checked_digits(value)
    day, is_d_number = _birth_day(int(number[0:2]))
    month, is_synthetic = _birth_month(int(number[2:4]))
    if is_synthetic and not allow_synthetic:
        raise ValidationError("Syntetiske fødselsnumre (testnumre) er ikke tillatt her.", code="synthetic")
    birth_date = _birth_date(number, month, day)
    gender = MANN if int(number[8]) % 2 else KVINNE
    return FnrInfo(birth_date=birth_date, gender=gender, is_d_number=is_d_number, is_synthetic=is_synthetic)


def _checked_digits(value: str) -> str:
    """The eleven digits, refused when they are not eleven or a check digit is wrong."""
    number = clean_fnr(value)
    if len(number) != 11 or not number.isdigit():
        raise ValidationError("Fødselsnummeret må ha 11 siffer.", code="format")
    if number[9] != calc_check_digit1(number) or number[10] != calc_check_digit2(number):
        raise ValidationError("Fødselsnummeret har feil kontrollsiffer.", code="checksum")
    return number


def _birth_day(day: int) -> tuple[int, bool]:
    """(day of birth, is a D-number): a D-number has 40 added to the day."""
    if day > D_NUMBER_DAY_OFFSET:
        return day - D_NUMBER_DAY_OFFSET, True
    return day, False


def _birth_month(month: int) -> tuple[int, bool]:
    """(month of birth, is synthetic): test numbers have 40 (NAV) or 80 (Tenor) added to the month."""
    for offset in sorted(SYNTHETIC_MONTH_OFFSETS, reverse=True):
        if month > offset:
            return month - offset, True
    return month, False


def _birth_date(number: str, month: int, day: int) -> datetime.date:
    """The birth date, its century from the individual number; refused when it does not exist
    or lies in the future."""
    year = _century_year(int(number[4:6]), int(number[6:9]))
    try:
        if year is None:
            raise ValueError
        birth_date = datetime.date(year, month, day)
    except ValueError:
        raise ValidationError("Fødselsnummeret har en ugyldig fødselsdato.", code="date") from None
    if birth_date > datetime.date.today():
        raise ValidationError("Fødselsnummeret har en fødselsdato fram i tid.", code="future")
    return birth_date


def clean_fnr(value: str) -> str:
    return "".join(str(value).split()).replace(".", "")


def validate_fnr(value: str) -> None:
    parse_fnr(value)


def make_synthetic_fnr(birth_date: datetime.date, gender: str, rng: random.Random, offset: int = 80) -> str:
    """A synthetic fødselsnummer (Tenor style by default) with valid check digits."""
    year = birth_date.year
    low, high = (500, 999) if year >= 2000 else (0, 499)
    for _ in range(1000):
        individual = rng.randint(low, high)
        if (individual % 2 == 1) != (gender == MANN) or _century_year(year % 100, individual) != year:
            continue
        stem = f"{birth_date.day:02d}{birth_date.month + offset:02d}{year % 100:02d}{individual:03d}"
        first = calc_check_digit1(stem)
        second = calc_check_digit2(stem + first)
        if first != "10" and second != "10":
            return stem + first + second
    raise ValueError(f"fant ikke et gyldig syntetisk nummer for {birth_date}")


class FodselsnummerFormField(forms.CharField):
    default_error_messages = {"required": "Fødselsnummer må fylles ut."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("label", "Fødselsnummer")
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        value = super().to_python(value)
        return clean_fnr(value) if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            validate_fnr(value)


class FodselsnummerField(models.CharField):
    """An 11-digit fødselsnummer, validated on full_clean() and in forms."""

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 11
        kwargs.setdefault("verbose_name", "fødselsnummer")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_fnr)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_fnr(value) if value else value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": FodselsnummerFormField, **kwargs})


def looks_like_fnr(term: str) -> bool:
    """A search term of 11 digits is looked up as a fødselsnummer, anything else as a name."""
    cleaned = clean_fnr(term)
    return len(cleaned) == 11 and cleaned.isdigit()


# Eleven digits in a cell that is not the fnr column are most likely a fødselsnummer in the wrong
# column (a shifted line, a column pasted twice): it is never repeated in a message, since
# messages end up on pages, in the command's output and in logs.
FNR_LIKE = re.compile(r"\d(?:[ .-]?\d){10}")
HIDDEN_VALUE = "(11 sifre, kan være et fødselsnummer, vises ikke)"


def shown(value, *, quoted: bool = True) -> str:
    """A cell's value as a message may repeat it."""
    text = str(value)
    if FNR_LIKE.search(text):
        return HIDDEN_VALUE
    return f"«{text}»" if quoted else text
