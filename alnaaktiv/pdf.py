"""The one PDF renderer (assessments, plans, lifting letters, reports): a template rendered to
HTML and through WeasyPrint, with the site's fonts and no network access."""
from django.http import HttpResponse
from django.template.loader import render_to_string


def _no_fetch(url: str, *args, **kwargs):
    # Everything a PDF needs is inline; nothing is fetched, not even from the site itself.
    raise ValueError(f"ingen eksterne ressurser i PDF: {url}")


def render_pdf(template: str, context: dict, **options) -> bytes:
    """The one way the project renders a PDF; `options` go to WeasyPrint's write_pdf."""
    from weasyprint import HTML  # noqa: PLC0415 — 2 s to import; only the requests that make a PDF pay it

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(**options)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
