"""Write a deterministic synthetic vault for the benchmark.

    python bench/generate.py --size M --out bench/vaults/M

Sizes: S (about 1k notes, 200 people), M (about 10k notes, 2k people), L (about 100k notes,
10k people). People get front matter and a log; daily notes mention people with Zipf-like
popularity and interaction tags or keywords; meeting notes list attendees; project notes name a
team. Some notes use CRLF, some carry code blocks, quotes, tasks and aliases. The same size and
seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from itertools import accumulate
from pathlib import Path

SIZES = {
    #        people, daily, meetings, projects
    "S": (200, 700, 80, 20),
    "M": (2_000, 5_000, 2_500, 500),
    "L": (10_000, 40_000, 40_000, 10_000),
}
FIRST = [
    "Ada",
    "Ben",
    "Cleo",
    "Dan",
    "Eva",
    "Finn",
    "Gia",
    "Hugo",
    "Ida",
    "Jon",
    "Kai",
    "Lea",
    "Max",
    "Nia",
    "Oli",
    "Pia",
    "Quin",
    "Ray",
    "Sia",
    "Tom",
    "Uma",
    "Vic",
    "Wes",
    "Xena",
    "Yan",
    "Zoë",
    "José",
    "Ines",
    "Łukasz",
    "Søren",
]
LAST = [
    "Abbott",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Fox",
    "Garcia",
    "Hale",
    "Ito",
    "Jones",
    "Khan",
    "Lopez",
    "Mori",
    "Novak",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Singh",
    "Tanaka",
    "Ueda",
    "Vogel",
    "Wong",
    "Xu",
    "Young",
    "Zimmer",
    "Müller",
    "Ferreira",
    "Dubois",
    "Kowalski",
]
CIRCLES = ["inner"] * 1 + ["close"] * 3 + ["active"] * 10 + ["acquaintance"] * 30 + [""] * 20
KIND_LINES = [
    ("#coffee", "coffee with {p} at the corner place"),
    ("#lunch", "lunch with {p}, talked shop"),
    ("#call", "called {p} about the plan"),
    ("", "had dinner with {p} and caught up"),
    ("#message #inbound", "{p} texted me about the weekend"),
    ("#email", "emailed {p} the notes"),
    ("", "met {p} at the conference"),
    ("#video", "video call with {p}"),
    ("", "read the article {p} sent"),
    ("", "thinking about what {p} said"),
]
WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "the",
    "lazy",
    "dog",
    "while",
    "planning",
    "the",
    "quarterly",
    "roadmap",
    "and",
    "reviewing",
    "the",
    "budget",
    "with",
    "a",
    "cup",
    "of",
    "tea",
    "before",
    "the",
    "afternoon",
    "walk",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write(path: Path, text: str, crlf: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(data.encode("utf-8"))


def generate(size: str, out: Path, seed: int = 1) -> int:
    n_people, n_daily, n_meetings, n_projects = SIZES[size]
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / ".obsidian").mkdir(parents=True)
    write(
        out / ".obsidian" / "daily-notes.json",
        '{"folder": "Daily", "format": "YYYY/MM/YYYY-MM-DD"}',
    )
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n_people:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            name = f"{name} {len(names)}"
        seen.add(name)
        names.append(name)
    # Zipf-like popularity: person k is mentioned with weight 1/(k+1)
    weights = list(accumulate(1 / (k + 1) for k in range(n_people)))
    companies = [f"Company {i}" for i in range(max(5, n_people // 40))]
    end = dt.date(2026, 11, 24)
    start = end - dt.timedelta(days=n_daily - 1)

    def pick() -> str:
        return names[rng.choices(range(n_people), cum_weights=weights)[0]]

    for index, name in enumerate(names):
        circle = rng.choice(CIRCLES)
        lines = ["---", "type: person"]
        if circle:
            lines.append(f"circle: {circle}")
        if rng.random() < 0.3:
            lines.append(f"aliases: [{name.split()[0]} {index}]")
        if rng.random() < 0.5:
            lines.append(
                f"birthday: {rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}"
            )
        if rng.random() < 0.4:
            lines.append(f"met: {start + dt.timedelta(days=rng.randrange(n_daily))}")
        if rng.random() < 0.5:
            known = sorted({pick() for _ in range(rng.randint(1, 4))} - {name})
            lines.append("knows: [" + ", ".join(f'"[[{k}]]"' for k in known) + "]")
        lines.append(f'company: "[[{rng.choice(companies)}]]"')
        lines += [f"email: person{index}@example.com", "---", "", sentence(rng, 20), "", "## Log"]
        for _ in range(rng.randint(0, 12)):
            day = start + dt.timedelta(days=rng.randrange(n_daily))
            tag, text = rng.choice(KIND_LINES)
            lines.append(f"- {day.isoformat()} {tag} {text.format(p='them')}".replace("  ", " "))
        write(out / "People" / f"{name}.md", "\n".join(lines) + "\n", crlf=index % 17 == 0)
    for company in companies:
        write(
            out / "Companies" / f"{company}.md", f"---\ntype: company\n---\n{sentence(rng, 12)}\n"
        )

    for offset in range(n_daily):
        day = start + dt.timedelta(days=offset)
        lines = []
        if rng.random() < 0.2:
            lines += ["---", f"date: {day.isoformat()}", "---"]
        lines += [f"# {day.strftime('%A %d %B %Y')}", "", sentence(rng, 15), "", "## Log"]
        for _ in range(rng.randint(2, 9)):
            tag, text = rng.choice(KIND_LINES)
            person = pick()
            shown = f"[[{person}]]" if rng.random() < 0.8 else f"[[{person}|{person.split()[0]}]]"
            lines.append(f"- {text.format(p=shown)} {tag}".rstrip())
        if rng.random() < 0.3:
            lines.append(f"- [ ] follow up with [[{pick()}]] about the proposal")
        if rng.random() < 0.2:
            lines.append(f"- [x] sent [[{pick()}]] the slides")
        if rng.random() < 0.1:
            lines += ["", "```python", f"print('[[{pick()}]] in code')", "```"]
        if rng.random() < 0.1:
            lines += ["", f"> {sentence(rng, 8)} — [[{pick()}]]"]
        lines += ["", sentence(rng, rng.randint(10, 60)), "#journal"]
        path = out / "Daily" / f"{day:%Y}" / f"{day:%m}" / f"{day.isoformat()}.md"
        write(path, "\n".join(lines) + "\n", crlf=offset % 23 == 0)

    for index in range(n_meetings):
        day = start + dt.timedelta(days=rng.randrange(n_daily))
        attendees = sorted({pick() for _ in range(rng.randint(2, 8))})
        text = [
            "---",
            "type: meeting",
            f"date: {day.isoformat()}",
            "attendees: [" + ", ".join(f'"[[{a}]]"' for a in attendees) + "]",
            "---",
            "",
            "## Agenda",
            *(f"- {sentence(rng, 8)}" for _ in range(3)),
            "",
            "## Actions",
            f"- [ ] [[{attendees[0]}]] to share the draft",
            sentence(rng, 30),
        ]
        write(out / "Meetings" / f"{day.isoformat()} Meeting {index}.md", "\n".join(text) + "\n")

    for index in range(n_projects):
        team = sorted({pick() for _ in range(rng.randint(2, 6))})
        text = [
            "---",
            "type: project",
            "team: [" + ", ".join(f'"[[{t}]]"' for t in team) + "]",
            "---",
            "",
            f"# Project {index}",
            sentence(rng, 40),
            "",
            *(f"- {sentence(rng, 6)} with [[{rng.choice(team)}]]" for _ in range(3)),
        ]
        write(out / "Projects" / f"Project {index}.md", "\n".join(text) + "\n")
    return sum(1 for _ in out.rglob("*.md"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    count = generate(args.size, args.out, args.seed)
    print(f"wrote {count} notes to {args.out}")


if __name__ == "__main__":
    main()
