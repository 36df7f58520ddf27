"""Every URL pattern of the project with a concrete path to request."""
import itertools
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

SAMPLE_VALUES = ["1", "alnaaktiv", "auth"]


@dataclass(frozen=True)
class Route:
    name: str
    path: str


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _sample_path(name: str, pattern: URLPattern) -> str | None:
    params = list(pattern.pattern.regex.groupindex)
    for values in itertools.product(SAMPLE_VALUES, repeat=len(params)):
        try:
            return reverse(name, kwargs=dict(zip(params, values, strict=True)))
        except NoReverseMatch:
            continue
    return None


def all_routes() -> list[Route]:
    routes = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        path = _sample_path(name, pattern)
        if path is not None:
            routes.setdefault(name, Route(name, path))
    return sorted(routes.values(), key=lambda route: route.name)


def all_url_names() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns)}
