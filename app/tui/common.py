"""What every screen of Kith shares: its base class, its footer, and a list that passes typing on."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey, FooterLabel  # not exported; textual is pinned (pyproject)
from textual.worker import Worker


class KithScreen(Screen):
    """A screen whose workers' failures reach the app's one handler, which says what went wrong
    (Textual's Worker.StateChanged goes to the screen that started the worker and no further), and whose Tab moves
    the focus before the keys typed after it are handed to a field: Textual's own Tab is a binding the key meets
    only once the focused field has passed it on, by when the rest of a burst ("Acme" Tab "CEO") is that field's."""

    BINDINGS = [Binding("tab", "app.focus_next", show=False, priority=True),
                Binding("shift+tab", "app.focus_previous", show=False, priority=True)]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker(event)  # type: ignore[attr-defined]


SCREENS = "Screens"
"""What F2–F7 are called when a narrow footer shows their keys alone."""


def _width(keys: list[Widget]) -> int:
    """Columns the footer's keys take, compact: each key, a space and its description, a space after."""
    return sum(cell_len(k.key_display) + (1 + cell_len(k.description) if k.description else 0) + 1
               for k in keys if isinstance(k, FooterKey)) + sum(cell_len(SCREENS) for k in keys
                                                                 if isinstance(k, FooterLabel))


class Footer(TextualFooter):
    """Textual's footer, recomposed once per burst of binding changes, and first after the app's first paint;
    on a narrow terminal whole keys give way, never half of one.

    Textual rebuilds the footer's keys on every change of the bindings (focus moving, a screen
    resumed…), each time a widget per key with its styles: three times before the capture
    screen is first drawn, ~0.1 s each with Kith's nine keys — a third of the first screen. Here
    the changes of one burst make one rebuild, and the keys appear just after the first paint
    (the bar is there, empty, a moment before, as in any Textual app).

    A screen's own keys and F1–F7 need about 140 columns. In fewer, Textual cuts the row wherever it
    ends ("f6 Co"), and a letter of the hidden keys shows past the palette key. So when they do not fit,
    F2–F7 show their keys alone under one word (their names on hover), and when even that does not
    fit, they go: the screen's own keys and F1, whose help lists them all, stay (as many of the screen's
    keys as fit, in order, on a narrower terminal still).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**{"compact": True, **kwargs})
        self._rebuild_queued = False
        self._shown_for = -1

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        palette = [k for k in keys if k.has_class("-command-palette")]
        own = [k for k in keys if k not in palette]
        go = [k for k in own if isinstance(k, FooterKey) and k.action.startswith("go(")]
        room = self.app.size.width - (_width(palette) + 1 if palette else 0)  # the palette key has a border
        self._shown_for = self.app.size.width
        if go and _width(own) > room:
            for key in go:
                key.tooltip, key.description = key.description, ""
            after = own.index(go[-1]) + 1
            own = own[:after] + [FooterLabel(SCREENS)] + own[after:]
            if _width(own) > room:
                own = [k for k in own if k not in go and not isinstance(k, FooterLabel)]
        if _width(own) > room:  # narrower still: the screen's keys that fit, in order, and F1
            help_key = [k for k in own if isinstance(k, FooterKey) and k.action == "help"]
            fitting: list[Widget] = []
            for key in (k for k in own if k not in help_key):
                if _width(fitting + [key] + help_key) > room:
                    break
                fitting.append(key)
            own = [k for k in own if k in fitting or k in help_key]
        yield from own + palette

    def on_resize(self) -> None:
        if self._shown_for not in (-1, self.app.size.width) and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_queued:
            return
        if not getattr(self.app, "painted", True):
            return  # the app refreshes the bindings once its first screen is drawn
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()


class RowList(OptionList):
    """An option list whose cursor stops at either end instead of wrapping round: Kith's lists act on the
    highlighted row with one key (space ticks a follow-up off, t logs a touch), so Up on the first row must
    not land on the last."""

    def _step(self, direction: int) -> None:
        if self.highlighted is None:
            self.highlighted = next((n for n in (range(self.option_count) if direction > 0 else
                                                 range(self.option_count - 1, -1, -1))
                                     if not self.get_option_at_index(n).disabled), None)
            return
        ahead = range(self.highlighted + 1, self.option_count) if direction > 0 else range(self.highlighted - 1, -1, -1)
        self.highlighted = next((n for n in ahead if not self.get_option_at_index(n).disabled), self.highlighted)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)


@dataclass
class HandedOn(Message):
    """Text a widget hands to its screen for the field it belongs in (its control: that widget)."""

    widget: Widget
    text: str

    @property
    def control(self) -> Widget:
        return self.widget


class TypesThrough:
    """For a widget that takes no text (a list, a panel): each key typed on it is handed to its screen (TypedOn),
    in order, for the field the typing belongs in — also the keys of a burst that reached it before the screen
    moved the focus, Enter among them (as a line break: it ends what was typed, and picks no option) — and so is
    text pasted on it (whose line breaks would otherwise pick an option)."""

    handing_on = False
    """Whether typing on it has been handed on since it last had the focus."""

    class TypedOn(HandedOn):
        """Keys typed or text pasted on a widget that takes no text."""

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            self.handing_on = True
            self.post_message(TypesThrough.TypedOn(self, event.character))
        elif event.key == "enter" and self.handing_on:
            event.stop()
            event.prevent_default()
            self.post_message(TypesThrough.TypedOn(self, "\n"))

    def on_blur(self, event: events.Blur) -> None:
        self.handing_on = False

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if event.text:
            self.post_message(TypesThrough.TypedOn(self, event.text))


class TypeThroughList(TypesThrough, RowList):
    """An option list whose typing and pastes go to the field they belong in (TypesThrough)."""
