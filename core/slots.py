"""Places on a page that apps above fill (STYLE: registries; docs/architecture.md, "The seams").

A lower app's page names a slot ("conversation.composer", "earnings", "call.page") and renders
what is declared for it, without knowing who declared it: the calls app puts its camera button
beside the conversation's message box and its eligibility explainer on the earnings page,
moderation its report form on the call page. Each entry is declared once with its template and a
function giving the template's context from the page's objects (None: nothing to show here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core.registry import Registry

Context = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class SlotEntry:
    name: str
    template: str
    context: Context


_SLOTS: dict[str, Registry[SlotEntry]] = {}


def fill_slot(slot: str, *, name: str, template: str, context: Context) -> SlotEntry:
    """Declare what `name` shows in `slot`; `context(**objects)` gets the page's objects."""
    registry = _SLOTS.setdefault(slot, Registry(f"entry of slot {slot!r}"))
    return registry.add(name, SlotEntry(name, template, context))


def render_slot(slot: str, request: HttpRequest, **objects: Any) -> list[SafeString]:
    """Every entry of `slot` rendered for this page (`objects`: what the page shows, e.g. the
    conversation and its reader), in declaration order; an entry whose context is None is left
    out."""
    rendered = []
    for entry in _SLOTS.get(slot, ()):
        context = entry.context(**objects)
        if context is not None:
            # A rendered template is safe: it escaped what it did not mark safe itself.
            html = render_to_string(entry.template, {**objects, **context}, request=request)
            rendered.append(SafeString(html))
    return rendered


@dataclass(frozen=True)
class LinkEntry:
    name: str
    label: Any
    url: Callable[..., str | None]


_LINKS: dict[str, Registry[LinkEntry]] = {}


def fill_link(slot: str, *, name: str, label: Any, url: Callable[..., str | None]) -> LinkEntry:
    """Declare a link that `slot` shows for each of its objects (a "Report" link under every
    message): cheaper than a template per object, which a page of fifty messages would
    render fifty times. `url(**objects)` gives the address, or None to show nothing."""
    registry = _LINKS.setdefault(slot, Registry(f"link of slot {slot!r}"))
    return registry.add(name, LinkEntry(name, label, url))


def links_for(slot: str, **objects: Any) -> list[tuple[str, str]]:
    """The (label, url) of every link of `slot` for these objects, in declaration order."""
    found = []
    for entry in _LINKS.get(slot, ()):
        url = entry.url(**objects)
        if url is not None:
            found.append((str(entry.label), url))
    return found
