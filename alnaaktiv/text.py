"""Text folded for search: the one rule the stored search column (cases.Person.navn_sok) and a
typed search term both go through, so a partial name matches with a plain, indexable LIKE."""
import unicodedata

# Letters of the Norwegian alphabet stay letters: «å» is not an «a» with a ring to a Norwegian
# reader (and NFKD would split it), «æ» and «ø» do not decompose at all.
_KEPT = {"å": "\uE000", "Å": "\uE000"}
_RESTORED = {"\uE000": "å"}


def search_key(text: str) -> str:
    """Lower case, other diacritics dropped (é→e, ü→u, ö→o, ñ→n, ß→ss), runs of white space made
    one space. Æ, ø and å are kept as their own letters: «øst» finds «Østby», «ost» does not."""
    text = "".join(_KEPT.get(char, char) for char in unicodedata.normalize("NFC", text))
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = "".join(_RESTORED.get(char, char) for char in folded)
    return " ".join(folded.split())
