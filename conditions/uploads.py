"""Uploaded documents: only PDF, JPEG and PNG, recognised by their first bytes (a renamed
executable is refused whatever its name says), within the size limit, stored under MEDIA_ROOT
with a random name.

The first bytes only say what a file claims to be, so the whole file is then read as that type:
a PDF is parsed with pikepdf and refused if it is encrypted, cannot be parsed, or carries
anything that runs or opens something (JavaScript, launch and other actions, automatic actions,
embedded files, forms that submit); an image is decoded whole with Pillow, refused above
UPLOAD_MAX_MEGAPIXELS (a decompression bomb is small on disk and huge in memory), and refused if
it is also something else (a polyglot): bytes after the PNG's IEND or the JPEG's end marker, or a
PDF, ZIP or HTML inside it."""
import io
import re
import struct
import uuid
import zipfile

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

# (magic bytes, content type, extension)
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]
PILLOW_FORMAT = {"image/png": "PNG", "image/jpeg": "JPEG"}
# Dictionary keys that make a PDF run or carry something beyond its pages: JavaScript (also the
# document's name tree of scripts), automatic actions (/AA), embedded files, XFA forms. An
# /OpenAction that only opens a page is common and harmless; any other action it names runs as
# the file is opened, without a click (a URI there tells a stranger who opened the document and
# when), so only a destination or a /GoTo is let through (OPEN_ACTIONS_ALLOWED).
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
# Action types (/S) that run code, start programs, fetch or send data or open other files.
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE", "/Rendition",
                      "/RichMediaExecute", "/Sound", "/Movie"}
OPEN_ACTIONS_ALLOWED = {"/GoTo"}
# Annotations that carry a file or play media.
PDF_ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# Another format hidden in an image: a PDF header, a ZIP directory, or markup a browser would run.
FOREIGN_CONTENT = re.compile(rb"%PDF-|PK\x01\x02|PK\x05\x06|<\s*(?:script|html|iframe|svg|object|embed|body)\b|<\?php",
                             re.IGNORECASE)
REFUSED_PDF = "PDF-filen inneholder skript, handlinger eller vedlegg og kan ikke lastes opp. Skriv den ut til en ny PDF."
REFUSED_IMAGE = "Bildet inneholder mer enn selve bildet og kan ikke lastes opp. Ta et nytt bilde eller en skjermdump."


def max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def detect_type(upload) -> tuple[str, str]:
    """(content type, extension) from the file's content, or a refusal in Norwegian."""
    if upload.size > max_bytes():
        raise ValidationError(
            f"Filen er for stor ({upload.size / 1024 / 1024:.1f} MB). Største tillatte størrelse er {settings.UPLOAD_MAX_MB} MB."
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            if content_type == "application/pdf":
                _check_pdf(content)
            else:
                _check_image(content, content_type)
            return content_type, extension
    raise ValidationError("Filen er ikke en PDF, JPEG eller PNG (innholdet er sjekket, ikke filnavnet).")


def _check_pdf(content: bytes) -> None:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise ValidationError("PDF-filen er kryptert eller passordbeskyttet. Last opp en PDF uten passord.")
            active = _pdf_is_active(pdf)
    except pikepdf.PasswordError as error:
        raise ValidationError("PDF-filen er kryptert eller passordbeskyttet. Last opp en PDF uten passord.") from error
    except (pikepdf.PdfError, RecursionError, ValueError) as error:
        raise ValidationError("Filen kan ikke leses som PDF. Den kan være skadet; skriv den ut til en ny PDF.") from error
    if active:
        raise ValidationError(REFUSED_PDF)


def _pdf_is_active(pdf: pikepdf.Pdf) -> bool:
    """Every object of the file (also those no page refers to), each read to its direct parts."""
    roots = [pdf.trailer, *pdf.objects]
    return _opens_with_action(pdf) or any(_object_is_active(obj) for obj in roots)


def _opens_with_action(pdf: pikepdf.Pdf) -> bool:
    action = pdf.Root.get("/OpenAction")
    if not isinstance(action, pikepdf.Dictionary):
        return False  # absent, or a destination (an array): the viewer only shows a page
    return _name(action.get("/S")) not in OPEN_ACTIONS_ALLOWED or "/Next" in action


def _object_is_active(obj) -> bool:
    stack, seen = [obj], 0
    while stack:
        current = stack.pop()
        seen += 1
        if seen > 1_000_000:  # a pathological file is refused rather than read for ever
            raise ValueError("for mange objekter")
        if isinstance(current, pikepdf.Stream | pikepdf.Dictionary):
            if PDF_ACTIVE_KEYS.intersection(current.keys()):
                return True
            if _name(current.get("/S")) in PDF_ACTIVE_ACTIONS or _name(current.get("/Subtype")) in PDF_ACTIVE_SUBTYPES:
                return True
            stack.extend(_direct(current.values()))
        elif isinstance(current, pikepdf.Array):
            stack.extend(_direct(current))
    return False


def _name(value) -> str:
    return str(value) if isinstance(value, pikepdf.Name) else ""


def _direct(values) -> list:
    # Indirect values are checked as objects of their own (pdf.objects), so only the direct ones
    # are followed; this also keeps reference cycles out.
    return [value for value in values if isinstance(value, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array)
            and not value.is_indirect]


def _check_image(content: bytes, content_type: str) -> None:
    limit = settings.UPLOAD_MAX_MEGAPIXELS * 1_000_000
    try:
        # Opening reads only the header; the size is checked before anything is decoded. (Pillow's
        # own bomb limit, far above ours, still stops a header that claims billions of pixels.)
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if image.format != PILLOW_FORMAT[content_type]:
                raise ValidationError("Filen er ikke en PDF, JPEG eller PNG (innholdet er sjekket, ikke filnavnet).")
            if width * height > limit:
                raise ValidationError(_too_many_pixels(width, height))
            image.verify()
        # verify() leaves the image unusable; decoding it whole a second time finds truncated data.
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except Image.DecompressionBombError as error:
        raise ValidationError(_too_many_pixels(*_claimed_size(content))) from error
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds (OSError, SyntaxError, struct.error …) for a broken image
        raise ValidationError("Bildet kan ikke leses. Det kan være skadet; last opp bildet på nytt.") from error
    end = _png_end(content) if content_type == "image/png" else _jpeg_end(content)
    if end != len(content) or FOREIGN_CONTENT.search(content) or zipfile.is_zipfile(io.BytesIO(content)):
        raise ValidationError(REFUSED_IMAGE)


def _too_many_pixels(width: int, height: int) -> str:
    return (f"Bildet er for stort ({width} × {height} piksler). Største tillatte er "
            f"{settings.UPLOAD_MAX_MEGAPIXELS} megapiksler; ta et bilde med lavere oppløsning.")


def _claimed_size(content: bytes) -> tuple[int, int]:
    if content.startswith(b"\x89PNG") and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    return (0, 0)


def _png_end(content: bytes) -> int:
    """Where the PNG's last chunk (IEND) ends, walking its chunks; -1 if it has none."""
    offset = 8
    while offset + 12 <= len(content):
        (length,) = struct.unpack(">I", content[offset:offset + 4])
        kind = content[offset + 4:offset + 8]
        offset += 12 + length
        if kind == b"IEND":
            return offset
    return -1


def _jpeg_end(content: bytes) -> int:
    """The end of the last end-of-image marker: a JPEG ends with it (a phone's multi-picture file
    holds several images, each with its own, the last at the very end)."""
    position = content.rfind(b"\xff\xd9")
    return position + 2 if position >= 0 else -1


def store(upload, extension: str, folder: str = "dokumenter") -> str:
    """Saves under MEDIA_ROOT/<folder>/ with a random name; returns the storage name."""
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{extension}", upload)


def safe_filename(name: str) -> str:
    cleaned = "".join(char for char in name.rsplit("/", 1)[-1] if char.isalnum() or char in "._- ")
    return cleaned.strip()[:200] or "dokument"
