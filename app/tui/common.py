"""What every screen of Kith shares: its base class, its footer, and a list that passes typing on."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets import OptionList
from textual.worker import Worker


class KithScreen(Screen):
    """A screen whose workers' failures reach the app's one handler, which says what went wrong
    (Textual's Worker.StateChanged goes to the screen that started the worker and no further)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker(event)  # type: ignore[attr-defined]


class Footer(TextualFooter):
    """Textual's footer, recomposed once per burst of binding changes, and first after the app's first paint.

    Textual rebuilds the footer's keys on every change of the bindings (focus moving, a screen
    resumed…), each time a widget per key with its styles: three times before the capture
    screen is first drawn, ~0.1 s each with Kith's nine keys — a third of the first screen. Here
    the changes of one burst make one rebuild, and the keys appear just after the first paint
    (the bar is there, empty, a moment before, as in any Textual app).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**{"compact": True, **kwargs})  # a screen's own keys and F1–F7 fit in 140 columns
        self._rebuild_queued = False

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


class TypeThroughList(RowList):
    """An option list that hands each key typed on it to its screen (TypedOn), in order, for the field the
    typing belongs in: also the keys of a burst that reached the list before the screen moved the focus,
    and text pasted on it (whose line breaks would otherwise pick an option)."""

    @dataclass
    class TypedOn(Message):
        typed_on: TypeThroughList
        text: str

        @property
        def control(self) -> TypeThroughList:
            return self.typed_on

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            self.post_message(self.TypedOn(self, event.character))

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if event.text:
            self.post_message(self.TypedOn(self, event.text))
