"""The `kith` command: argument parsing and output only; the work is in app.core.

`kith` alone opens the app, whose first screen must not wait: this module imports nothing heavy
at the top (no pydantic, no models, no store); each command imports what it uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KithError, NotFound

if TYPE_CHECKING:
    from app.config import Settings

MAX_LIMIT = 10_000
KINDS = ("problem", "solution", "personal", "followup", "note")
STAGES = ("invited", "connected", "offered", "met")
"""models.Stage's values (a test keeps them level)."""
INTRO_STEPS = ("asked-a", "a-yes", "a-no", "asked-b", "b-yes", "b-no", "introduced", "helped", "not-helped")
"""app.core.intros.STEPS (a test keeps them level): importing it would load the matcher for --help."""
"""models.Kind's values, for `search --kind` (a test keeps them level): importing models costs ~0.25 s."""
ENCODES = {"search", "add", "import"}
"""Commands that embed text: the model starts loading while the command reads its input."""


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}, got {number}")
    return number


class Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"kith: {message} (see `{self.prog} --help`)\n")


def parser() -> argparse.ArgumentParser:
    home = "the Kith home (default: $KITH_HOME or the user data dir)"
    # Before or after the command: a command's own --home is set only when given (SUPPRESS), else the one
    # before it (`kith --home DIR add …`) would be overwritten by the command's default.
    common = Parser(add_help=False)
    common.add_argument("--home", type=Path, default=argparse.SUPPRESS, help=home)
    data = Parser(add_help=False)
    data.add_argument("--json", action="store_true", help="print JSON (the scripting contract)")

    ap = Parser(prog="kith", description="A terminal notebook for the people you meet.")
    ap.add_argument("--home", type=Path, default=None, help=home)
    ap.add_argument("--version", action="version", version=f"kith {_version()}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.add_parser("tui", parents=[common], help="open the app (the default)")
    sub.add_parser("demo", parents=[common], help="open the app on a throw-away copy of the demo network "
                   "(in a folder of its own, deleted on quit: never your home)")

    p = sub.add_parser("add", parents=[common, data], help="add one note (TEXT, or stdin)")
    p.add_argument("--contact", required=True, help="who the note is about (created when new)")
    p.add_argument("--date", default="today", help="when you met: 2026-10-03, yesterday, last Friday…")
    p.add_argument("text", nargs="?", help="the note; read from stdin when absent")
    p.add_argument("--edit", action="store_true", help="write the note in $EDITOR")

    p = sub.add_parser("import", parents=[common, data],
                       help="import notes (JSON lines), a LinkedIn export (folder, zip or CSV), vCards or a "
                            "Google Contacts CSV")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")

    p = sub.add_parser("search", parents=[common, data], help="search by meaning and words")
    p.add_argument("query", help='a question or words: "who solved onboarding problems?", "kiln"')
    p.add_argument("--limit", type=_limit, default=10, help="at most this many sentences (default 10)")
    p.add_argument("--contact", help="only this contact's notes")
    p.add_argument("--kind", choices=KINDS, help="only sentences of this kind")

    p = sub.add_parser("matches", parents=[common, data], help="problems another contact has solved")
    p.add_argument("--contact", help="only the pairs where this contact has the problem or the solution")
    p.add_argument("--limit", type=_limit, default=20, help="how many pairs, best first (default 20)")
    p.add_argument("--team", action="store_true", help="problems a colleague's shared story answers (a team's server)")

    p = sub.add_parser("share", parents=[common, data],
                       help="share a story (a solution's id) with the team; without ID, what is shared")
    p.add_argument("id", type=int, nargs="?")
    p.add_argument("--as", dest="member", metavar="NAME", help="the name your colleagues know you by (said once)")
    p.add_argument("--undo", action="store_true", help="withdraw the story from the team")
    p.add_argument("--contact", help="list this contact's stories with their ids")

    p = sub.add_parser("recap", parents=[common, data], help="the pre-meeting recap of a person")
    p.add_argument("name", help="the contact, as you wrote it (close spellings are offered)")

    p = sub.add_parser("followups", parents=[common, data], help="due and overdue follow-ups")
    p.add_argument("--all", action="store_true", help="every follow-up, done and upcoming too")

    p = sub.add_parser("done", parents=[common, data], help="mark a follow-up done (its id from `followups`)")
    p.add_argument("id", type=int)

    sub.add_parser("contacts", parents=[common, data], help="the contacts")
    sub.add_parser("duplicates", parents=[common, data], help="contacts that are likely one person")
    p = sub.add_parser("merge", parents=[common, data], help="join OTHER into KEEP (notes, follow-ups, fields)")
    p.add_argument("keep")
    p.add_argument("other")

    p = sub.add_parser("stage", parents=[common, data], help="set a contact's funnel stage by hand")
    p.add_argument("name")
    p.add_argument("stage", choices=STAGES)
    p = sub.add_parser("funnel", parents=[common, data], help="invited → connected → offered → met, per week")
    p.add_argument("--weeks", type=_limit, default=16, help="how many weeks back (default 16, as Today shows)")
    p = sub.add_parser("cadence", parents=[common, data], help="keep in touch with NAME (or --tag TAG) EVERY 30d/6w/3m")
    p.add_argument("name", nargs="?")
    p.add_argument("every")
    p.add_argument("--tag")
    p = sub.add_parser("touch", parents=[common, data], help="log that you were in touch (restarts the cadence)")
    p.add_argument("name")
    p.add_argument("--date", default="today")
    p.add_argument("--what", help="what it was: a call, a message…")
    p = sub.add_parser("intro", parents=[common, data],
                       help="introduce PROBLEM_CONTACT to SOLVER, with double opt-in, step by step")
    p.add_argument("problem_contact")
    p.add_argument("solver")
    p.add_argument("--step", choices=INTRO_STEPS)
    p = sub.add_parser("intros", parents=[common, data], help="every introduction, and who helped whom")
    p.add_argument("--contact")

    p = sub.add_parser("export", parents=[common], help="everything, for you to keep")
    p.add_argument("--format", choices=["json", "markdown", "vcard"], default="json")
    p.add_argument("-o", "--output", type=Path,
                   help="file (json, vcard) or folder (markdown); default stdout")

    sub.add_parser("reindex", parents=[common, data], help="rebuild the search index from the database")
    sub.add_parser("doctor", parents=[common, data], help="check the store's health")
    return ap


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kith")
    except PackageNotFoundError:
        return "unknown"


def settings_for(args: argparse.Namespace) -> Settings:
    from app.config import Settings

    settings = Settings.from_env()
    if getattr(args, "home", None):
        settings = settings.model_copy(update={"home": args.home})
    return settings


def emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def quote(text: str, indent: int = 6, width: int = 100) -> str:
    return textwrap.fill(f"“{text}”", width=width, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 1))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if not argv:  # `kith` alone: the app, without first building every command's parser (~35 ms)
            return _app(None, demo=False)
        args = parser().parse_args(argv)
        command = args.command or "tui"
        if command in ("tui", "demo"):
            return _app(getattr(args, "home", None), demo=command == "demo")
        return run_command(command, args)
    except KithError as e:
        print(f"kith: {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kith: interrupted; nothing half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _app(home: Path | None, *, demo: bool) -> int:
    from app.tui.launch import run

    # The store is opened by the app, after its first screen: the settings are read there.
    return run(home, demo=demo)


def run_command(command: str, args: argparse.Namespace) -> int:
    dry_run = getattr(args, "dry_run", False)
    embedder = None
    if command in ENCODES and not dry_run:  # the model loads while the store's modules are imported (~0.1 s)
        from app.store.embedder import loading_now

        embedder = loading_now()
    from app.store.store import Store

    store = Store(settings_for(args), embedder=embedder, dry_run=dry_run)
    try:
        return COMMANDS[command](store, args)
    finally:
        store.close()


# ------------------------------------------------------------------ commands


def cmd_add(store, args) -> int:
    from pydantic import ValidationError

    from app.core.capture import add_note, describe
    from app.core.dates import not_after_tomorrow, parse_day
    from app.core.editor import edit_text
    from app.core.phrasing import counted
    from models import NoteIn

    today = dt.date.today()
    try:
        day = parse_day(args.date, today)
    except ValueError as e:
        raise KithError(f"--date: {e}") from None
    try:
        not_after_tomorrow(day, today)
    except ValueError as e:
        raise KithError(f"--date: {e}") from None
    if args.edit:
        if args.text is not None:
            raise KithError("give the note as TEXT or write it with --edit, not both")
        text = edit_text("", store.home)
        if not text.strip():
            raise KithError("the note is empty; nothing saved")
    else:
        text = args.text if args.text is not None else sys.stdin.read()
    try:
        note = NoteIn(contact=args.contact, date=day, text=text)
    except ValidationError as e:
        raise KithError(describe(e)) from None
    known = store.db.find_contact(note.contact) is not None
    saved = add_note(store, note)
    if args.json:
        emit({"added": saved.notes_added, "skipped": saved.notes_skipped, "items": saved.items,
              "note_ids": saved.note_ids})
    elif saved.notes_added:
        print(f"Saved a note on {note.contact} ({day}): {counted(saved.items, 'item')} understood.", flush=True)
    else:
        print("That note is already in Kith; nothing added.", flush=True)
    if not known and saved.notes_added:
        _tell_close_name(store, note.contact)
    _tell_waiting(store, saved.waiting)
    return 0


def _tell_close_name(store, name: str) -> None:
    """A new contact whose name is close to a known one's (a slip of the keyboard?): say how to join them."""
    from app.core.same_person import meant, said
    from models.contact import normalise_name

    names = meant(name, [n for n in store.db.names() if normalise_name(n) != normalise_name(name)])
    if len(names) == 1:
        print(f"kith: {name!r} is a new contact; if it is {names[0]!r}, `kith merge {shlex.quote(names[0])} "
              f"{shlex.quote(name)}` joins them", file=sys.stderr)
    elif names:
        print(f"kith: {name!r} is a new contact; if it is one of {said(names)}, `kith merge NAME "
              f"{shlex.quote(name)}` joins them", file=sys.stderr)


def cmd_import(store, args) -> int:
    from app.core.capture import Export, read_import, restore_export, save_notes
    from app.core.contact_files import read_contact_file
    from models import NoteIn

    contacts = read_contact_file(args.file)
    if contacts is not None:
        return _import_contacts(store, args, contacts)
    data = read_import(args.file)
    if args.dry_run:
        notes = [NoteIn.model_validate(n) for n in data.notes] if isinstance(data, Export) else data
        fresh = sum(1 for n in notes if not store.db.has_note(n.digest))
        if args.json:
            emit({"kind": "export" if isinstance(data, Export) else "notes", "added": fresh,
                  "updated": 0, "skipped": len(notes) - fresh, "problems": [], "dry_run": True})
        else:
            print(f"Would import {fresh} notes; {len(notes) - fresh} already there. Nothing written (--dry-run).")
        return 0
    progress = None if args.json else _progress("understanding")
    if isinstance(data, Export):
        saved = restore_export(store, data, progress=progress)
    else:
        saved = save_notes(store, data, progress=progress)
    if args.json:
        emit({"kind": "export" if isinstance(data, Export) else "notes", "added": saved.notes_added,
              "updated": 0, "skipped": saved.notes_skipped, "problems": [], "items": saved.items})
    else:
        print(f"Imported {saved.notes_added} notes ({saved.items} items); "
              f"{saved.notes_skipped} already there.", flush=True)
    _tell_waiting(store, saved.waiting)
    return 0


def _tell_waiting(store, waiting: int) -> None:
    """Saved, but the index server could not be reached: one line on stderr (the exit status stays 0)."""
    if waiting and store.unreachable is not None:
        told = f"{waiting} item waits" if waiting == 1 else f"{waiting} items wait"
        print(f"kith: saved; {store.unreachable.message}: indexed when it is back ({told}; `kith doctor` counts "
              "them)", file=sys.stderr)


def cmd_search(store, args) -> int:
    from app.core.search import nothing_close, search
    from models import Kind

    hits = search(store, args.query, limit=args.limit, contact=args.contact,
                  kind=Kind(args.kind) if args.kind else None)
    if args.json:
        emit([h.model_dump(mode="json") for h in hits])
        return 0
    if not hits:
        print("Nothing found.")
    elif not args.kind and not args.contact and nothing_close(hits):
        print(f"Nothing in your notes is close to “{' '.join(args.query.split())}”. The nearest:\n")
    current = None
    for hit in hits:
        if hit.contact != current:
            if current is not None:
                print()  # a blank line between people, none before the first
            print(hit.contact)
            current = hit.contact
        print(f"  {hit.kind.value:<9} {hit.date}  {hit.score:.2f}")
        print(quote(hit.text))
    return 0


def _match_json(m) -> dict:
    data = m.model_dump(mode="json")
    data["problem"].pop("item_id")
    data["solution"].pop("item_id")
    data["problem_item_id"], data["solution_item_id"] = m.problem.item_id, m.solution.item_id
    return data


def print_match(m, first: bool = False) -> None:
    if not first:
        print()  # a blank line between matches, none before the first
    print(f"{m.score:.2f}  {m.problem.contact}  ←  {m.solution.contact} has solved this")
    print(f"  problem   {m.problem.date}  {m.problem.contact}")
    print(quote(m.problem.text))
    print(f"  solution  {m.solution.date}  {m.solution.contact}")
    print(quote(m.solution.text))


def cmd_matches(store, args) -> int:
    from app.core.matching import find_matches

    contact_id = store.db.contact(args.contact).id if args.contact else None
    if args.team:
        return _team_matches(store, args, contact_id)
    matches = find_matches(store.db, contact_id=contact_id, limit=args.limit + (not args.json))
    if args.json:
        emit([_match_json(m) for m in matches])
        return 0
    if not matches:
        print("No matches yet: Kith shows a pair when one contact's problem is another's solution.")
    for n, m in enumerate(matches[:args.limit]):
        print_match(m, first=n == 0)
    if len(matches) > args.limit:
        more = f"more with --limit (up to {MAX_LIMIT})" if args.limit < MAX_LIMIT else "there are more"
        print(f"\nThe best {args.limit} shown; {more}.")
    return 0


def _team_matches(store, args, contact_id: int | None) -> int:
    from app.core.team import team_matches

    matches = team_matches(store, contact_id=contact_id, limit=args.limit)
    if args.json:
        emit([m.model_dump(mode="json") for m in matches])
        return 0
    if not matches:
        print("No colleague's shared story answers your contacts' problems yet.")
    for m in matches:
        print(f"\n{m.score:.2f}  {m.problem.contact}  ←  ask {m.solution.member}: their contact {m.solution.contact} "
              "solved this")
        print(f"  problem   {m.problem.date}  {m.problem.contact}")
        print(quote(m.problem.text))
        print(f"  solution  {m.solution.contact}, in {m.solution.member}'s network")
        print(quote(m.solution.text))
    return 0


def cmd_share(store, args) -> int:
    from app.core.team import share, share_states

    if args.id is None:
        if args.undo or args.member:
            raise KithError("give the story's ID (see `kith share --contact NAME`)")
        contact_id = store.db.contact(args.contact).id if args.contact else None
        rows = share_states(store, contact_id)
        if args.json:
            emit([{"id": i.id, "contact": i.contact, "text": i.text, "state": state} for i, state in rows])
        elif not rows:
            print("No story shared yet: `kith share --contact NAME` lists a contact's stories with their ids.")
        else:
            _table(None, ("", "Contact", "Story", "Team"),
                   [(f"#{i.id}", i.contact, i.text, state) for i, state in rows])
        return 0
    item = share(store, args.id, withdraw=args.undo, member=args.member)
    sent = store.unreachable is None
    if args.json:
        emit({"id": item.id, "contact": item.contact, "text": item.text, "shared": not args.undo, "sent": sent})
        return 0
    verb = "Withdrew" if args.undo else "Shared"
    print(f"{verb} {item.contact}'s story with the team: {item.text}" if sent else
          f"{verb} {item.contact}'s story: the team is told when the index server is back "
          f"({store.unreachable.message}).")
    return 0


def _item_json(item) -> dict:
    return {"text": item.text, "date": str(item.date), "note_id": item.note_id, "id": item.id}


def cmd_recap(store, args) -> int:
    from app.core.export import followup_json
    from app.core.phrasing import counted
    from app.core.recap import recap

    r = recap(store.db, args.name)
    if args.json:
        emit({
            "contact": r.contact.model_dump(mode="json"),
            "last_met": str(r.last_met) if r.last_met else None,
            "personal": [_item_json(i) for i in r.personal],
            "problems": [_item_json(i) for i in r.problems],
            "solutions": [_item_json(i) for i in r.solutions],
            "followups": [followup_json(i) for i in r.followups],
            "notes": [_item_json(i) for i in r.notes],
            "could_help_them": [_match_json(m) for m in r.could_help_them],
            "they_could_help": [_match_json(m) for m in r.they_could_help],
            "intros": r.intros,
        })
        return 0
    c = r.contact
    facts = " · ".join(x for x in (c.role, c.company, c.location) if x)
    print(f"{c.name}" + (f" — {facts}" if facts else ""))
    print(f"Last met: {r.last_met or 'never'} ({counted(len(r.timeline), 'note')})")
    sections = [("Personal", r.personal), ("Open problems", r.problems), ("What worked for them", r.solutions)]
    for title, items in sections:
        if items:
            print(f"\n{title}")
            for item in items:
                print(textwrap.fill(f"{item.text} ({item.date})", 100, initial_indent="  • ",
                                    subsequent_indent="    "))
    if r.followups:
        print("\nFollow-ups")
        for item in r.followups:
            mark = "x" if item.done else " "
            print(f"  [{mark}] {item.text}" + (f" — due {item.due}" if item.due else ""))
    if r.intros:
        print("\nIntroductions")
        for i in r.intros:
            last = i["history"][-1] if i["history"] else {"step": i["step"], "date": ""}
            print(f"  {i['problem_contact']} → {i['solver']}: {last['step']} ({last['date']})")
    for title, matches, who in (("Who could help them", r.could_help_them, "solution"),
                                ("Whom they could help", r.they_could_help, "problem")):
        if matches:
            print(f"\n{title}")
            for m in matches:
                side = getattr(m, who)
                print(f"  {side.contact} ({m.score:.2f})")
                print(quote(side.text))
    return 0


def cmd_followups(store, args) -> int:
    from app.core.export import followup_json
    from app.core.keeping import birthdays, losing_touch
    from app.core.recap import followups

    today = dt.date.today()
    entries = [followup_json(i) for i in followups(store.db, include_all=args.all)]
    entries += [r.as_json() for r in birthdays(store.db, today)]
    entries += [r.as_json() for r in losing_touch(store.db, today, include_all=args.all)]
    entries.sort(key=lambda e: (e["done"], e["due"] is None, e["due"] or "9999", e["contact"]))
    if args.json:
        emit(entries)
        return 0
    if not entries:
        print("Nothing due. (`kith followups --all` lists every follow-up.)")
        return 0
    rows = []
    for e in entries:
        flag = "done" if e["done"] else ("overdue" if e["due"] and e["due"] < today.isoformat() else
                                         "due today" if e["due"] == today.isoformat() else "")
        label = f"#{e['id']}" if e.get("id") else e["kind"]
        rows.append((label, e["due"] or "no date", flag, e["contact"], e["text"]))
    _table(None, ("", "Due", "", "Contact", "What"), rows)
    return 0


def cmd_done(store, args) -> int:
    try:
        already = store.db.item(args.id).done
    except NotFound:  # set_done says so
        already = False
    store.db.set_done(args.id, True)
    item = store.db.item(args.id)
    if args.json:
        from app.core.export import followup_json

        emit(followup_json(item))
    else:
        print(f"{'Already done' if already else 'Done'}: {item.text} ({item.contact})")
    return 0


def cmd_contacts(store, args) -> int:
    contacts = store.db.contacts()
    if args.json:
        emit([c.model_dump(mode="json", exclude={"id"}) for c in contacts])
        return 0
    if not contacts:
        print("No contacts yet: `kith add --contact NAME` or `kith import FILE`.")
        return 0
    _table(None, ("Name", "Company", "Role", "Location", "Stage", "Last met"),
           [(c.name, c.company, c.role, c.location, c.stage.value if c.stage else None, c.last_met) for c in contacts])
    return 0


def cmd_export(store, args) -> int:
    from app.core.export import export_data, person_markdown, slug
    from app.store.files import private_dir, write_atomic

    if args.format in ("json", "vcard"):
        if args.format == "json":
            text = json.dumps(export_data(store.db), ensure_ascii=False, indent=2) + "\n"
        else:
            from app.core.contact_files import write_vcards

            text = write_vcards(c for c in store.db.contacts() if not c.is_me)
        if args.output:
            if args.output.is_dir():
                raise KithError(f"{args.output}: is a directory; give a file name")
            if not args.output.parent.is_dir():
                raise KithError(f"{args.output.parent}: no such folder; give a file in a folder that exists")
            try:
                write_atomic(args.output, text.encode("utf-8"))
            except OSError as e:
                raise KithError(f"{args.output}: cannot write it ({e.strerror})") from None
            print(f"Exported to {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0
    pages = {c.name: person_markdown(store.db, c.name) for c in store.db.contacts()}
    if not args.output:
        sys.stdout.write("\n\n".join(pages.values()))
        return 0
    if args.output.exists() and not args.output.is_dir():
        raise KithError(f"{args.output}: exists and is not a folder; markdown export writes one file per person")
    try:
        folder = private_dir(args.output)
        for name, page in pages.items():
            write_atomic(folder / f"{slug(name)}.md", page.encode("utf-8"))
    except OSError as e:
        raise KithError(f"{e.filename or args.output}: cannot write it ({e.strerror})") from None
    print(f"Exported {len(pages)} people to {folder}", file=sys.stderr)
    return 0


def cmd_reindex(store, args) -> int:
    from app.core.capture import fill_paired, fill_pieces
    from app.core.matching import refresh_pairs
    from app.core.phrasing import counted
    from app.core.rereading import read_again

    read = read_again(store, progress=None if args.json else _progress("reading notes again"))
    store.rebuild_index(progress=None if args.json else _progress("indexing"))
    fill_pieces(store)
    fill_paired(store)
    refresh_pairs(store.db)
    count = store.index().count()
    if args.json:
        emit({"indexed": count, "read_again": read.notes, "kept_as_read": read.kept})
        return 0
    if read.notes:
        print(f"Read {counted(read.notes, 'note')} again with this version of Kith; ticked follow-ups, "
              "matches marked and introductions kept.")
    if read.kept:
        print(f"{counted(read.kept, 'note')} kept as read before: a story of theirs is shared with your team "
              "(`kith share ID --undo`, then `kith reindex`, reads them again).")
    print(f"Rebuilt the index: {count} items searchable; every match pair scored again.")
    return 0


def cmd_doctor(store, args) -> int:
    from app.core.health import check

    report = check(store)
    if args.json:
        emit(report)
    else:
        print(f"The store at {store.home}:")
        for line in report["checks"]:
            print(f"  {'ok ' if line['ok'] else 'BAD'}  {line['name']}: {line['detail']}")
        for fix in dict.fromkeys(line["fix"] for line in report["checks"] if not line["ok"]):
            print(f"To fix: {fix}.", file=sys.stderr)
    return 0 if report["ok"] else 1


def _progress(label: str):
    """A rich progress bar on stderr (when it is a terminal), fed as progress(done, total); it closes at total."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=False)
    task = bar.add_task(label, total=None)
    finished = False

    def show(done: int, total: int) -> None:
        nonlocal finished
        if finished:
            return
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()
            finished = True

    return show


def _table(title: str | None, head: tuple[str, ...], rows: list[tuple]) -> None:
    """A rich table on stdout (full width when piped, so nothing is cut)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, box=None, header_style="bold", title_justify="left", pad_edge=False)
    for column in head:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=None if sys.stdout.isatty() else 200, soft_wrap=not sys.stdout.isatty()).print(table)


# ----------------------------------------------------------- the networker's routine


def _import_contacts(store, args, data) -> int:
    from app.core.people import import_people

    progress = None if args.json else _progress("importing")
    report = import_people(store.db, data, dry_run=args.dry_run, progress=progress)
    if args.json:
        emit({**report.as_json(), "dry_run": args.dry_run})
        return 0
    verb = "Would import" if args.dry_run else "Imported"
    print(f"{verb} {data.kind}: {report.added} added, {report.updated} updated, {report.skipped} unchanged"
          + (f", {len(report.problems)} left out:" if report.problems else "."))
    for problem in report.problems:
        print(f"  {problem['where']}: {problem['reason']}")
    if args.dry_run:
        print("Nothing written (--dry-run).")
    return 0


def cmd_duplicates(store, args) -> int:
    from app.core.duplicates import likely_duplicates

    pairs = likely_duplicates(store.db)
    if args.json:
        emit([p.as_json() for p in pairs])
    elif not pairs:
        print("No likely duplicates.")
    else:
        _table(None, ("Contact", "Contact", "Why"), [(p.a, p.b, p.why) for p in pairs])
        print("Join two with `kith merge KEEP OTHER`.")
    return 0


def cmd_merge(store, args) -> int:
    from app.core.duplicates import merge

    result = merge(store.db, args.keep, args.other)
    if args.json:
        emit(result)
    else:
        print(f"Merged {result['merged']} into {result['kept']} ({result['notes_moved']} notes moved).")
    return 0


def cmd_stage(store, args) -> int:
    from app.core.funnel import set_stage
    from models import Stage

    set_stage(store.db, args.name, Stage(args.stage), dt.date.today())
    contact = store.db.contact(args.name)
    if args.json:
        emit(contact.model_dump(mode="json", exclude={"id"}))
    else:
        print(f"{contact.name}: {args.stage}.")
    return 0


def cmd_funnel(store, args) -> int:
    from app.core.funnel import funnel, rates

    report = funnel(store.db, dt.date.today(), weeks=args.weeks)
    if args.json:
        emit({**report, "rates": rates(report["stages"])})
        return 0
    stages = report["stages"]
    print("  ".join(f"{name} {count}" for name, count in stages.items()))
    print("  ".join(f"{step} {share:.0%}" for step, share in rates(stages).items() if share is not None))
    _table("Per week", ("Week", "Invited", "Connected", "Offered", "Met"),
           [(w["week"], w["invited"], w["connected"], w["offered"], w["met"]) for w in report["weeks"]])
    labels = {"connected": "accepted, no coffee offered yet", "offered": "offered a coffee, no answer after a week"}
    if report["waiting"]:
        _table("Waiting on you", ("Contact", "Step", "Since"),
               [(w["contact"], labels.get(w["stage"], w["stage"]), w["since"]) for w in report["waiting"]])
    return 0


def cmd_cadence(store, args) -> int:
    from app.core.keeping import parse_every, set_cadence

    if (args.name is None) == (args.tag is None):
        raise KithError("give a contact's NAME or --tag TAG (one of them)")
    days = parse_every(args.every)
    covered = set_cadence(store.db, name=args.name, tag=args.tag, days=days)
    who = f"tag {args.tag!r} ({covered} contacts)" if args.tag else args.name
    if args.json:
        emit({"contact": args.name, "tag": args.tag, "cadence_days": days, "contacts": covered})
    else:
        print(f"Keep in touch with {who}: " + (f"every {days} days." if days else "off."))
    return 0


def cmd_touch(store, args) -> int:
    from app.core.dates import parse_day
    from app.core.keeping import touch

    try:
        day = parse_day(args.date, dt.date.today())
    except ValueError as e:
        raise KithError(f"--date: {e}") from None
    touch(store.db, args.name, day, args.what)
    if args.json:
        emit({"contact": store.db.contact(args.name).name, "date": day.isoformat(), "what": args.what})
    else:
        print(f"Logged a touch with {store.db.contact(args.name).name} on {day}.")
    return 0


def cmd_intro(store, args) -> int:
    from app.core.intros import advance, draft

    intro = advance(store.db, args.problem_contact, args.solver, args.step, dt.date.today())
    if args.json:
        emit({**intro.as_json(), "next": list(intro.next_steps), "draft": None if intro.done else draft(intro)})
        return 0
    print(f"{intro.problem_contact} → {intro.solver}: {intro.describe() if intro.step else 'not started'}.")
    if intro.match:
        print(f"  problem   {intro.match.problem.text}\n  solution  {intro.match.solution.text}")
    if not intro.done:
        print(f"\nDraft to send:\n\n{textwrap.indent(draft(intro), '  ')}")
        print(f"Then: kith intro {shlex_quote(intro.problem_contact)} {shlex_quote(intro.solver)} --step "
              f"{'|'.join(intro.next_steps)}")
    return 0


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def cmd_intros(store, args) -> int:
    from app.core.intros import intros

    found = intros(store.db, store.db.contact(args.contact).id if args.contact else None)
    if args.json:
        emit([i.as_json() for i in found])
        return 0
    if not found:
        print("No introductions yet: `kith intro PROBLEM_CONTACT SOLVER` starts one.")
        return 0
    _table(None, ("Problem", "Solver", "Where it is", "Since"),
           [(i.problem_contact, i.solver, i.describe(), i.history[-1]["date"] if i.history else "") for i in found])
    helped = [i for i in found if i.step == "helped"]
    if helped:
        print("\nWho helped whom: " + "; ".join(f"{i.solver} helped {i.problem_contact}" for i in helped))
    return 0


COMMANDS = {
    "add": cmd_add, "import": cmd_import, "search": cmd_search, "matches": cmd_matches, "recap": cmd_recap,
    "followups": cmd_followups, "done": cmd_done, "contacts": cmd_contacts, "export": cmd_export,
    "reindex": cmd_reindex, "doctor": cmd_doctor, "duplicates": cmd_duplicates, "merge": cmd_merge,
    "stage": cmd_stage, "funnel": cmd_funnel, "cadence": cmd_cadence, "touch": cmd_touch, "intro": cmd_intro,
    "intros": cmd_intros, "share": cmd_share,
}

if __name__ == "__main__":
    sys.exit(main())
