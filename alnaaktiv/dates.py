"""Date rules every app shares: a date as the registers' extracts and the commands write it, a
person's age and "the same day N years earlier"."""
import datetime

from alnaaktiv.fnr import shown


def age_on(birth_date: datetime.date, on_date: datetime.date) -> int:
    """Whole years; a person turns one year older on the birthday itself."""
    return on_date.year - birth_date.year - ((on_date.month, on_date.day) < (birth_date.month, birth_date.day))


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes the 28th in a year without it. Works on
    dates and datetimes alike."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def parse_date(value: str) -> datetime.date:
    """dd.mm.åååå or åååå-mm-dd; the refusal repeats the value unless it may be a fødselsnummer."""
    value = value.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"ugyldig dato {shown(value)} (bruk dd.mm.åååå eller åååå-mm-dd)")
