"""Contact completion: the first screen never waits for the contacts, and completes them once read."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from textual import events
from textual.widgets import Input, OptionList

from app.config import Settings
from app.core.notebook import Notebook
from app.tui.app import make_app
from app.tui.capture import CaptureScreen
from app.tui.names import NameIndex
from models import Contact, NoteIn

SIZE = (120, 40)
DAY = dt.date(2026, 10, 1)


def unloaded(tmp_path) -> Notebook:
    """A store whose model is never loaded (the apps here run with load_model=False): notes are kept, not
    understood, which is all completion needs."""
    return Notebook(Settings(home=tmp_path / "home"))


class GatedNotebook(Notebook):
    """A notebook whose contacts() waits until the test lets it answer, and says which thread asked."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.gate = threading.Event()
        self.asked_from: list[threading.Thread] = []

    def contacts(self) -> list[Contact]:
        self.asked_from.append(threading.current_thread())
        assert self.gate.wait(timeout=20), "contacts() was never released"
        return super().contacts()


def seeded(notebook: Notebook, *names: str) -> Notebook:
    for n, name in enumerate(names):
        notebook.save_note(NoteIn(contact=name, date=DAY + dt.timedelta(days=n), text=f"Call with {name}."))
    return notebook


def suggestions(app) -> list[str]:
    shown = next(app.screen.query("#contact-suggestions").results(OptionList), None)  # mounted when first needed
    if shown is None or not shown.display:
        return []
    return [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]


async def test_the_screen_paints_and_takes_typing_while_the_contacts_are_still_being_read(tmp_path):
    notebook = GatedNotebook(Settings(home=tmp_path / "home"))
    seeded(notebook, "Marco Bellini", "Fiona Murray")
    app = make_app(notebook, load_model=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CaptureScreen)
            await pilot.press(*"mar")
            await pilot.pause()
            assert app.screen.query_one("#contact", Input).value == "mar"
            assert notebook.asked_from and all(t is not threading.main_thread() for t in notebook.asked_from)
            assert suggestions(app) == []  # not read yet: nothing to offer, and no new-contact row either
            assert not app.screen.query_one("#new-contact").display
            notebook.gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert suggestions(app) == ["Marco Bellini"]  # what was typed before they arrived is completed
    finally:
        notebook.gate.set()


async def test_a_stored_contact_is_offered_and_a_new_name_opens_its_details(tmp_path):
    notebook = seeded(unloaded(tmp_path), "Marco Bellini", "Mara Costa", "Omar Haddad", "José García")
    app = make_app(notebook, load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"mar")
        await pilot.pause()
        # Names that start as typed, the most recently met first; then the near misses.
        assert suggestions(app) == ["Mara Costa", "Marco Bellini", "Omar Haddad"]
        label = app.screen.query_one("#contact-suggestions", OptionList).get_option_at_index(0).prompt
        assert [(span.start, span.end, str(span.style)) for span in label.spans] == [(0, 3, "reverse")]
        assert app.screen.query_one("#new-contact").display
        await pilot.press("down", "down", "enter")  # down to the list, then to the second
        await pilot.pause()
        assert app.screen.query_one("#contact", Input).value == "Marco Bellini"
        assert not app.screen.query_one("#new-contact").display  # a known contact: no details to fill in
        assert app.focused is app.screen.query_one("#note")
        await pilot.press("ctrl+l", "ctrl+a", "ctrl+k", *"jose g")
        await pilot.pause()
        assert suggestions(app) == ["José García"]


async def test_a_contact_saved_on_the_screen_is_offered_next(tmp_path):
    app = make_app(unloaded(tmp_path), load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press(*"Lena Ortiz", "enter", *"Wants the hiring scorecard.", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#contact", Input).value == ""
        await pilot.press(*"len")
        await pilot.pause()
        assert suggestions(app) == ["Lena Ortiz"]


def test_completion_ranks_starts_then_later_words_then_near_misses():
    names = NameIndex([
        Contact(name="Bella Moreau", last_met=DAY),
        Contact(name="Marco Bellini", last_met=DAY - dt.timedelta(days=30)),
        Contact(name="Isabel Lindqvist", last_met=DAY - dt.timedelta(days=2)),
        Contact(name="Belén Ortiz"),
        Contact(name="Beth Ellis", last_met=DAY - dt.timedelta(days=1)),
    ])
    assert [name for name, _ in names.suggest("bel")] == ["Bella Moreau", "Belén Ortiz", "Marco Bellini",
                                                          "Isabel Lindqvist"]
    assert [name for name, _ in names.suggest("beht")] == ["Beth Ellis"]  # a typo, from four letters on
    assert [name for name, _ in names.suggest("BELEN")] == ["Belén Ortiz"]
    assert [name for name, _ in names.suggest("marco belini")] == ["Marco Bellini"]
    assert names.known(" marco  BELLINI ") and not names.known("marco")
    assert names.suggest("   ") == [] and NameIndex([]).suggest("anyone") == []
    label = dict(names.suggest("ortiz"))["Belén Ortiz"]
    assert label.plain == "Belén Ortiz" and [(s.start, s.end) for s in label.spans] == [(6, 11)]


def test_completion_over_ten_thousand_names_finds_the_one_typed():
    """Its speed is bench/startup.py's to measure (completion on a 10,000-contact store), not a test's."""
    firsts = ["Amelia", "Noor", "Kenji", "Lucía", "Sipho", "Ingrid", "Mateo", "Priya", "Olga", "Wei"]
    contacts = [Contact(name=f"{firsts[n % 10]} Person{n:05d}") for n in range(10_000)]
    names = NameIndex(contacts)
    assert names.suggest("lucia person01233")[0][0] == "Lucía Person01233"
    assert all(name.startswith("Noor") for name, _ in names.suggest("noor p"))
    assert names.suggest("am") and all("am" in name.lower() for name, _ in names.suggest("am"))


@pytest.mark.parametrize("how, text", [
    ("typed", "okay so, pickers keep"),
    ("typed", "pickers keep quitting\ntwins turn 6"),  # an Enter in the burst is a line of the note, picks no name
    ("pasted", "- pickers keep quitting\n- twins turn 6 in march\n- send him the rota template by fri"),
])
async def test_typing_or_pasting_after_enter_on_a_new_name_with_names_offered_starts_the_note(tmp_path, how, text):
    """A new name close to a known one offers it; Enter goes to the offer, and typing or pasting on from there
    is the note (the name stays as typed), not keys lost on the list, nor line breaks that pick the known name."""
    notebook = seeded(unloaded(tmp_path), "Henrik Dahl")
    app = make_app(notebook, load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"Henrik Lund", "enter")
        await pilot.pause()
        offered = app.screen.query_one("#contact-suggestions", OptionList)
        assert app.focused is offered
        if how == "typed":
            for key in text:  # a burst, as a fast typist or tmux sends it: the app hands every key to the
                app.post_message(events.Key("enter", "\r") if key == "\n" else events.Key(key, key))  # list first
        else:
            offered.post_message(events.Paste(text))
        await pilot.pause()
        assert app.screen.query_one("#note").text == text
        assert app.screen.query_one("#contact", Input).value == "Henrik Lund"
        assert suggestions(app) == []
        assert app.screen.query_one("#new-contact").display  # a new contact: its details can still be filled in


async def test_lines_pasted_on_a_one_line_field_are_the_note_whole_and_one_line_stays_in_the_field(tmp_path):
    """Textual's Input would keep the first line of an e-mail pasted on the name (or a new contact's details)
    and drop the rest: here every line lands in the note, and a name pasted alone is the name."""
    app = make_app(seeded(unloaded(tmp_path), "Henrik Dahl"), load_model=False)
    email = "Hi,\nthanks for the call. Our Saturday classes lose 9 mats a week to no-shows.\nBest, Ines"
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        contact = app.screen.query_one("#contact", Input)
        contact.post_message(events.Paste("Ines Duarte"))
        await pilot.pause()
        assert contact.value == "Ines Duarte"
        company = app.screen.query_one("#company", Input)
        company.focus()
        company.post_message(events.Paste(email))
        await pilot.pause()
        assert app.screen.query_one("#note").text == email
        assert company.value == "" and contact.value == "Ines Duarte"
        assert app.focused is app.screen.query_one("#note")
        company.focus()
        company.post_message(events.Paste("\n\nNorte Studio\n"))  # one line, blank ones around it
        await pilot.pause()
        assert company.value == "Norte Studio" and app.screen.query_one("#note").text == email
        contact.value = ""
        contact.focus()
        await pilot.press(*"Henrik")
        await pilot.pause()
        assert suggestions(app)  # Henrik Dahl offered
        contact.post_message(events.Paste("pickers keep quitting\ntwins turn 6"))
        await pilot.pause()
        assert suggestions(app) == [] and app.screen.query_one("#note").text.endswith("twins turn 6")


async def test_a_note_pasted_on_the_date_field_is_the_note_and_a_day_stays_there(tmp_path):
    """Tab from the name lands on the date: a one-line note pasted there is no date, so it is the note."""
    app = make_app(seeded(unloaded(tmp_path)), load_model=False)
    line = "Pilar - bakery in Vigo. flour costs doubled since spring, tried a new miller, no better."
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        date = app.screen.query_one("#date", Input)
        date.focus()
        date.post_message(events.Paste(line))
        await pilot.pause()
        assert date.value == "" and app.screen.query_one("#note").text == line
        assert app.focused is app.screen.query_one("#note")
        date.focus()
        date.post_message(events.Paste("last Friday"))
        await pilot.pause()
        assert date.value == "last Friday" and app.screen.query_one("#note").text == line


async def test_typing_or_pasting_after_tab_from_the_note_goes_on_in_the_note(tmp_path):
    """Tab from the note lands on the panel of what Kith understood, which takes no text: what is typed or
    pasted there goes on in the note, not nowhere."""
    app = make_app(seeded(unloaded(tmp_path)), load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press(*"Ines Duarte", "enter", *"bakery in Porto.")
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#live")
        await pilot.press(*" Bins a fifth")
        assert app.screen.query_one("#note").text == "bakery in Porto. Bins a fifth"
        assert app.focused is app.screen.query_one("#note")
        await pilot.press("tab")
        app.screen.query_one("#live").post_message(events.Paste(" of the bread."))
        await pilot.pause()
        assert app.screen.query_one("#note").text == "bakery in Porto. Bins a fifth of the bread."


async def test_back_on_the_contacts_screen_typing_replaces_the_last_filter(tmp_path):
    app = make_app(seeded(unloaded(tmp_path), "Jana Novak", "Sana Qadri"), load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f6", *"jana")
        await app.workers.wait_for_complete()
        await pilot.press("f2", "f6")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "jana"  # still in view
        await pilot.press(*"sana")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "sana"


async def test_the_contacts_filter_finds_people_by_what_their_row_shows_and_shows_their_tags(tmp_path):
    notebook = seeded(unloaded(tmp_path), "Amelia Hart", "Jana Novak", "Marco Bellini")
    for contact in notebook.contacts():
        if contact.name == "Amelia Hart":
            notebook.update_contact(contact.model_copy(update={"role": "Director of Nursing", "tags": ["health"]}))
        if contact.name == "Marco Bellini":
            notebook.update_contact(contact.model_copy(update={"location": "Lyon", "tags": ["law"]}))
    app = make_app(notebook, load_model=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()

        async def listed(typed: str) -> list[str]:
            filter_ = app.screen.query_one("#filter", Input)
            filter_.value = typed
            await pilot.pause()
            rows = app.screen.query_one("#contacts", OptionList)
            return [" ".join(str(rows.get_option_at_index(i).prompt).split()).split(" last met")[0]
                    for i in range(rows.option_count)]

        await pilot.press("f6")
        await app.workers.wait_for_complete()
        assert await listed("nursing") == ["Amelia Hart Director of Nursing #health"]
        assert await listed("lyon") == ["Marco Bellini Lyon #law"]
        assert await listed("law") == ["Marco Bellini Lyon #law"]
        assert await listed("jan") == ["Jana Novak"]  # names still come first, alone when only a name fits
