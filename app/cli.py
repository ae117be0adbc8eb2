"""The `kith` command: argument parsing and output only; the work is in app.core.

`kith` alone opens the app, whose first screen must not wait: this module imports nothing heavy
at the top (no pydantic, no models, no store); each command imports what it uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KithError

if TYPE_CHECKING:
    from app.config import Settings

MAX_LIMIT = 10_000
KINDS = ("problem", "solution", "personal", "followup", "note")
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
    common = Parser(add_help=False)
    common.add_argument("--home", type=Path, help="the Kith home (default: $KITH_HOME or the user data dir)")
    data = Parser(add_help=False)
    data.add_argument("--json", action="store_true", help="print JSON (the scripting contract)")

    ap = Parser(prog="kith", parents=[common], description="A terminal notebook for the people you meet.")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.add_parser("tui", parents=[common], help="open the app (the default)")
    sub.add_parser("demo", parents=[common], help="open the app on a throw-away copy of the demo network")

    p = sub.add_parser("add", parents=[common, data], help="add one note (TEXT, or stdin)")
    p.add_argument("--contact", required=True, help="who the note is about (created when new)")
    p.add_argument("--date", default="today", help="when you met: 2026-10-03, yesterday, last Friday…")
    p.add_argument("text", nargs="?", help="the note; read from stdin when absent")

    p = sub.add_parser("import", parents=[common, data], help="import notes from a JSON-lines file")
    p.add_argument("file", type=Path)

    p = sub.add_parser("search", parents=[common, data], help="search by meaning and words")
    p.add_argument("query")
    p.add_argument("--limit", type=_limit, default=10)
    p.add_argument("--contact")
    p.add_argument("--kind", choices=KINDS)

    p = sub.add_parser("matches", parents=[common, data], help="problems another contact has solved")
    p.add_argument("--contact")
    p.add_argument("--limit", type=_limit, default=20)

    p = sub.add_parser("recap", parents=[common, data], help="the pre-meeting recap of a person")
    p.add_argument("name")

    p = sub.add_parser("followups", parents=[common, data], help="due and overdue follow-ups")
    p.add_argument("--all", action="store_true", help="every follow-up, done and upcoming too")

    p = sub.add_parser("done", parents=[common, data], help="mark a follow-up done (its id from `followups`)")
    p.add_argument("id", type=int)

    sub.add_parser("contacts", parents=[common, data], help="the contacts")

    p = sub.add_parser("export", parents=[common], help="everything, for you to keep")
    p.add_argument("--format", choices=["json", "markdown"], default="json")
    p.add_argument("-o", "--output", type=Path, help="file (json) or folder (markdown); default stdout")

    sub.add_parser("reindex", parents=[common, data], help="rebuild the search index from the database")
    sub.add_parser("doctor", parents=[common, data], help="check the store's health")
    return ap


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
    args = parser().parse_args(argv)
    command = args.command or "tui"
    try:
        if command in ("tui", "demo"):
            from app.tui.launch import run

            # The store is opened by the app, after its first screen: the settings are read there.
            return run(getattr(args, "home", None), demo=command == "demo")
        return run_command(command, args)
    except KithError as e:
        print(f"kith: {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kith: interrupted; nothing half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run_command(command: str, args: argparse.Namespace) -> int:
    from app.store.store import Store

    store = Store(settings_for(args))
    if command in ENCODES:
        store.embedder.load_soon()
    try:
        return COMMANDS[command](store, args)
    finally:
        store.close()


# ------------------------------------------------------------------ commands


def cmd_add(store, args) -> int:
    from pydantic import ValidationError

    from app.core.capture import add_note, describe
    from app.core.dates import parse_day
    from models import NoteIn

    text = args.text if args.text is not None else sys.stdin.read()
    try:
        day = parse_day(args.date, dt.date.today())
    except ValueError as e:
        raise KithError(f"--date: {e}") from None
    try:
        note = NoteIn(contact=args.contact, date=day, text=text)
    except ValidationError as e:
        raise KithError(describe(e)) from None
    saved = add_note(store, note)
    if args.json:
        emit({"added": saved.notes_added, "skipped": saved.notes_skipped, "items": saved.items,
              "note_ids": saved.note_ids})
    elif saved.notes_added:
        print(f"Saved a note on {note.contact} ({day}): {saved.items} items understood.")
    else:
        print("That note is already in Kith; nothing added.")
    return 0


def cmd_import(store, args) -> int:
    from app.core.capture import Export, read_import, restore_export, save_notes

    data = read_import(args.file)
    progress = None if args.json else _progress("understanding")
    if isinstance(data, Export):
        saved = restore_export(store, data, progress=progress)
    else:
        saved = save_notes(store, data, progress=progress)
    if args.json:
        emit({"added": saved.notes_added, "skipped": saved.notes_skipped, "items": saved.items})
    else:
        print(f"Imported {saved.notes_added} notes ({saved.items} items); "
              f"{saved.notes_skipped} already there.")
    return 0


def cmd_search(store, args) -> int:
    from app.core.search import search
    from models import Kind

    hits = search(store, args.query, limit=args.limit, contact=args.contact,
                  kind=Kind(args.kind) if args.kind else None)
    if args.json:
        emit([h.model_dump(mode="json") for h in hits])
        return 0
    if not hits:
        print("Nothing found.")
    current = None
    for hit in hits:
        if hit.contact != current:
            current = hit.contact
            print(f"\n{hit.contact}")
        print(f"  {hit.kind.value:<9} {hit.date}  {hit.score:.2f}")
        print(quote(hit.text))
    return 0


def _match_json(m) -> dict:
    data = m.model_dump(mode="json")
    data["problem"].pop("item_id")
    data["solution"].pop("item_id")
    data["problem_item_id"], data["solution_item_id"] = m.problem.item_id, m.solution.item_id
    return data


def print_match(m) -> None:
    print(f"\n{m.score:.2f}  {m.problem.contact}  ←  {m.solution.contact} has solved this")
    print(f"  problem   {m.problem.date}  {m.problem.contact}")
    print(quote(m.problem.text))
    print(f"  solution  {m.solution.date}  {m.solution.contact}")
    print(quote(m.solution.text))


def cmd_matches(store, args) -> int:
    from app.core.matching import find_matches

    contact_id = store.db.contact(args.contact).id if args.contact else None
    matches = find_matches(store.db, contact_id=contact_id, limit=args.limit)
    if args.json:
        emit([_match_json(m) for m in matches])
        return 0
    if not matches:
        print("No matches yet: Kith shows a pair when one contact's problem is another's solution.")
    for m in matches:
        print_match(m)
    return 0


def _item_json(item) -> dict:
    return {"text": item.text, "date": str(item.date), "note_id": item.note_id, "id": item.id}


def cmd_recap(store, args) -> int:
    from app.core.export import followup_json
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
        })
        return 0
    c = r.contact
    facts = " · ".join(x for x in (c.role, c.company, c.location) if x)
    print(f"{c.name}" + (f" — {facts}" if facts else ""))
    print(f"Last met: {r.last_met or 'never'} ({len(r.timeline)} notes)")
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
    from app.core.recap import followups

    items = followups(store.db, include_all=args.all)
    if args.json:
        emit([followup_json(i) for i in items])
        return 0
    if not items:
        print("Nothing due. (`kith followups --all` lists every follow-up.)")
    today = dt.date.today()
    width = max((len(i.contact or "") for i in items), default=0)
    for i in items:
        when = str(i.due) if i.due else "no date"
        flag = "done" if i.done else ("overdue" if i.due and i.due < today else "")
        print(f"  #{i.id:<5} {when:<10} {flag:<7} {i.contact:<{width}}  {i.text}")
    return 0


def cmd_done(store, args) -> int:
    store.lock.acquire()
    store.db.set_done(args.id, True)
    item = store.db.item(args.id)
    if args.json:
        from app.core.export import followup_json

        emit(followup_json(item))
    else:
        print(f"Done: {item.text} ({item.contact})")
    return 0


def cmd_contacts(store, args) -> int:
    contacts = store.db.contacts()
    if args.json:
        emit([c.model_dump(mode="json", exclude={"id"}) for c in contacts])
        return 0
    if not contacts:
        print("No contacts yet: `kith add --contact NAME` or `kith import FILE`.")
        return 0
    rows = [(c.name, c.company or "", c.role or "", c.location or "", str(c.last_met or "")) for c in contacts]
    head = ("Name", "Company", "Role", "Location", "Last met")
    widths = [max(len(r[i]) for r in [*rows, head]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return 0


def cmd_export(store, args) -> int:
    from app.core.export import export_data, person_markdown, slug
    from app.store.files import private_dir, write_atomic

    if args.format == "json":
        text = json.dumps(export_data(store.db), ensure_ascii=False, indent=2) + "\n"
        if args.output:
            if args.output.is_dir():
                raise KithError(f"{args.output}: is a directory; give a file name")
            write_atomic(args.output, text.encode("utf-8"))
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
    folder = private_dir(args.output)
    for name, page in pages.items():
        write_atomic(folder / f"{slug(name)}.md", page.encode("utf-8"))
    print(f"Exported {len(pages)} people to {folder}", file=sys.stderr)
    return 0


def cmd_reindex(store, args) -> int:
    from app.core.matching import refresh_pairs

    store.lock.acquire()
    store.rebuild_index(progress=None if args.json else _progress("indexing"))
    refresh_pairs(store.db)
    count = store.index().count()
    if args.json:
        emit({"indexed": count})
    else:
        print(f"Rebuilt the index: {count} items searchable; every match pair scored again.")
    return 0


def cmd_doctor(store, args) -> int:
    from app.core.health import check

    report = check(store)
    if args.json:
        emit(report)
    else:
        for line in report["checks"]:
            print(f"  {'ok ' if line['ok'] else 'BAD'}  {line['name']}: {line['detail']}")
        if not report["ok"]:
            print("Run `kith reindex` to rebuild the index from the database.", file=sys.stderr)
    return 0 if report["ok"] else 1


def _progress(label: str):
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


COMMANDS = {
    "add": cmd_add, "import": cmd_import, "search": cmd_search, "matches": cmd_matches, "recap": cmd_recap,
    "followups": cmd_followups, "done": cmd_done, "contacts": cmd_contacts, "export": cmd_export,
    "reindex": cmd_reindex, "doctor": cmd_doctor,
}

if __name__ == "__main__":
    sys.exit(main())
