"""Uploads read whole (issue 11): a PDF that runs something, an image bomb and files that are an
image and something else at once are refused with a Norwegian message, and nothing is written:
no Dokumentasjon row and no file under MEDIA_ROOT. Each bad file is built here."""
import datetime
import io
import struct
import zipfile
import zlib

import pikepdf
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alnaaktiv.actor import Actor
from conditions import services
from conditions.models import Dokumentasjon
from tests import conditions_data as data

TODAY = data.TODAY
SCRIPTED_PDF = "PDF-filen inneholder skript, handlinger eller vedlegg og kan ikke lastes opp."
NOT_ONLY_AN_IMAGE = "Bildet inneholder mer enn selve bildet og kan ikke lastes opp."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield tmp_path


def _saved(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def _blank_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return pdf


def pdf_with_open_action_javascript() -> bytes:
    pdf = _blank_pdf()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('x');"))
    return _saved(pdf)


def pdf_with_launch_in_a_page_action() -> bytes:
    # An automatic page action, stored in a compressed object stream where the first bytes show nothing.
    pdf = _blank_pdf()
    launch = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=launch)
    return _saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def pdf_with_embedded_file() -> bytes:
    pdf = _blank_pdf()
    pdf.attachments["faktura.exe"] = pikepdf.AttachedFileSpec(pdf, data.EXE)
    return _saved(pdf)


def encrypted_pdf() -> bytes:
    return _saved(_blank_pdf(), encryption=pikepdf.Encryption(owner="eier", user="bruker"))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming_50000_by_50000() -> bytes:
    header = struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 4096))
            + _png_chunk(b"IEND", b""))


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("skadelig.js", "alert(1)")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "navy").save(out, "JPEG")
    return out.getvalue()


def jpeg_with_html_in_a_comment() -> bytes:
    # The HTML sits inside the JPEG (a COM segment), so the image still ends with its end marker.
    html = b"<html><body><script>fetch('/')</script></body></html>"
    jpeg = _jpeg()
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(html) + 2) + html + jpeg[2:]


BAD_FILES = [
    ("kvittering.pdf", pdf_with_open_action_javascript, SCRIPTED_PDF),
    ("kvittering.pdf", pdf_with_launch_in_a_page_action, SCRIPTED_PDF),
    ("kvittering.pdf", pdf_with_embedded_file, SCRIPTED_PDF),
    ("kvittering.pdf", encrypted_pdf, "PDF-filen er kryptert eller passordbeskyttet."),
    ("kvittering.pdf", lambda: b"%PDF-1.7\n<html><script>alert(1)</script>", "Filen kan ikke leses som PDF."),
    ("bilde.png", png_claiming_50000_by_50000, "Bildet er for stort (50000 × 50000 piksler). Største tillatte er 40"),
    ("bilde.png", lambda: data.PNG + data.PDF, NOT_ONLY_AN_IMAGE),
    ("bilde.png", lambda: data.PNG + _zip(), NOT_ONLY_AN_IMAGE),
    ("bilde.jpg", lambda: _jpeg() + b"<html><script>alert(1)</script></html>", NOT_ONLY_AN_IMAGE),
    ("bilde.jpg", jpeg_with_html_in_a_comment, NOT_ONLY_AN_IMAGE),
    ("bilde.png", lambda: data.PNG[:-30], "Bildet kan ikke leses."),
]
IDS = ["pdf-openaction-js", "pdf-launch-aa", "pdf-embedded-file", "pdf-encrypted", "pdf-unparseable", "png-bomb",
       "png-plus-pdf", "png-plus-zip", "jpeg-plus-html", "jpeg-html-inside", "png-truncated"]


def _nothing_written(media) -> bool:
    return not Dokumentasjon.objects.exists() and [path for path in media.rglob("*") if path.is_file()] == []


@pytest.mark.parametrize(("name", "build", "message"), BAD_FILES, ids=IDS)
def test_a_dangerous_or_disguised_file_is_refused_by_the_service_and_nothing_is_written(
        alna, users, media, name, build, message):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"]).vilkar.get()
    with pytest.raises(ValidationError) as error:
        services.document_register(vilkar=vilkar, actor=Actor.for_user(users["vedtak"]), type="husleie", mottatt=TODAY,
                                        fil=SimpleUploadedFile(name, build()))
    assert message in " ".join(error.value.messages)
    assert _nothing_written(media)


@pytest.mark.parametrize(("name", "build", "message"), [BAD_FILES[0], BAD_FILES[5], BAD_FILES[8]],
                         ids=["pdf-openaction-js", "png-bomb", "jpeg-plus-html"])
def test_a_dangerous_upload_is_refused_at_the_upload_field_and_nothing_is_written(
        client, alna, users, media, name, build, message):
    vilkar = data.vedtak(data.sak(alna), users["vedtak"]).vilkar.get()
    client.force_login(users["vedtak"])
    response = client.post(reverse("document-register", args=[vilkar.pk]), {
        "type": "husleie", "mottatt": "2026-03-01", "vurdering": "godkjent",
        "fil": SimpleUploadedFile(name, build()),
    })
    assert response.status_code == 400
    assert message in response.content.decode().split(f'id="dok{vilkar.pk}_fil"')[1]
    assert _nothing_written(media)


def test_ordinary_documents_are_still_accepted(alna, users, media):
    pdf = _blank_pdf()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])  # opens at page 1: harmless
    vilkar = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("dokumentasjon",)).vilkar.get()
    for name, content in [("a.pdf", _saved(pdf)), ("b.jpg", _jpeg()), ("c.png", data.PNG)]:
        services.document_register(vilkar=vilkar, actor=Actor.for_user(users["vedtak"]), type="husleie", mottatt=TODAY,
                                        fil=SimpleUploadedFile(name, content))
    assert Dokumentasjon.objects.count() == 3
    assert len([path for path in media.rglob("*") if path.is_file()]) == 3


@pytest.mark.parametrize("page", ["conditions-worklist", "vedtak-detail"])
def test_a_refused_upload_keeps_what_was_typed_and_shows_the_error_at_the_file_field(client, alna, users, media, page):
    vedtak = data.vedtak(data.sak(alna), users["vedtak"], vilkar=("dokumentasjon",))
    vilkar = vedtak.vilkar.get()
    back = reverse(page) if page == "conditions-worklist" else reverse(page, args=[vedtak.pk])
    client.force_login(users["vedtak"])
    response = client.post(reverse("document-register", args=[vilkar.pk]), {
        "type": "strom", "mottatt": "2026-02-27", "vurdering": "avvist", "avvist_grunn": "Uleselig kopi av regningen",
        "tilbake": back, "fil": SimpleUploadedFile("kvittering.png", data.PNG + _zip()),
    })
    # The same page drawn again (no redirect, no session hand-over), with this vilkår's form open
    # and filled in, and the error at the file field.
    assert response.status_code == 400
    page_html = response.content.decode()
    form = page_html[page_html.index(f'id="dok{vilkar.pk}"'):]
    form = form[:form.index("</details>")]
    assert form.startswith(f'id="dok{vilkar.pk}" open')
    assert 'value="Uleselig kopi av regningen"' in form
    assert 'value="2026-02-27"' in form
    assert '<option value="strom" selected>' in form
    assert f'value="avvist"  id="dok{vilkar.pk}_vurdering_1" required checked' in form
    assert f'aria-invalid="true" aria-describedby="dok{vilkar.pk}_fil_error"' in form
    assert NOT_ONLY_AN_IMAGE in form.split(f'id="dok{vilkar.pk}_fil_error"')[1]
    assert "Filen må velges på nytt." in form
    assert _nothing_written(media)
    # Every other form on the page stays the plain one, and the next visit shows the empty form again.
    assert page_html.count("Det du sendte ble ikke lagret") == 1
    again = client.get(back).content.decode()
    assert "Uleselig kopi av regningen" not in again
