"""The footer on a narrow terminal: whole keys or none, F1 always."""

from __future__ import annotations

from textual.widgets._footer import FooterKey, FooterLabel

from app.tui.common import SCREENS, Footer
from tests.tui.pilot import SIZE, settle


def shown(app) -> tuple[list[tuple[str, str]], list[str], bool]:
    """The footer's keys (key, name), its labels, and whether it all fits the terminal's width."""
    footer = app.screen.query_one(Footer)
    keys = [(k.key_display, k.description) for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
    return keys, [str(label.render()) for label in footer.query(FooterLabel)], footer.max_scroll_x == 0


async def test_a_narrow_footer_shows_whole_keys_f1_and_the_screens_by_key_and_widens_again(make):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys, labels, fits = shown(app)
        assert fits
        assert keys == [("^s", "Save note"), ("^n", "New note"), ("f1", "Help"),
                        *[(f"f{n}", "") for n in range(2, 8)]]
        assert labels == [SCREENS]
        await pilot.press("f4")  # the matches screen's own five keys leave no room for F2–F7
        await settle(app, pilot)
        keys, labels, fits = shown(app)
        assert fits and keys[-1] == ("f1", "Help") and len(keys) == 6 and labels == []
        await pilot.resize_terminal(40, 24)
        await settle(app, pilot)
        keys, labels, fits = shown(app)
        assert fits and keys == [("i", "Introduced"), ("f1", "Help")]
        await pilot.resize_terminal(*SIZE)
        await pilot.press("f2")
        await settle(app, pilot)
        keys, labels, fits = shown(app)
        assert fits and keys[-1] == ("f7", "Today") and labels == []
