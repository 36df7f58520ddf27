import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from alnaaktiv.fnr import KVINNE, MANN, FodselsnummerFormField, make_synthetic_fnr, parse_fnr

# Real-format numbers with valid check digits, built for these tests (no real persons).
VALID = [
    # number, birth date, gender, D-number, synthetic
    ("01010010264", datetime.date(1900, 1, 1), KVINNE, False, False),
    ("15076510013", datetime.date(1965, 7, 15), KVINNE, False, False),
    ("41010010177", datetime.date(1900, 1, 1), MANN, True, False),  # D-number: day + 40
    ("01410010166", datetime.date(1900, 1, 1), MANN, False, True),  # NAV synthetic: month + 40
    ("01859030188", datetime.date(1990, 5, 1), MANN, False, True),  # Tenor synthetic: month + 80
    ("23517343986", datetime.date(1973, 11, 23), MANN, False, True),
    ("13499248495", datetime.date(1992, 9, 13), KVINNE, False, True),
    ("01449020304", datetime.date(1990, 4, 1), MANN, False, True),
    ("01015550321", datetime.date(1855, 1, 1), MANN, False, False),  # 500-749 with year >= 54
    ("01014590192", datetime.date(1945, 1, 1), MANN, False, False),  # 900-999 with year >= 40
    ("01010550129", datetime.date(2005, 1, 1), MANN, False, False),  # 500-999 with year < 40
    ("41819010186", datetime.date(1990, 1, 1), MANN, True, True),  # D-number in a synthetic series
]

INVALID = [
    ("0101001026", "Fødselsnummeret må ha 11 siffer."),
    ("010100102645", "Fødselsnummeret må ha 11 siffer."),
    ("0101001026a", "Fødselsnummeret må ha 11 siffer."),
    ("01010010265", "Fødselsnummeret har feil kontrollsiffer."),  # second check digit wrong
    ("01010010254", "Fødselsnummeret har feil kontrollsiffer."),  # first check digit wrong
    ("", "Fødselsnummeret må ha 11 siffer."),
    ("01014575134", "Fødselsnummeret har en ugyldig fødselsdato."),  # 750-899 with year >= 40
]


@pytest.mark.parametrize(("number", "birth_date", "gender", "is_d_number", "is_synthetic"), VALID)
def test_valid_numbers_give_birth_date_and_gender(number, birth_date, gender, is_d_number, is_synthetic):
    info = parse_fnr(number, allow_synthetic=True)
    assert (info.birth_date, info.gender, info.is_d_number, info.is_synthetic) == (
        birth_date, gender, is_d_number, is_synthetic,
    )


@pytest.mark.parametrize(("number", "message"), INVALID)
def test_invalid_numbers_are_refused_with_a_norwegian_message(number, message):
    with pytest.raises(ValidationError) as error:
        parse_fnr(number, allow_synthetic=True)
    assert error.value.messages == [message]


@pytest.mark.parametrize("number", ["01410010166", "01859030188"])
def test_synthetic_numbers_are_refused_when_the_setting_is_off(number):
    with override_settings(ALLOW_SYNTHETIC_FNR=False), pytest.raises(ValidationError) as error:
        parse_fnr(number)
    assert error.value.messages == ["Syntetiske fødselsnumre (testnumre) er ikke tillatt her."]


def test_real_numbers_are_accepted_when_synthetic_numbers_are_off():
    with override_settings(ALLOW_SYNTHETIC_FNR=False):
        assert parse_fnr("15076510013").birth_date == datetime.date(1965, 7, 15)


def test_impossible_birth_dates_are_refused():
    # 31 February with valid check digits
    with pytest.raises(ValidationError) as error:
        parse_fnr("31020010005", allow_synthetic=True)
    assert error.value.messages == ["Fødselsnummeret har en ugyldig fødselsdato."]


def test_form_field_accepts_spaces_and_refuses_bad_numbers():
    field = FodselsnummerFormField()
    assert field.clean("150765 10013") == "15076510013"
    with pytest.raises(ValidationError) as error:
        field.clean("15076510014")
    assert error.value.messages == ["Fødselsnummeret har feil kontrollsiffer."]
    with pytest.raises(ValidationError) as error:
        field.clean("")
    assert error.value.messages == ["Fødselsnummer må fylles ut."]


@pytest.mark.parametrize("offset", [40, 80])
@pytest.mark.parametrize("gender", [KVINNE, MANN])
def test_generated_synthetic_numbers_validate_and_round_trip(offset, gender):
    rng = random.Random(7)
    for birth in [datetime.date(1955, 12, 31), datetime.date(1999, 2, 28), datetime.date(2004, 6, 1)]:
        number = make_synthetic_fnr(birth, gender, rng, offset=offset)
        info = parse_fnr(number, allow_synthetic=True)
        assert (info.birth_date, info.gender, info.is_synthetic) == (birth, gender, True)
