"""Letters in the participant's language (issue 16). The fixed texts of every letter template
are gettext messages written in bokmål; a language is offered for letters when a catalogue
(`<code>/LC_MESSAGES/django.po` and its compiled `.mo`, in `alnaaktiv/locale` or a directory of
LOCALE_PATHS) carries the header `X-Letter-Language-Name`. Adding a language is adding a
catalogue: no code. `X-Quality-Assured: yes` says a translator has checked it; without it the
letter says that the translation is not quality-assured. A letter in another language than
bokmål carries the Norwegian original as its second part, which is the one that applies.

The catalogues also carry how the language writes a date and an amount in a letter (the
messages with the contexts «letter date format» and «letter amount»), so a new language needs
no code for those either. The UI is always bokmål: LANGUAGES names only nb, so no request is
ever served in a letter language; the letters switch language with translation.override."""
import datetime
from dataclasses import dataclass
from gettext import GNUTranslations
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, formats, translation
from django.utils.translation import gettext, gettext_noop, pgettext

from alnaaktiv.pdf import render_pdf

NORWEGIAN = "nb"
LETTER_TEMPLATE = "letters/letter.html"
# The notice at the top of a translation no translator has checked, in bokmål (the msgid) and,
# through the catalogue, in the letter's language.
NOT_QUALITY_ASSURED = gettext_noop("Denne oversettelsen er ikke kvalitetssikret av en translatør. "
                                   "Det norske originalbrevet følger som del 2 og er det som gjelder.")
QUALITY_ASSURED = gettext_noop("Dette er en oversettelse. Det norske originalbrevet følger som del 2 og er det som gjelder.")
# Names and what NAV's staff wrote in their own words are never translated.
FREE_TEXT_NOTE = gettext_noop("Navn og tekst som NAV-ansatte har skrevet selv, står på norsk.")
PART_ONE = gettext_noop("Del 1 av 2: Oversettelse")
PART_TWO = gettext_noop("Del 2 av 2: Det norske originalbrevet. Det er dette brevet som gjelder.")


@dataclass(frozen=True)
class LetterLanguage:
    code: str
    name: str  # in the language itself, as its catalogue names it
    quality_assured: bool


def _locale_dirs() -> list[Path]:
    return [Path(path) for path in settings.LOCALE_PATHS] + [
        Path(apps.get_app_config("alnaaktiv").path) / "locale"
    ]


def letter_languages() -> list[LetterLanguage]:
    """Every language with a letter catalogue, bokmål first and the rest by code. Read from disk
    on each call: a handful of small files, read only when someone makes a letter."""
    found: dict[str, LetterLanguage] = {}
    for directory in _locale_dirs():
        for mo_file in sorted(directory.glob("*/LC_MESSAGES/django.mo")):
            code = mo_file.parent.parent.name
            with mo_file.open("rb") as stream:
                headers = GNUTranslations(stream).info()
            name = headers.get("x-letter-language-name")
            if name and code not in found:
                found[code] = LetterLanguage(code, name, headers.get("x-quality-assured", "").lower() == "yes")
    return sorted(found.values(), key=lambda language: (language.code != NORWEGIAN, language.code))


def language_choices(preferred: str = "") -> list[tuple[str, str]]:
    """(code, label) for a form, the person's preferred written language first. The label names
    the language in itself and, for the others, says when no translator has checked it."""
    languages = letter_languages()
    languages.sort(key=lambda language: language.code != (preferred or NORWEGIAN))
    return [(language.code, language.name if language.quality_assured
             else f"{language.name} (ikke kvalitetssikret oversettelse)") for language in languages]


def get_letter_language(code: str) -> LetterLanguage | None:
    return next((language for language in letter_languages() if language.code == code), None)


def amount(value) -> str:
    """Kroner as the active language writes them: «1 250 kr» in bokmål, «NOK 1,250» in English."""
    number = formats.number_format(round(value), decimal_pos=0, use_l10n=True, force_grouping=True)
    return pgettext("letter amount", "%(amount)s kr") % {"amount": number}


def letter_date(value: datetime.date | None) -> str:
    """A date as the active language writes it in a letter, month by name: «7. desember 2026»,
    «7 December 2026»."""
    if value is None:
        return ""
    return dateformat.format(value, pgettext("letter date format", "j. F Y"))


def letter_weekday_date(value: datetime.date | None) -> str:
    """A date with its weekday, as the active language writes it: «torsdag 5. mars 2026»."""
    if value is None:
        return ""
    return dateformat.format(value, pgettext("letter date format with weekday", "l j. F Y"))


@dataclass(frozen=True)
class LetterPart:
    language: LetterLanguage
    html: str
    is_original: bool  # the Norwegian original that follows a translation
    notice: str = ""  # the translation notice, in the part's language
    heading: str = ""  # «Del 1 av 2: Oversettelse», in the part's language


def render_letter(body_template: str, context: dict, *, language: str) -> bytes:
    """The letter as PDF: `body_template` rendered in `language`, then, unless that is bokmål,
    once more in bokmål as the original. Dates and numbers follow each part's language."""
    chosen = get_letter_language(language)
    norwegian = get_letter_language(NORWEGIAN)
    if chosen is None or norwegian is None:
        raise ValueError(f"ingen brevkatalog for språket {language!r}")
    translated = chosen.code != NORWEGIAN
    parts = []
    with translation.override(chosen.code):
        part_two = gettext(PART_TWO)
    for part_language in ([chosen, norwegian] if translated else [chosen]):
        is_original = translated and part_language.code == NORWEGIAN
        with translation.override(part_language.code):
            html = render_to_string(body_template, {**context, "letter_language": part_language,
                                                    "translated": translated, "is_original": is_original})
            notice = heading = ""
            if translated and not is_original:
                heading = gettext(PART_ONE)
                notice = gettext(QUALITY_ASSURED if chosen.quality_assured else NOT_QUALITY_ASSURED)
                notice = f"{notice} {gettext(FREE_TEXT_NOTE)}"
        parts.append(LetterPart(part_language, html, is_original=is_original, notice=notice,
                                heading=heading))
    return render_pdf(LETTER_TEMPLATE, {
        "parts": parts, "chosen": chosen, "translated": translated,
        "notice_nb": "" if chosen.quality_assured else NOT_QUALITY_ASSURED,
        "notice_nb_free_text": FREE_TEXT_NOTE, "part_one_nb": PART_ONE,
        "part_two_nb": PART_TWO, "part_two": part_two,
    })
