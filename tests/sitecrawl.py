"""A bounded breadth-first walk over the rendered pages of one logged-in user, with the Django test
client: every <a href>, every GET form's action and every POST form's button, as the user would meet
them. Used by the dead-end test (test_no_dead_ends.py) and by the phone-width test, which opens one
page of each kind the walk reached."""
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from django.db import transaction
from django.urls import Resolver404, resolve, reverse

# Addresses a walk never follows: ending the session, and what is not a page of the app.
SKIP_PREFIXES = ("/static/", "/media-not-served/")
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
DEAD = "dead"


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, text
    _select: str | None = None
    _select_first: str | None = None
    _select_chosen: bool = False
    _textarea: str | None = None
    _text: list[str] = field(default_factory=list)
    _button: tuple[str, str] | None = None
    _button_text: list[str] = field(default_factory=list)


def _input(form: Form, attributes: dict) -> None:
    """What a browser submits for an <input>: a submit button is a button, a checked box its value."""
    kind = attributes.get("type", "text").lower()
    if kind in ("submit", "image"):
        form.buttons.append((attributes.get("name", ""), attributes.get("value", ""), attributes.get("value", "")))
    elif not attributes.get("name") or "disabled" in attributes:
        return
    elif kind in ("checkbox", "radio"):
        if "checked" in attributes:
            form.fields.append((attributes["name"], attributes.get("value", "on")))
    elif kind not in ("file", "reset", "button"):
        form.fields.append((attributes["name"], attributes.get("value", "")))


def _option(form: Form, attributes: dict) -> None:
    """The selected option is submitted; without one, the first (handle_endtag)."""
    value = attributes.get("value")
    if form._select_first is None:
        form._select_first = value
    if "selected" in attributes and not form._select_chosen:
        form._select_chosen = True
        form.fields.append((form._select, value or ""))


class PageParser(HTMLParser):
    """Links, forms (with the values a browser would submit) and whether the page names an icon."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.icons: list[str] = []
        self._form: Form | None = None
        self._forms_by_id: dict[str, Form] = {}
        self._button_form: Form | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self._page_tag(tag, attributes)
        # A control outside its form names it with form="…" (the screening list's checkboxes).
        form = self._forms_by_id.get(attributes["form"]) if attributes.get("form") else self._form
        if form is not None:
            self._control(form, tag, attributes)

    def _page_tag(self, tag: str, attributes: dict) -> None:
        """Links, icons and the start of a form."""
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.links.append(attributes["href"])
        elif tag == "link" and "icon" in attributes.get("rel", "").split():
            self.icons.append(attributes.get("href", ""))
        elif tag == "form":
            self._form = Form(method=attributes.get("method", "get").lower(), action=attributes.get("action", ""))
            self.forms.append(self._form)
            if attributes.get("id"):
                self._forms_by_id[attributes["id"]] = self._form

    def _control(self, form: Form, tag: str, attributes: dict) -> None:
        if tag == "input":
            _input(form, attributes)
        elif tag == "select":
            form._select, form._select_first, form._select_chosen = attributes.get("name"), None, False
        elif tag == "option" and form._select:
            _option(form, attributes)
        elif tag == "textarea":
            form._textarea, form._text = attributes.get("name"), []
        elif tag == "button" and attributes.get("type", "submit").lower() == "submit":
            form._button, form._button_text = (attributes.get("name", ""), attributes.get("value", "")), []
            self._button_form = form

    def handle_data(self, data):
        if self._form is not None and self._form._textarea is not None:
            self._form._text.append(data)
        if self._button_form is not None:
            self._button_form._button_text.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._button_form is not None:
            form, self._button_form = self._button_form, None
            name, value = form._button
            form.buttons.append((name, value, " ".join("".join(form._button_text).split())))
            form._button = None
            return
        form = self._form
        if form is None:
            return
        if tag == "form":
            self._form = None
        elif tag == "select" and form._select:
            if not form._select_chosen and form._select_first is not None:
                form.fields.append((form._select, form._select_first))
            form._select = None
        elif tag == "textarea" and form._textarea:
            form.fields.append((form._textarea, "".join(form._text).lstrip("\n")))
            form._textarea = None


@dataclass(frozen=True)
class Problem:
    username: str
    url: str
    status: int | str
    referrer: str
    via: str  # lenke, skjema (GET), knapp «…» (POST), ikon

    def __str__(self) -> str:
        return f"{self.username}: {self.via} {self.url} → {self.status} (fra {self.referrer})"


@dataclass
class Visit:
    url: str
    route: str
    status: int
    depth: int
    html: bool


@dataclass
class Walk:
    username: str
    visits: list[Visit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def pages_of_each_kind(self) -> list[str]:
        """The first HTML page the walk reached for each URL name, in the order reached."""
        seen, pages = set(), []
        for visit in self.visits:
            if visit.html and visit.status == 200 and visit.route not in seen:
                seen.add(visit.route)
                pages.append(visit.url)
        return pages


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _same_site(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(SKIP_SCHEMES):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


class _Rollback(Exception):
    pass


class _Crawler:
    """One walk's state: the queue of (url, depth, referrer, via), what was requested, and the
    kinds of buttons already pressed."""

    def __init__(self, client, username: str, *, max_depth: int, max_urls: int, per_route: int,
                 skip_routes: frozenset[str], press_buttons: bool):
        self.client, self.walk = client, Walk(username)
        self.max_depth, self.max_urls, self.per_route, self.press_buttons = max_depth, max_urls, per_route, press_buttons
        self.login, self.logout = reverse("login"), reverse("logout")
        self.skip = {"logout", "admin:logout", *skip_routes}
        self.queue = deque([("/", 0, "(start)", "lenke")])
        self.requested: set[str] = set()
        self.per_route_count: Counter = Counter()
        self.pressed: set[tuple] = set()
        self.icons_checked: set[str] = set()

    def check(self, status, location, url, referrer, via) -> bool:
        if status in (403, 404) or (isinstance(status, int) and status >= 500) or status == DEAD:
            self.walk.problems.append(Problem(self.walk.username, url, status, referrer, via))
            return False
        if location.startswith(self.login) and url != self.logout:
            self.walk.problems.append(Problem(self.walk.username, url, f"{status} til innlogging", referrer, via))
            return False
        return True

    def run(self) -> Walk:
        while self.queue and len(self.requested) < self.max_urls:
            url, depth, referrer, via = self.queue.popleft()
            name = self._route_to_request(url)
            if name is not False:
                self._visit(url, name, depth, referrer, via)
        return self.walk

    def _route_to_request(self, url: str):
        """The URL name to request `url` under, or False when the walk does not request it."""
        if url in self.requested or url.startswith(SKIP_PREFIXES):
            return False
        name = route_name(urlsplit(url).path)
        if name in self.skip or (name is not None and self.per_route_count[name] >= self.per_route):
            return False
        self.requested.add(url)
        self.per_route_count[name] += 1
        return name

    def _visit(self, url: str, name: str | None, depth: int, referrer: str, via: str) -> None:
        try:
            response = self.client.get(url)
        except Exception as error:  # the test client re-raises a view's exception: a 500 for the user
            first_line = str(error).splitlines()[0] if str(error) else ""
            self.walk.problems.append(Problem(self.walk.username, url, f"500 ({type(error).__name__}: {first_line})",
                                              referrer, via))
            return
        status, location = response.status_code, response.get("Location", "")
        if not self.check(status, location, url, referrer, via):
            return
        if status in (301, 302, 303, 307, 308):
            target = _same_site(url, location)
            if target:
                self.queue.appendleft((target, depth, url, via))
            return
        html = response.get("Content-Type", "").startswith("text/html")
        self.walk.visits.append(Visit(url, name or "", status, depth, html))
        if html and status == 200 and depth < self.max_depth:
            self._follow(url, depth, response.content.decode())

    def _follow(self, url: str, depth: int, page: str) -> None:
        """Queue the page's links and GET forms, check its icons and press its POST buttons."""
        parser = PageParser()
        parser.feed(page)
        # Without <link rel="icon"> the browser asks for /favicon.ico on its own.
        for icon in parser.icons or ["/favicon.ico"]:
            icon = _same_site(url, icon)
            if icon and icon not in self.icons_checked:
                self.icons_checked.add(icon)
                self.check(self.client.get(icon).status_code, "", icon, url, "ikon")
        for href in parser.links:
            target = _same_site(url, href)
            if target:
                self.queue.append((target, depth + 1, url, "lenke"))
        for form in parser.forms:
            action = _same_site(url, form.action or url) or urlsplit(url).path
            if form.method == "get":
                # The filter as the page fills it in: the form's own values in the query string.
                query = urlencode(form.fields)
                target = urlsplit(action).path + (f"?{query}" if query else "")
                self.queue.append((target, depth + 1, url, "skjema (GET)"))
            elif self.press_buttons:
                _press(self.client, self.walk, url, action, form, self.pressed, self.check, self.skip)


def crawl(client, username: str, *, max_depth: int = 2, max_urls: int = 150, per_route: int = 2,
          skip_routes: frozenset[str] = frozenset(), press_buttons: bool = True) -> Walk:
    """Walk from the start page (depth 0). Pages above max_depth are parsed for links and forms;
    the pages at max_depth are only requested. Each URL name is requested at most per_route
    times (one detail page stands for the others of its kind). A POST form's button is pressed
    once per kind (URL name, fields, button) with the values on the page, in a transaction that is
    rolled back: the user is offered it, so it must not answer 403, 404 or 5xx."""
    return _Crawler(client, username, max_depth=max_depth, max_urls=max_urls, per_route=per_route,
                    skip_routes=skip_routes, press_buttons=press_buttons).run()


def _press(client, walk: Walk, page_url: str, action: str, form: Form, pressed: set, check, skip) -> None:
    name = route_name(urlsplit(action).path)
    if name in skip or name == "login":
        return
    # A form without a submit button cannot be sent (no implicit submission with several fields).
    for button_name, button_value, text in form.buttons:
        key = (name, tuple(sorted({field for field, _ in form.fields})), button_name, button_value)
        if key in pressed:
            continue
        pressed.add(key)
        data: dict[str, list[str]] = {}
        for field_name, value in form.fields + ([(button_name, button_value)] if button_name else []):
            data.setdefault(field_name, []).append(value)
        via = f"knapp «{text or button_value or '?'}» (POST)"
        try:
            with transaction.atomic():
                response = client.post(action, data)
                raise _Rollback
        except _Rollback:
            status, location = response.status_code, response.get("Location", "")
        except Exception as error:
            walk.problems.append(Problem(walk.username, action, f"500 ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})", page_url, via))
            continue
        check(status, location, action, page_url, via)
