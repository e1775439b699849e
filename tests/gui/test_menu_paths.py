"""Every «menu → item» a message names is a menu item the window has (an officer's trial: the advice for a damaged
book said «Tệp → Khôi phục sổ», the menu item is «Khôi phục từ bản sao lưu…»; the officer looked for an item that
does not exist). The catalogue holds every message, so a path written into any of them is checked here."""

from __future__ import annotations

from babel.messages.pofile import read_po

from fundapp.i18n import LOCALE_DIR
from fundapp.ledger.advice import OPEN_IN_WINDOW, RESTORE_IN_WINDOW


def _menus(window) -> dict[str, list[str]]:
    """The window's menu bar: title → item texts, as the officer reads them (no «&»)."""
    return {top.text().replace("&", ""): [a.text().replace("&", "") for a in top.menu().actions() if a.text()]
            for top in window.menuBar().actions()}


def test_every_menu_path_in_a_message_is_a_menu_item_of_the_window(empty_window):
    menus = _menus(empty_window)
    assert "Khôi phục từ bản sao lưu…" in menus["Tệp"]
    with open(LOCALE_DIR / "fundapp.pot", "rb") as f:
        msgids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id]
    named = 0
    for text in [*msgids, RESTORE_IN_WINDOW.render(), OPEN_IN_WINDOW.render()]:
        for title, items in menus.items():
            for rest in text.split(f"{title} → ")[1:]:
                named += 1
                assert any(rest.startswith(item) for item in items), (
                    f"«{text}» names «{title} → {rest[:40]}…», not an item of the menu «{title}»: {items}")
    assert named >= 2
