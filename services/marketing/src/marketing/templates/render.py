"""Merge fields rendered safely, without I/O: Jinja2's sandbox, HTML autoescaped, only the known fields.

A contact named `<script>` arrives in the HTML as `&lt;script&gt;`; a template can reach neither
Python's internals (the sandbox) nor a field that is not offered (checked when the template is saved).
Links written in the template are the only ones the click redirect follows: they are found in the
template's source, numbered, and the rendered HTML points each at its signed tracking link.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from crm_shared.errors import BadInput

# merge field → its attributes; `{{ unsubscribe_url }}` stands alone
FIELDS: dict[str, tuple[str, ...]] = {
    "contact": ("name",),
    "account": ("name",),
    "campaign": ("name",),
    "sender": ("name", "address"),
}
PLAIN_FIELDS = ("unsubscribe_url",)
KNOWN = tuple(f"{name}.{attr}" for name, attrs in FIELDS.items() for attr in attrs) + PLAIN_FIELDS
LINK = re.compile(r"""href\s*=\s*(["'])(https?://[^"'{}<>\s]+)\1""", re.IGNORECASE)

# the sample recipient: what previews show, and what `check` fills a template with to prove it renders
SAMPLE: dict[str, Any] = {
    "contact": {"name": "张三"},
    "account": {"name": "示例客户有限公司"},
    "campaign": {"name": "示例活动"},
    "sender": {"name": "示例公司", "address": "marketing@example.com"},
    "unsubscribe_url": "#",
}
LONGEST_REPEAT = 10_000  # characters a template's own `*` may make of a text
LONGEST_RENDERED = 1_000_000  # characters one part (subject, HTML, text, an SMS parameter) may render to
# filters whose result grows at most by their input and arguments: `center`, `indent`, `wordwrap`, `format`,
# `join`, `replace`, `batch`... can multiply a text by a number the template chooses
FILTERS = (
    "abs", "capitalize", "count", "d", "default", "e", "escape", "first", "float", "forceescape", "int", "last",
    "length", "lower", "round", "safe", "string", "striptags", "title", "trim", "truncate", "upper", "urlencode",
    "wordcount",
)  # fmt: skip


class TooLong(SecurityError):
    """A part that would render to more than `LONGEST_RENDERED` characters."""


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, which also refuses `**`, a long `"x" * n`, `%` formatting of a text (its width is a
    number too), method calls and the filters that multiply: `{{ 9**9**9 }}` would hold a sender for ever,
    `{{ contact.name|center(10**8) }}` make a 100 MB mail. Intercepted operators are not folded when the
    template compiles either."""

    intercepted_binops = frozenset({"**", "*", "%"})

    def __init__(self, autoescape: bool) -> None:
        super().__init__(autoescape=autoescape)
        self.filters = {name: self.filters[name] for name in FILTERS}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("the power operator is not allowed in a template")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("formatting a text with % is not allowed in a template")
        sequence, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
        if operator == "*" and isinstance(sequence, list | tuple):
            raise SecurityError("repeating a list is not allowed in a template")
        if operator == "*" and isinstance(sequence, str) and isinstance(times, int):
            size = len(sequence) * times
            if size > LONGEST_REPEAT:
                raise SecurityError(f"a repetition longer than {LONGEST_REPEAT} is not allowed in a template")
            # all of a part's repetitions together (`("x" * 9999) ~ ("x" * 9999) ~ ...` is one expression, built
            # whole before any of it is written out) stay within what the part may render to
            repeated = getattr(context, "repeated", 0) + size
            setattr(context, "repeated", repeated)  # noqa: B010  (a render's own count; Context declares none)
            if repeated > LONGEST_RENDERED:
                raise TooLong(f"a part longer than {LONGEST_RENDERED:,} characters is not allowed")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        raise SecurityError("calling a method is not allowed in a template")


_html = _Sandbox(autoescape=True)
text_environment = _Sandbox(autoescape=False)


class RenderFailed(Exception):
    """A template that parsed but could not be filled in (`1/0`, an attribute of a text): the part it is in."""

    def __init__(self, part: str, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}"[:200])
        self.part = part


@dataclass(frozen=True)
class Parts:
    subject: str
    html: str
    text: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def _unknown(tree: nodes.Template) -> list[str]:
    """Names and attributes the template uses that no recipient has."""
    bad = [n.name for n in tree.find_all(nodes.Name) if n.name not in FIELDS and n.name not in PLAIN_FIELDS]
    for attr in tree.find_all(nodes.Getattr):
        if isinstance(attr.node, nodes.Name) and attr.node.name in FIELDS and attr.attr not in FIELDS[attr.node.name]:
            bad.append(f"{attr.node.name}.{attr.attr}")
    return bad


# statements a mail merge of single values has no use for, and that would let a template grow without end
# (`{% set contact = contact ~ contact %}` doubles a text each time) or spin (loops nested in loops)
STATEMENTS = {nodes.For: "for", nodes.Assign: "set", nodes.AssignBlock: "set", nodes.Macro: "macro"}
STATEMENTS |= {nodes.CallBlock: "call", nodes.With: "with"}


def _not_allowed(tree: nodes.Template) -> str | None:
    """The first statement, filter or method call the template uses that could make its mail any size."""
    for statement in tree.find_all(tuple(STATEMENTS)):
        return f"{{% {STATEMENTS[type(statement)]} %}}"
    for call in tree.find_all(nodes.Call):
        return f"{call.node.attr}()" if isinstance(call.node, nodes.Getattr) else "()"
    return next((f.name for f in tree.find_all(nodes.Filter) if f.name not in FILTERS), None)


def check(source: str, field: str) -> str:
    """The template source when it parses, names only known merge fields and allowed filters and renders for a
    sample recipient; a field error otherwise."""
    try:
        tree = _html.parse(source)
    except TemplateSyntaxError as exc:
        raise BadInput("template_syntax", field=field, line=exc.lineno) from exc
    except RecursionError as exc:  # brackets nested thousands deep
        raise BadInput("template_syntax", field=field, line=1) from exc
    if bad := _unknown(tree):
        raise BadInput("unknown_template_field", field=field, name=bad[0], known=", ".join(KNOWN))
    if name := _not_allowed(tree):
        raise BadInput("template_not_allowed", field=field, name=name, allowed=", ".join(FILTERS))
    try:
        filled(source, SAMPLE, True, field)
    except RenderFailed as exc:
        if isinstance(exc.__cause__, TooLong):
            raise BadInput("template_too_long", field=field, most=f"{LONGEST_RENDERED:,}") from exc
        raise BadInput("template_render", field=field, detail=str(exc)) from exc
    return source


def links(source: str) -> list[str]:
    """The http(s) links the HTML source names, in order, each once (as written, entities undone)."""
    return list(dict.fromkeys(html.unescape(m.group(2)) for m in LINK.finditer(source)))


@functools.lru_cache(maxsize=256)
def _compiled(source: str, escaped: bool) -> Template:
    """Each source compiled once: a campaign's mails all render the same three."""
    return (_html if escaped else text_environment).from_string(source)


def bounded(template: Template, values: Mapping[str, Any]) -> str:
    """The template filled in, stopped as soon as it passes `LONGEST_RENDERED` characters."""
    pieces, size = [], 0
    for piece in template.generate(values):
        size += len(piece)
        if size > LONGEST_RENDERED:
            raise TooLong(f"a part longer than {LONGEST_RENDERED:,} characters is not allowed")
        pieces.append(piece)
    return "".join(pieces)


def filled(source: str, values: Mapping[str, Any], escaped: bool, part: str) -> str:
    """One template filled in; `RenderFailed` naming `part` for whatever the template's own expressions raise."""
    try:
        return bounded(_compiled(source, escaped), values)
    except Exception as exc:  # the template's doing (ZeroDivisionError, SecurityError, UndefinedError, ...)
        raise RenderFailed(part, exc) from exc


def render(parts: Parts, values: Mapping[str, Any]) -> Rendered:
    """Subject and text as written, HTML escaped; a missing value renders empty. `RenderFailed` names the part
    that could not be filled in."""
    return Rendered(
        subject=" ".join(filled(parts.subject, values, False, "subject").split()),
        html=filled(parts.html, values, True, "html"),
        text=filled(parts.text, values, False, "text"),
    )


def tracked(rendered_html: str, known: list[str], link_for: Callable[[int], str], pixel: str | None) -> str:
    """The HTML with each of the template's `known` links pointing at its tracking link (links a merge field
    brought, such as the unsubscribe link, stay as they are) and the open pixel at the end."""

    def swap(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        if url not in known:
            return match.group(0)
        return f'href="{html.escape(link_for(known.index(url)))}"'

    body = LINK.sub(swap, rendered_html)
    if pixel is None:
        return body
    image = f'<img src="{html.escape(pixel)}" width="1" height="1" alt="" style="display:none">'
    closing = body.lower().rfind("</body>")
    return body[:closing] + image + body[closing:] if closing >= 0 else body + image
