"""A user-facing message as a value: its Vietnamese template (the gettext msgid) and named parameters.

The domain words its refusals in Vietnamese, the source language, without knowing any catalogue:
``msg("Khoản vay {loan} chưa giải ngân", loan="HD2024-001")`` is a ``Message`` whose ``render()``
fills the template, and ``render(translate)`` looks the template up first (``fundapp.i18n.render``
passes the English catalogue's ``gettext``). Parameters are already formatted text (amounts with
``money.format_dong``, dates dd/mm/yyyy), or a ``Message`` rendered in the same language.
``N_("…")`` marks a template kept in a constant (a label, a table) for extraction; it returns it as is.
``pybabel extract`` finds both markers (README, "Translations").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType


def N_(msgid: str) -> str:
    """Mark the Vietnamese ``msgid`` for the catalogue and return it unchanged (translated when rendered)."""
    return msgid


@dataclass(frozen=True)
class Message:
    """A Vietnamese template (``msgid``, with ``{name}`` fields) and the values of its fields (``params``)."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The text: ``translate(msgid)`` (or the msgid itself) with the fields filled; a parameter that is a
        ``Message`` is rendered with the same ``translate``; ``{{``/``}}`` are literal braces, as in ``str.format``.
        Raises KeyError for a field without a value."""
        template = translate(self.msgid) if translate is not None and self.msgid else self.msgid
        if "{" not in template and "}" not in template:
            return template
        values = {k: (v.render(translate) if isinstance(v, Message) else v) for k, v in self.params.items()}
        try:
            return template.format_map(values)  # "{{" in a template is a literal brace, as in str.format
        except (KeyError, IndexError, ValueError):
            if values:
                raise
            return template  # a plain text taken as a msgid, with braces of its own

    def __reduce__(self):
        """Pickled as its class, msgid and params (a mappingproxy does not pickle): a refusal found in a worker
        process of the import (services.import_workers) comes back whole."""
        return _rebuilt, (type(self), self.msgid, dict(self.params))

    def __str__(self) -> str:
        """The text in the officer's current language once ``fundapp.i18n`` is imported (else Vietnamese)."""
        return _current[0](self) if _current else self.render()


_english: list[Callable[[Message], str]] = []  # fundapp.i18n registers its catalogue lookups here on import
_current: list[Callable[[Message], str]] = []


def register_english(render: Callable[[Message], str], current: Callable[[Message], str] | None = None) -> None:
    """Let ``english()`` render through ``render`` and ``str(message)`` through ``current`` (the officer's
    language); ``fundapp.i18n`` passes its catalogue lookups."""
    _english[:] = [render]
    _current[:] = [current] if current else []


def english(message: Message) -> str:
    """``message`` in English when a catalogue lookup is registered (``fundapp.i18n`` imported), else as
    ``render()`` gives it (Vietnamese). For logs and the ``en`` of a refusal; the domain keeps no English."""
    return _english[0](message) if _english else message.render()


class Worded:
    """What carries its text as ``msg`` (a ``Message``): ``vi`` renders the Vietnamese source, ``en`` the English
    (from the catalogue once ``fundapp.i18n`` is imported, else Vietnamese), for logs and tests; ``str()`` the
    officer's language (``Message.__str__``). The refusals (``errors.MessageError``; a ``DomainError``'s ``str()`` is
    Vietnamese) and the journal's ``Broken`` are ``Worded``."""

    __slots__ = ()
    msg: Message

    @property
    def vi(self) -> str:
        """The text in Vietnamese (the source language)."""
        return self.msg.render()

    @property
    def en(self) -> str:
        """The text in English, from the catalogue (see ``english``)."""
        return english(self.msg)

    def __str__(self) -> str:
        return str(self.msg)


def _rebuilt(cls: type[Message], msgid: str, params: dict) -> Message:
    return cls(msgid, MappingProxyType(params))


def msg(msgid: str, /, **params: object) -> Message:
    """``Message(msgid, params)``: ``msg("Khoản vay {loan} chưa giải ngân", loan=loan_no)``."""
    return Message(msgid, MappingProxyType(dict(params)))


def as_message(text: Message | str) -> Message:
    """``text`` as a Message: a str is taken as a msgid without fields (as ``N_`` marks it)."""
    return text if isinstance(text, Message) else Message(text)


class Verbatim(Message):
    """Text that is not translated (a file name, a library's wording already put into words): renders as is."""

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The text itself, whatever ``translate``."""
        return self.msgid


class _Joined(Message):
    def render(self, translate: Callable[[str], str] | None = None) -> str:
        return self.msgid.join(p.render(translate) if isinstance(p, Message) else str(p)
                               for p in self.params["parts"])  # type: ignore[union-attr]


def join(separator: str, parts) -> Message:
    """The ``parts`` (Messages or text) rendered each in the same language and joined by ``separator``."""
    return _Joined(separator, MappingProxyType({"parts": tuple(parts)}))


class _Capitalised(Message):
    def render(self, translate: Callable[[str], str] | None = None) -> str:
        text = self.params["inner"].render(translate)  # type: ignore[union-attr]
        return text[:1].upper() + text[1:]


class _Lowered(Message):
    def render(self, translate: Callable[[str], str] | None = None) -> str:
        return self.params["inner"].render(translate).lower()  # type: ignore[union-attr]


class _MenuPath(Message):
    def render(self, translate: Callable[[str], str] | None = None) -> str:
        items = (translate(i) if translate is not None else i for i in self.params["items"])  # type: ignore[union-attr]
        return " → ".join(_ACCELERATOR.sub(r"\1", item) for item in items)


_ACCELERATOR = re.compile(r"&(.)")  # Qt's «&Tệp»: the T underlined, «&&» a literal «&»


def menu_path(*items: str) -> Message:
    """A path through the window's menus from the msgids its menus are built with (``N_("&Tệp")``,
    ``N_("Khôi phục từ bản sao lưu…")``): each translated, without its accelerator «&», joined by « → »
    («Tệp → Khôi phục từ bản sao lưu…», in English «File → Restore from a backup…»)."""
    return _MenuPath("", MappingProxyType({"items": tuple(items)}))


WINDOW, COMMAND_LINE = "window", "command_line"
_front = [WINDOW]  # where the text is read: the window, or the ``fundapp`` command while it runs (fundapp.cli)


class _ByFront(Message):
    def render(self, translate: Callable[[str], str] | None = None) -> str:
        return self.params[_front[0]].render(translate)  # type: ignore[union-attr]


def by_front(window: Message | str, command_line: Message | str) -> Message:
    """A message worded for where it is read: ``window``'s text in the GUI (it may name a menu, «Tệp → Khôi phục»),
    ``command_line``'s while the ``fundapp`` command runs (``on_command_line``: its options, never a menu)."""
    return _ByFront("", MappingProxyType({WINDOW: as_message(window), COMMAND_LINE: as_message(command_line)}))


@contextmanager
def on_command_line() -> Iterator[None]:
    """While the block runs, ``by_front`` messages take their command line's wording (the ``fundapp`` command's
    ``main``); the window's again after."""
    before = _front[0]
    _front[0] = COMMAND_LINE
    try:
        yield
    finally:
        _front[0] = before


def lowered(message: Message | str) -> Message:
    """``message`` in small letters, in whatever language it is rendered ("Sao kê khoản vay" inside a sentence)."""
    return _Lowered("", MappingProxyType({"inner": as_message(message)}))


def capitalised(message: Message | str) -> Message:
    """``message`` with its first letter in capitals, in whatever language it is rendered ("ngày thẩm định" at the
    start of a sentence)."""
    return _Capitalised("", MappingProxyType({"inner": as_message(message)}))
