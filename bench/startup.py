"""How fast the app's first screen is drawn and takes typing, on a store of 10,000 contacts.

The store is built the way a user builds theirs: a JSON-lines notes file (10,000 notes over
10,000 people) imported with the real `kith import`, so the database, the understood sentences and
the search index are all real. The built store is kept under a folder named by a hash of the notes
file and of Kith's version, so later runs reuse it (building it takes about ten minutes on two cores;
`--rebuild` forces it; a store built by older code is migrated when opened, as a user's is).

Then `kith` runs in a tmux pane (120x40), as a person would, cold processes, median of 5 (a run of
Kith, then one of the bare app, and so on):

- first screen: launch → the capture screen's placeholder on screen, beside a bare Textual app
  (header, text area, footer) for reference, and their ratio;
- completion: launch → the first letters of a known contact typed (`tmux send-keys`) as soon as
  the placeholder shows → a suggestion with that person's full name on screen.

    python bench/startup.py [--store DIR] [--rebuild] [--runs N] [--notes N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
NOTES = 10_000
SEED = 11
PLACEHOLDER = "Who did you talk to?"
CACHE = Path(tempfile.gettempdir()) / "kith-bench-startup"
BARE = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Footer, Header, TextArea
    class Bare(App):
        TITLE = "Bare"
        def compose(self):
            yield Header()
            yield TextArea(placeholder="Who did you talk to?")
            yield Footer()
    Bare().run()
""")

# ------------------------------------------------------------------ people

# (first names, last names) of one place; most people get both from one group, some mix.
GROUPS: list[tuple[str, str]] = [
    ("Amelia Oliver Grace Harry Charlotte Jack Emily George Sophie Thomas Hannah James Lucy William Chloe "
     "Daniel Megan Samuel Rebecca Matthew Laura Benjamin Eleanor Joseph Abigail Nathan Rachel Owen Victoria",
     "Hart Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
     "Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Fletcher Bennett Cooper Morgan Price Shaw"),
    ("Aoife Niamh Ciarán Siobhán Declan Róisín Eoin Saoirse Cillian Orla Fiona Callum Eilidh Ruairidh Mairead "
     "Padraig Sinead Conor Isla Finlay",
     "Murphy O'Brien Kelly Byrne Ryan O'Sullivan Walsh McCarthy Doyle Gallagher MacLeod Campbell Fraser "
     "MacDonald Sinclair Buchanan Quinn Brennan Nolan Keane"),
    ("Mateo Lucía Sofía Alejandro Valentina Diego Camila Javier Isabel Carlos Gabriela Andrés Paula Miguel "
     "Daniela José Carmen Santiago Ximena Rodrigo Mariana Pablo",
     "García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores Rivera Gómez Díaz "
     "Morales Ortiz Castillo Romero Vargas Herrera Mendoza Rojas"),
    ("João Ana Pedro Beatriz Tiago Inês Rafael Lucas Juliana Gustavo Larissa Bruno Fernanda Rui Catarina "
     "Vinícius Letícia Thiago",
     "Silva Santos Oliveira Souza Costa Pereira Almeida Ferreira Carvalho Ribeiro Lima Barbosa Rocha Teixeira "
     "Moreira Cardoso Nunes"),
    ("Marco Giulia Luca Francesca Alessandro Chiara Matteo Elena Lorenzo Sara Davide Martina Giorgio Federica "
     "Stefano Riccardo Silvia Paola",
     "Bellini Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Gallo Conti De_Luca "
     "Mancini Giordano Rizzo Lombardi Moretti Barbieri"),
    ("Camille Louis Chloé Antoine Manon Hugo Léa Julien Élise Mathieu Pauline Nicolas Margaux Théo Juliette "
     "Baptiste Amélie Olivier",
     "Martin Bernard Dubois Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Fontaine "
     "Chevalier Rousseau Girard Lambert Bonnet Mercier Dupont"),
    ("Lukas Anna Jonas Lena Felix Katharina Maximilian Johanna Niklas Ingrid Lars Astrid Sven Freya Jens Sanne "
     "Daan Femke Bram Mette Erik Liv",
     "Müller Schmidt Schneider Fischer Weber Becker Hoffmann Wagner Koch Richter de_Vries van_Dijk Bakker "
     "Visser Jansen Larsen Nielsen Andersson Johansson Lindqvist Eriksen Berg Halvorsen"),
    ("Tomasz Piotr Marek Jakub Ondřej Dmitri Sergei Taras Mikhail Andriy Pavel Bogdan",
     "Nowak Kowalski Lewandowski Zieliński Novák Dvořák Svoboda Petrov Volkov Kuznetsov Shevchenko Kovalenko "
     "Bondarenko Melnyk"),
    ("Agnieszka Katarzyna Zofia Magdalena Tereza Olga Natalia Anastasia Oksana Yulia Irina Halyna",
     "Nowak Kowalska Wiśniewska Wójcik Kamińska Svobodová Ivanova Smirnova Sokolova Petrova Shevchenko "
     "Kovalenko Melnyk"),
    ("Noor Omar Layla Yusuf Amira Khalid Fatima Hassan Rania Tariq Yasmin Karim Huda Samir Leila Ziad Mariam "
     "Faisal Salma Nadia",
     "Haddad Khoury Mansour Nasser Saleh Hamdan Aziz Farah Qasim El-Amin Rahman Bakr Darwish Habib Jaber Karam "
     "Shami Suleiman Zaki"),
    ("Emre Elif Mehmet Zeynep Can Ayşe Burak Defne Arash Shirin Dariush Parisa Kian Neda Reza Leyla",
     "Yılmaz Demir Şahin Çelik Aydın Kaya Öztürk Arslan Doğan Tehrani Moradi Hosseini Karimi Rahimi Jafari "
     "Sadeghi"),
    ("Lwazi Thandiwe Sipho Nomvula Chinedu Ngozi Emeka Adaeze Kwame Ama Kofi Akosua Wanjiru Otieno Amina Baraka "
     "Abebe Selam Tendai Chipo Olumide Funmilayo Tunde Yetunde",
     "Nkosi Dlamini Mokoena Khumalo Okafor Okonkwo Adeyemi Balogun Mensah Asante Boateng Owusu Kamau Mwangi "
     "Ochieng Njoroge Tesfaye Bekele Moyo Ndlovu Adebayo Eze Nwosu"),
    ("Priya Sana Arjun Ananya Rohan Kavya Vikram Meera Rahul Aisha Imran Farhan Nisha Aditya Deepa Sanjay "
     "Lakshmi Karthik Zainab Bilal Ravi Anjali",
     "Raman Qureshi Sharma Patel Gupta Iyer Nair Reddy Menon Khan Chaudhry Malik Desai Joshi Kapoor Mehta Rao "
     "Siddiqui Bose Banerjee Pillai Hussain Verma"),
    ("Wei Mei Jun Xin Hao Ling Yan Jing Zhiwei Xiaoling Tao Lei Fang Yifan",
     "Chen Wang Liu Zhang Li Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Tang"),
    ("Kenji Yuki Haruto Sakura Takeshi Aiko Hiroshi Emi Daisuke Naomi Ren Yui Sota Mika",
     "Tanaka Sato Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki "
     "Matsumoto Inoue Kimura Hayashi Shimizu"),
    ("Min-jun Seo-yeon Ji-ho Ha-eun Jae-won Soo-ah Hyun-woo Eun-ji Dong-hyun Ye-jin",
     "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin"),
    ("Minh Linh Huy Thao Duc Lan Quang Ngoc Tuan Mai",
     "Nguyen Tran Le Pham Hoang Vu Dang Bui Do Ngo"),
    ("Paolo Andrea Kristine Joel Bayu Dewi Putri Agus Siti Somchai Nattaya Arief Rizal Maricel",
     "Santos Reyes Cruz Bautista Villanueva Wijaya Santoso Halim Pratama Saputra Suwannarat Chaiyaporn"),
    ("Nikos Eleni Giorgos Sofia Dimitris Katerina Yannis Maria Stavros Despina Ivan Ana Miloš Jelena Luka "
     "Marija Petar Ivana Andrei Ioana",
     "Papadopoulos Georgiou Nikolaidis Konstantinou Pappas Vlachos Karagiannis Horvat Kovačević Jovanović "
     "Petrović Nikolić Marković Babić Popescu Ionescu Dimitrov"),
    ("Noa Yael Eitan Tamar Avi Shira Ariel Maya Bence Zsófia Levente Réka Aino Eero Veera Juha",
     "Cohen Levi Mizrahi Friedman Katz Goldberg Peretz Shapiro Nagy Kovács Tóth Szabó Virtanen Korhonen "
     "Mäkinen Nieminen"),
]
INITIALS = "ABCDEFGHJKLMNPRSTW"


def people(count: int, rng: random.Random) -> list[str]:
    """count distinct, realistic names: mostly first and last name of one place, some mixed or with an initial."""
    groups = [([f.replace("_", " ") for f in firsts.split()], [last.replace("_", " ") for last in lasts.split()])
              for firsts, lasts in GROUPS]
    every_last = [last for _, lasts in groups for last in lasts]
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        firsts, lasts = rng.choice(groups)
        first, roll = rng.choice(firsts), rng.random()
        if roll < 0.70:
            name = f"{first} {rng.choice(lasts)}"
        elif roll < 0.85:
            name = f"{first} {rng.choice(every_last)}"
        elif roll < 0.93:
            name = f"{first} {rng.choice(INITIALS)}. {rng.choice(lasts)}"
        else:
            name = f"{first} {rng.choice(lasts)}-{rng.choice(every_last)}"
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            names.append(name)
    return names


# ------------------------------------------------------------------- notes

ROLES = ["head of ops", "founder", "practice manager", "COO", "head of people", "finance director",
         "site manager", "owner", "product lead", "clinic director", "volunteer coordinator", "sales director"]
PLACES = ["a 40-seat bistro", "two dental clinics", "a logistics firm", "a 12-person design studio",
          "a food bank", "a builders' merchant", "a physio practice", "a language school", "a craft brewery",
          "three care homes", "a bike repair shop", "an accounting firm", "a community theatre",
          "a small hotel", "a plumbing business", "a pottery studio", "a SaaS startup", "a primary school"]
CITIES = ["Leeds", "Lisbon", "Lyon", "Nairobi", "Bristol", "Porto", "Kraków", "Manchester", "Accra", "Dublin",
          "Rotterdam", "Valencia", "Toronto", "Melbourne", "Pune", "Osaka", "Glasgow", "Bologna"]
EVENTS = ["a founders' breakfast", "the regional trade fair", "a conference in Berlin", "a webinar on hiring",
          "the chamber of commerce mixer", "a friend's birthday", "a podcast recording", "the co-working space"]
PROBLEMS = [
    "new hires leave within the first three months", "Saturday bookings are full of no-shows",
    "invoices are paid 60 days late", "the website brings in almost no leads",
    "the rota is published too late for anyone to plan", "stock runs out every Friday afternoon",
    "agency staff are eating the budget", "customers churn after the free trial",
    "the kiln cracks one piece in five", "deliveries arrive damaged", "volunteers drop out after a month",
    "quotes take a week to go out", "the phone rings off the hook and nobody answers",
    "reviews on Google are stuck at 3.6 stars", "the team misses every deadline",
    "energy bills have doubled since spring", "parents never read the newsletter",
    "the van fleet keeps failing its inspections", "onboarding a client takes six weeks",
    "rent went up by a third",
]
SOLUTIONS = [
    "a buddy for every new hire in the first month", "a deposit on weekend tables",
    "automatic reminders a week before each invoice is due", "a weekly case study posted on LinkedIn",
    "rotas fixed six weeks ahead with self-service swaps", "a stock count every Thursday night",
    "a bank of their own part-timers instead of agency cover", "a call on day five of every trial",
    "slower firing and a kiln controller", "double-boxing fragile orders",
    "a volunteer rota people pick themselves", "a quote template with fixed prices for the common jobs",
    "a shared inbox and a call-back promise within two hours", "a card asking for a review with every receipt",
    "a fifteen-minute stand-up every morning", "a switch to a fixed energy tariff and LED lighting",
    "a two-line text to parents instead of a newsletter", "a monthly check by one mechanic they trust",
    "a kick-off checklist the client fills in before the first meeting", "moving to a shared unit",
]
OPENINGS = [
    "{first} is {role} at {place} in {city}.",
    "{name}, {role} at {place} ({city}).",
    "Met {first} at {event}. Runs {place} in {city}.",
    "Coffee with {first} — {role}, {place}, {city}.",
    "Call with {name} ({role}). {place_cap} in {city}.",
    "{first} #{n}. Intro came through {event}.",
    "Zoom with {first} from {city}, {role} at {place}.",
    "First proper chat with {first} since {event}.",
]
STRUGGLES = [
    "Biggest headache: {problem}.",
    "They keep struggling because {problem}.",
    "Still stuck: {problem}.",
    "Main worry right now is that {problem}.",
    "- {problem}, and it's getting worse",
    "Problem: {problem}. Tried a consultant last year, didn't help.",
    "Says {problem} and the team is running on fumes.",
]
FIXES = [
    "What turned it around: {solution}.",
    "They fixed it with {solution} and it has held for a year.",
    "Their trick is {solution}; it halved the problem.",
    "- {solution} worked really well for them",
    "She told me how they solved it: {solution}.",
    "Best thing they did was {solution}.",
]
PERSONAL = [
    "Personal: two kids, the younger one starts school in September.",
    "Personal: training for the {city} half marathon.",
    "Just back from a month in {city2}.",
    "Has a rescue greyhound called {pet}.",
    "Personal: plays cello in an amateur orchestra.",
    "Moving house in the spring, out towards the coast.",
    "Daughter {kid} is about to start university.",
    "Keen gardener, grows tomatoes on an allotment.",
]
FOLLOWUPS = [
    "FU: send the pricing deck next Tuesday.",
    "Promised to intro them to someone who fixed the same thing, by the end of the month.",
    "FU: share the article on {topic} on Friday.",
    "Catch up again in a couple of months.",
    "Send the case study by Oct 14.",
    "Follow up in two weeks about the pilot.",
]
TOPICS = ["self-rostering", "deposits", "late payments", "retention", "pricing", "reviews", "energy costs"]
PETS = ["Biscuit", "Luna", "Pepper", "Otto", "Miso", "Juno"]
KIDS = ["Maya", "Tom", "Aiko", "Leo", "Amara", "Sofia"]


def note_text(name: str, rng: random.Random) -> str:
    first = name.split()[0]
    slots = {
        "first": first, "name": name, "role": rng.choice(ROLES), "place": rng.choice(PLACES),
        "city": rng.choice(CITIES), "city2": rng.choice(CITIES), "event": rng.choice(EVENTS),
        "pet": rng.choice(PETS), "kid": rng.choice(KIDS), "topic": rng.choice(TOPICS), "n": rng.randint(2, 9),
        "problem": rng.choice(PROBLEMS), "solution": rng.choice(SOLUTIONS),
    }
    slots["place_cap"] = slots["place"][0].upper() + slots["place"][1:]
    lines = [rng.choice(OPENINGS)]
    if rng.random() < 0.75:
        lines.append(rng.choice(STRUGGLES))
    if rng.random() < 0.45:
        lines.append(rng.choice(FIXES))
    if rng.random() < 0.6:
        lines.append(rng.choice(PERSONAL))
    if rng.random() < 0.5:
        lines.append(rng.choice(FOLLOWUPS))
    return "\n".join(lines).format(**slots)


def notes_file(count: int) -> tuple[str, list[str]]:
    """The JSON-lines text of count notes, one per person, and the people's names."""
    rng = random.Random(SEED)
    names = people(count, rng)
    start = dt.date(2025, 1, 6)
    lines = [json.dumps({"contact": name, "date": (start + dt.timedelta(days=rng.randrange(600))).isoformat(),
                         "text": note_text(name, rng)}, ensure_ascii=False) for name in names]
    return "\n".join(lines) + "\n", names


# ------------------------------------------------------------------- store

def store_version() -> str:
    """Kith's version and its database's: a store built by an older one is migrated when opened, as a
    user's is, and built again when its schema changed."""
    from importlib.metadata import version

    from app.store.db import MIGRATIONS

    return f"kith {version('kith')} schema {hashlib.sha256(''.join(MIGRATIONS).encode()).hexdigest()[:12]}"


def built_store(text: str, where: Path | None, rebuild: bool) -> Path:
    """The home of a store holding these notes, imported with `kith import`; built once and kept."""
    key = hashlib.sha256((store_version() + "\n" + text).encode()).hexdigest()[:16]
    folder = where or CACHE / key
    home, done = folder / "home", folder / "built"
    if done.exists() and done.read_text() == key and not rebuild:
        print(f"store: {home} (built before)")
        return home
    if folder.exists() and any(folder.iterdir()) and not done.exists():
        raise SystemExit(f"{folder} is not empty and holds no bench store: give a new or empty folder")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notes = folder / "notes.jsonl"
    notes.write_text(text, encoding="utf-8")
    print(f"store: building {home} with `kith import` (minutes)…", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", "import", "--json", str(notes)], cwd=ROOT, check=True,
                   env=dict(os.environ, KITH_HOME=str(home)), stdout=subprocess.DEVNULL)
    took = time.perf_counter() - start
    done.write_text(key)
    print(f"store: built in {took:.0f} s")
    return home


# ------------------------------------------------------------------ timing

def _launch(session: str, argv: list[str], env: dict[str, str]) -> None:
    command = " ".join(f"{k}={v!r}" for k, v in env.items()) + " " + " ".join(repr(a) for a in argv)
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def _wait_for(session: str, seen, start: float, limit: float = 60) -> float:
    return _wait_for_each(session, [seen], start, limit)[0]


def _wait_for_each(session: str, conditions: list, start: float, limit: float = 60) -> list[float]:
    """Seconds from start until each condition first held on screen (watched together: one that holds
    before another is timed when it does, not after it)."""
    seen: dict[int, float] = {}
    while len(seen) < len(conditions) and time.perf_counter() - start < limit:
        screen = _screen(session)
        now = time.perf_counter() - start
        seen.update({n: now for n, holds in enumerate(conditions) if n not in seen and holds(screen)})
        time.sleep(0.01)
    return [seen.get(n, float("nan")) for n in range(len(conditions))]


def time_run(argv: list[str], env: dict[str, str], typed: str | None = None,
             expected: str | None = None) -> tuple[float, float, float]:
    """Seconds from launch until the placeholder is on screen, and (when typed is given) until,
    with typed sent as soon as the placeholder shows, a line holding expected is on screen, and
    until the header says the model is ready."""
    session = f"kith-bench-{os.getpid()}"
    start = time.perf_counter()
    _launch(session, argv, env)
    completed = ready = float("nan")
    try:
        screen = _wait_for(session, lambda s: PLACEHOLDER in s, start)
        if typed is not None and not math.isnan(screen):
            subprocess.run(["tmux", "send-keys", "-t", session, "-l", typed], check=True)
            completed, ready = _wait_for_each(session, [lambda s: expected in s,
                                                         lambda s: "ready" in s.splitlines()[0]], start)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return screen, completed, ready


def prefix_of(name: str, names: list[str]) -> str:
    """The shortest start of name (at least 3 letters) that no more than 3 names begin with."""
    folded = [n.casefold() for n in names]
    for end in range(3, len(name) + 1):
        start = name[:end].casefold()
        if not start.endswith(" ") and sum(n.startswith(start) for n in folded) <= 3:
            return name[:end]
    return name


def figure(label: str, times: list[float], note: str = "") -> float:
    median = statistics.median(times)
    print(f"{label:<22}{median:6.3f} s  median of {len(times)}{note}   runs: " + " ".join(f"{t:.3f}" for t in times))
    return median


def figures(runs: int = RUNS, notes: int = NOTES, store: Path | None = None, rebuild: bool = False) -> dict:
    """Build (or reuse) the store, time Kith and the bare app in turn, print each figure, return them."""
    text, names = notes_file(notes)
    built = built_store(text, store, rebuild)
    kith = [sys.executable, "-m", "app.cli"]
    # Bytecode as after a user's first run (this machine sets PYTHONDONTWRITEBYTECODE=1).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app"), str(ROOT / "models")], check=True)
    subprocess.run([*kith, "doctor"], env=dict(os.environ, KITH_HOME=str(built)), capture_output=True, cwd=ROOT,
                   check=False)  # migrates a store built by older code and warms the disk cache
    work = Path(tempfile.mkdtemp(prefix="kith-startup-"))
    try:
        home = work / "home"  # the app owns and writes to its home: the runs get a copy
        shutil.copytree(built, home)
        env = {"KITH_HOME": str(home)}
        # A known person whose name shows only once completed (the field holds just its start).
        known = next(n for n in names[len(names) // 3:] if prefix_of(n, names) != n)
        typed = prefix_of(known, names)
        bare = work / "bare.py"
        bare.write_text(BARE)
        keepalive = f"kith-bench-keepalive-{os.getpid()}"  # a tmux server that stays up between runs
        subprocess.run(["tmux", "new-session", "-d", "-s", keepalive, "sleep 3600"], check=True)
        try:
            kith_runs, bare_times = [], []
            for _ in range(runs):  # alternating: a change in the machine's load falls on both alike
                kith_runs.append(time_run(kith, env, typed, known))
                bare_times.append(time_run([sys.executable, str(bare)], env)[0])
        finally:
            subprocess.run(["tmux", "kill-session", "-t", keepalive], capture_output=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    count = f"{len(names):,} contacts"
    k = figure("kith first screen", [r[0] for r in kith_runs], f", {count}")
    b = figure("bare textual app", bare_times)
    print(f"{'ratio':<22}{k / b:6.2f}")
    after = statistics.median(r[1] - r[0] for r in kith_runs)
    figure("kith completion", [r[1] for r in kith_runs],
           f", {len(typed)} letters typed; {after:.3f} s after the screen")
    ready = statistics.median(r[2] - r[0] for r in kith_runs)
    figure("kith model ready", [r[2] for r in kith_runs], f"; {ready:.3f} s after the screen")
    return {"first screen s": k, "bare textual app s": b, "first screen / bare app": k / b,
            "completion after screen s": after, "model ready after screen s": ready}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help=f"folder for the built store (default: {CACHE}/<hash>)")
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if it is there")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--notes", type=int, default=NOTES, help="notes (and people) in the store")
    args = parser.parse_args()
    figures(args.runs, args.notes, args.store, args.rebuild)


if __name__ == "__main__":
    main()
