"""What the tests read from a response, in one place: the page as text, its PDF as text, its
Django messages; and a client logged in as a user."""
import io

from pypdf import PdfReader


def logged_in(client, user):
    """The test client, logged in as `user` (without the login page: tests/test_login.py tests that)."""
    client.force_login(user)
    return client


def body(response) -> str:
    return response.content.decode()


def pdf_text(content) -> str:
    """The words of a PDF (its bytes or a response) as a reader sees them: the layout's line
    breaks and runs of spaces become one space."""
    if not isinstance(content, bytes):
        content = b"".join(content.streaming_content) if content.streaming else content.content
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def messages(response) -> list[str]:
    """The Django messages the (last) page of the response showed; none when it drew no template."""
    return [str(message) for message in response.context["messages"]] if response.context else []
