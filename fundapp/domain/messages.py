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

from collections.abc import Callable, Mapping
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
        ``Message`` is rendered with the same ``translate``. Raises KeyError for a field without a value."""
        template = translate(self.msgid) if translate is not None and self.msgid else self.msgid
        if not self.params:
            return template
        values = {k: (v.render(translate) if isinstance(v, Message) else v) for k, v in self.params.items()}
        return template.format_map(values)

    def __str__(self) -> str:
        return self.render()


_english: list[Callable[[Message], str]] = []  # fundapp.i18n registers its catalogue lookup here on import


def register_english(render: Callable[[Message], str]) -> None:
    """Let ``english()`` render through ``render`` (``fundapp.i18n`` passes its English catalogue lookup)."""
    _english[:] = [render]


def english(message: Message) -> str:
    """``message`` in English when a catalogue lookup is registered (``fundapp.i18n`` imported), else as
    ``render()`` gives it (Vietnamese). For logs and the ``en`` of a refusal; the domain keeps no English."""
    return _english[0](message) if _english else message.render()


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


class Pair(Message):
    """A message still written as a (Vietnamese, English) pair in the code (``english``): the old form, kept
    only while callers move to catalogue templates. Renders the Vietnamese; ``fundapp.i18n`` picks the twin."""

    def __init__(self, vietnamese: str, english: str) -> None:
        super().__init__(vietnamese)
        object.__setattr__(self, "english", english)
