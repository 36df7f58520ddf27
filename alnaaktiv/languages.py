"""Languages by their ISO 639-1 code (Person.forstesprak, tolkesprak, skriftsprak) with their
Norwegian names, for pages, forms and the interpreter booked for a meeting. The list holds the
languages NAV Alna meets most; a code not in it is shown as the code itself."""

LANGUAGE_NAMES = {
    "nb": "norsk bokmål",
    "nn": "norsk nynorsk",
    "se": "nordsamisk",
    "sv": "svensk",
    "da": "dansk",
    "en": "engelsk",
    "so": "somali",
    "ar": "arabisk",
    "ur": "urdu",
    "pa": "panjabi",
    "pl": "polsk",
    "lt": "litauisk",
    "lv": "latvisk",
    "et": "estisk",
    "ti": "tigrinja",
    "am": "amharisk",
    "om": "oromo",
    "fa": "persisk (farsi/dari)",
    "ps": "pashto",
    "ku": "kurdisk",
    "tr": "tyrkisk",
    "fr": "fransk",
    "es": "spansk",
    "pt": "portugisisk",
    "de": "tysk",
    "it": "italiensk",
    "ro": "rumensk",
    "bg": "bulgarsk",
    "bs": "bosnisk",
    "hr": "kroatisk",
    "sr": "serbisk",
    "sq": "albansk",
    "ru": "russisk",
    "uk": "ukrainsk",
    "vi": "vietnamesisk",
    "th": "thai",
    "tl": "tagalog",
    "ta": "tamil",
    "hi": "hindi",
    "bn": "bengali",
    "zh": "kinesisk",
    "my": "burmesisk",
    "ne": "nepali",
    "sw": "swahili",
}


def language_name(code: str) -> str:
    """The Norwegian name of the language, the code itself when it is not on the list, "" for ""."""
    return LANGUAGE_NAMES.get(code, code)


def language_choices(*, empty_label: str, current: str = "") -> list[tuple[str, str]]:
    """(code, Norwegian name) for a select, by name, after the empty choice. A stored code that is
    not on the list (the register may send any ISO 639-1 code) stays selectable, so saving the
    form never changes it unasked."""
    codes = set(LANGUAGE_NAMES) | ({current} if current else set())
    named = sorted(((code, language_name(code)) for code in codes), key=lambda choice: choice[1])
    return [("", empty_label), *named]
