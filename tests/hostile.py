"""A hostile vault, generated on the fly (nothing binary is committed).

``build_hostile_vault(root)`` writes a vault full of traps next to a handful of good notes and
returns ``{vault-relative path: short label}`` for every bad file. ``SPECS`` says, for each bad
file, what ``doctor`` must report (code and line, where known) and what handful may do to it:

* ``frozen``: handful must never change a byte (it cannot or must not write there);
* ``prefix``: a person note handful still processes: the user's bytes must stay a prefix
  (handful may append its region after them, as the docs promise for any person note);
* ``link``: a symlink; the link itself and whatever it points to must stay as they were.

The vault also has a sibling folder ``<root>/../outside`` holding a note that a symlink and
several links point to: nothing there may ever change.
"""

from __future__ import annotations

import os
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: The day the hostile suite runs its commands as (far enough ahead never to be "past").
DAY = "2030-06-03"
#: A second day whose reconnect note has broken markers.
BROKEN_DAY = "2030-06-04"

GOOD_PEOPLE = ("Alice Good", "Bob Good", "Carol Good")
#: An NFD file name (``Zoe`` + combining diaeresis) that the daily note links in NFC.
NFD_NAME = unicodedata.normalize("NFD", "Zoë Nfd")
NFC_NAME = unicodedata.normalize("NFC", "Zoë Nfd")
EMOJI_NAME = "🦄 Unicorn"
GOOD_DAILY = "Daily/2026-11-20.md"
LONG_LINE_DAILY = "Daily/2026-11-21.md"
OUTSIDE_NOTE = "Outside Note.md"

#: What each good person's region must show after a refresh: ``(note path, timeline text)``.
GOOD_TIMELINE = {
    "People/Alice Good.md": ("2026-11-20 · lunch", "2026-11-02 · call"),
    "People/Bob Good.md": ("2026-11-20 · call",),
    "People/Carol Good.md": ("2026-11-20 · visit", "2026-11-21 · lunch"),
    f"People/{NFD_NAME}.md": ("2026-11-20 · coffee",),
    f"People/{EMOJI_NAME}.md": ("2026-11-20 · drinks",),
}


@dataclass(frozen=True)
class Spec:
    """One bad file: its label, how handful may treat it, and what doctor must say."""

    label: str
    mode: str  # "frozen" | "prefix" | "link"
    #: (code, line) pairs doctor must report for this path; line None means "no line".
    expect: tuple[tuple[str, int | None], ...] = ()
    #: The file is a note handful reads (doctor must name it) or a symlink it reports.
    reported: bool = True
    #: A known bug makes the code or line differ from the docs: doctor must still name the
    #: file, and a separate xfail test in test_hostile.py holds the documented behaviour.
    known_bug: str = ""


SPECS: dict[str, Spec] = {}
#: Files that are hostile but legitimately produce no problem (docs say they are read fine).
QUIET: dict[str, Spec] = {}


def _bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines)


def _person(body: str = "", **front: str) -> str:
    head = "".join(f"{k}: {v}\n" for k, v in front.items())
    return f"---\ntype: person\n{head}---\n{body}"


@dataclass
class _Builder:
    root: Path
    labels: dict[str, str] = field(default_factory=dict)

    def put(self, rel: str, data: bytes | str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def bad(self, rel: str, data: bytes | str, spec: Spec) -> None:
        self.put(rel, data)
        self.register(rel, spec)

    def register(self, rel: str, spec: Spec) -> None:
        self.labels[rel] = spec.label
        if spec.reported and spec.expect:
            SPECS[rel] = spec
        else:
            QUIET[rel] = spec


def build_hostile_vault(root: Path) -> dict[str, str]:
    """Write the hostile vault into ``root`` (created) and ``root.parent/outside``.

    Returns ``{vault-relative path: label}`` for every bad file (including quiet ones that
    doctor has no reason to report, such as empty notes; see ``SPECS`` and ``QUIET``).
    """
    SPECS.clear()
    QUIET.clear()
    rng = random.Random(20261126)
    root.mkdir(parents=True, exist_ok=True)
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / OUTSIDE_NOTE).write_text(
        "---\ntype: person\ncircle: inner\n---\n## Log\n- 2026-10-01 #call secret outside\n",
        encoding="utf-8",
    )
    b = _Builder(root)

    # ---- the good notes: these must still be processed -------------------------------------
    b.put(
        "People/Alice Good.md",
        _person(
            "Alice is fine.\n\n## Log\n- 2026-10-01 #coffee talked about gardens\n"
            "- 2026-11-02 #call planning the trip\n",
            circle="close",
            cadence="2w",
            birthday="1990-04-02",
            knows='["[[Bob Good]]"]',
        ),
    )
    b.put(
        "People/Bob Good.md",
        _person(
            "## Log\n- 2026-09-15 #lunch noodles\n",
            circle="active",
            introduced_by='"[[Alice Good]]"',
        ),
    )
    b.put(
        "People/Carol Good.md",
        _person("## Log\n- 2026-08-01 #visit at hers\n", circle="inner"),
    )
    b.put(
        f"People/{NFD_NAME}.md",
        _person("## Log\n- 2026-07-01 #message hi\n", circle="close"),
    )
    b.put(
        GOOD_DAILY,
        "- lunch with [[Alice Good]] #lunch\n"
        "- called [[Bob Good]] #call\n"
        f"- coffee with [[{NFC_NAME}]] #coffee\n"
        f"- drinks with [[{EMOJI_NAME}]] #drinks\n"
        "- [[Carol Good]] and I went for a long walk #visit\n",
    )
    # A symlink inside the vault to a good note: harmless, read once.
    (root / "Links").mkdir()
    os.symlink("../People/Alice Good.md", root / "Links" / "Alice Link.md")

    # ---- YAML traps ---------------------------------------------------------------------------
    b.bad(
        "Notes/alias-bomb.md",
        f"---\ntitle: bomb\n{_bomb(9, 9)}\n---\nbody\n",
        Spec("alias bomb (9 levels of 9)", "frozen", (("frontmatter-too-large", 2),)),
    )
    b.bad(
        "People/Bomb Person.md",
        f"---\ntype: person\n{_bomb(12, 10)}\nall: [*l11, *l11]\n---\n## Log\n"
        "- 2026-10-01 #call boom\n",
        Spec(
            "alias bomb in a person note (12 levels of 10): never written",
            "frozen",
            (("frontmatter-too-large", 2),),
        ),
    )
    b.bad(
        "Notes/merge-bomb.md",
        "---\n"
        "a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}\n"
        + "".join(
            f"{n}: &{n} {{<<: *{p}, {', '.join(f'{n}{i}: *{p}' for i in range(10))}}}\n"
            for p, n in zip("abcdefg", "bcdefgh", strict=True)
        )
        + "---\n",
        Spec("alias bomb through merge keys", "frozen", (("frontmatter-too-large", 2),)),
    )
    b.bad(
        "Notes/deep-yaml-flow.md",
        "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nbody\n",
        Spec("5,000-deep YAML flow nesting", "frozen", (("frontmatter-too-deep", 2),)),
    )
    b.bad(
        "Notes/deep-yaml-block.md",
        "---\nx:\n  " + "- " * 5000 + "deep\n---\nbody\n",
        Spec(
            "5,000-deep YAML block nesting",
            "frozen",
            (("frontmatter-too-deep", 2),),
            known_bug="reported as frontmatter-invalid (libyaml's own depth limit) at line 3",
        ),
    )
    b.bad(
        "Notes/deep-yaml-block-500.md",
        "---\nx:\n  " + "- " * 500 + "deep\n---\nbody [[Alice Good]]\n",
        Spec(
            "500-deep YAML block nesting",
            "frozen",
            (("frontmatter-too-deep", 2),),
            known_bug="RecursionError in _freeze: the whole note is dropped as note-too-deep",
        ),
    )
    b.bad(
        "Notes/deep-yaml-mixed.md",
        "---\nx: " + "{a: [" * 2500 + "]}" * 2500 + "\n---\n",
        Spec("5,000-deep YAML mapping/list nesting", "frozen", (("frontmatter-too-deep", 2),)),
    )
    b.bad(
        "People/Tabs.md",
        '---\ntype: person\nknows:\n\t- "[[Alice Good]]"\n---\n## Log\n- 2026-10-01 #call x\n',
        Spec(
            "tab in YAML indentation (person): never written",
            "frozen",
            (("frontmatter-invalid", 4),),
        ),
    )
    b.bad(
        "Notes/tabs.md",
        "---\ntitle: tabs\nnested:\n  ok: 1\n\tbad: 2\n---\n",
        Spec("tab in YAML indentation", "frozen", (("frontmatter-invalid", 5),)),
    )
    b.bad(
        "People/Unclosed.md",
        "---\ntype: person\ncircle: inner\n\n## Log\n- 2026-10-01 #call x\n",
        Spec(
            "unclosed front matter (person): never written",
            "frozen",
            (("frontmatter-unclosed", 1),),
        ),
    )
    b.bad(
        "Notes/only-fence.md",
        "---",
        Spec("a lone '---'", "frozen", (("frontmatter-unclosed", 1),)),
    )
    b.bad(
        "Notes/fm-list.md",
        "---\n- a\n- b\n---\nbody [[Alice Good]]\n",
        Spec("front matter is a list", "frozen", (("frontmatter-not-mapping", 2),)),
    )
    b.bad(
        "Notes/fm-scalar.md",
        "---\njust a scalar\n---\nbody\n",
        Spec("front matter is a scalar", "frozen", (("frontmatter-not-mapping", 2),)),
    )
    b.bad(
        "Notes/python-tag.md",
        '---\ntitle: x\npwn: !!python/object/apply:os.system ["touch PWNED"]\n---\n',
        Spec("YAML python tag", "frozen", (("frontmatter-invalid", 3),)),
    )
    b.bad(
        "Notes/long-yaml.md",
        "---\nk: " + "y" * 1_000_000 + "\n---\n",
        Spec("1 MB YAML value", "frozen", (("frontmatter-too-large", 2),)),
    )

    # ---- person fields: impossible dates and wrong types in every one ------------------------
    b.bad(
        "People/Bad Dates.md",
        "---\n"  # 1
        "type: person\n"  # 2
        "birthday: 1990-02-30\n"  # 3
        "met: 2026-13-01\n"  # 4
        "snooze_until: 2026-04-31\n"  # 5
        "last_contact: 2026-02-29\n"  # 6
        "---\n"  # 7
        "## Log\n"  # 8
        "- 2026-02-30 #call impossible\n"  # 9
        "- 2026-11-01 #call fine\n",  # 10
        Spec(
            "impossible dates in every date field",
            "prefix",
            (
                ("invalid-birthday", 3),
                ("invalid-met", 4),
                ("invalid-snooze-until", 5),
                ("invalid-last-contact", 6),
                ("invalid-log-date", 9),
            ),
        ),
    )
    b.bad(
        "People/Bad Types.md",
        "---\n"  # 1
        "type: person\n"  # 2
        "aliases: {a: 1}\n"  # 3
        "birthday: [1, 2]\n"  # 4
        "met: true\n"  # 5
        "cadence: every blue moon\n"  # 6
        "circle: closest\n"  # 7
        "closeness: 7\n"  # 8
        "snooze_until: {when: never}\n"  # 9
        "last_contact: 12.5\n"  # 10
        "kin: maybe\n"  # 11
        "archived: sometimes\n"  # 12
        "paused: [yes, no]\n"  # 13
        "knows: {x: 1}\n"  # 14
        "introduced_by: 42\n"  # 15
        "company: {a: {b: [1, 2]}}\n"  # 16
        "role: [1, 2]\n"  # 17
        "email: {}\n"  # 18
        "tags: 12\n"  # 19
        "phone: [[[[1]]]]\n"  # 20
        "location: .inf\n"  # 21
        "---\n"
        "## Log\n- 2026-10-01 #call fine\n",
        Spec(
            "wrong types in every person field",
            "prefix",
            (
                ("invalid-birthday", 4),
                ("invalid-met", 5),
                ("invalid-cadence", 6),
                ("invalid-circle", 7),
                ("invalid-closeness", 8),
                ("invalid-snooze-until", 9),
                ("invalid-last-contact", 10),
                ("invalid-kin", 11),
                ("invalid-archived", 12),
                ("invalid-paused", 13),
            ),
        ),
    )
    b.bad(
        "People/Bad Ranges.md",
        "---\n"  # 1
        "type: person\n"  # 2
        "birthday: 2300-01-01\n"  # 3
        "met: 1800-01-01\n"  # 4
        "cadence: 99999\n"  # 5
        "circle: [inner, close]\n"  # 6 (the first circle is used)
        "closeness: '4.5'\n"  # 7
        "snooze_until: 20261340\n"  # 8
        "last_contact: '[[2026-02-30]]'\n"  # 9
        "kin: 2\n"  # 10 (read as true: see test_flags_reject_other_numbers)
        "archived: [true]\n"  # 11
        "aliases: [[[x]]]\n"  # 12
        "knows: 3.5\n"  # 13
        "introduced_by: [{a: b}]\n"  # 14
        "---\n",
        Spec(
            "out-of-range values",
            "prefix",
            (
                ("invalid-birthday", 3),
                ("invalid-met", 4),
                ("invalid-cadence", 5),
                ("invalid-closeness", 7),
                ("invalid-snooze-until", 8),
                ("invalid-last-contact", 9),
                ("invalid-archived", 11),
            ),
        ),
    )
    b.bad(
        "People/Bad PRM.md",
        "---\n"  # 1
        "prm-tier: Z\n"  # 2
        "prm-cadence: 0d\n"  # 3
        "prm-last-contacted: 2026-02-30\n"  # 4
        "prm-snooze-until: yesterday\n"  # 5
        "prm-paused: maybe\n"  # 6
        "prm-birthday: 13-45\n"  # 7
        "name: {first: [1], last: {x: 1}}\n"  # 8
        "FN: [1, 2]\n"  # 9
        "---\n",
        Spec(
            "Personal CRM dialect with bad values",
            "prefix",
            (
                ("invalid-circle", 2),
                ("invalid-cadence", 3),
                ("invalid-last-contact", 4),
                ("invalid-snooze-until", 5),
                ("invalid-paused", 6),
                ("invalid-birthday", 7),
            ),
        ),
    )
    b.bad(
        "Daily/2026-02-30.md",
        "- lunch with [[Alice Good]] #lunch\n",
        Spec("daily note named with an impossible date", "frozen", (("invalid-daily-date", None),)),
    )
    b.bad(
        "Meetings/Bad Meeting.md",
        '---\ndate: 2026-02-30\nattendees: ["[[Alice Good]]"]\n---\n# Bad meeting\n',
        Spec("meeting note with an impossible date", "frozen", (("invalid-date", 2),)),
    )

    # ---- files that are not text --------------------------------------------------------------
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4096))
    b.bad("Notes/binary.md", png, Spec("binary data named .md", "frozen", (("note-binary", None),)))
    b.bad(
        "People/Latin Person.md",
        "---\ntype: person\n---\n## Log\n- 2026-10-01 #coffee caf\u00e9 au lait\n".encode(
            "latin-1"
        ),
        Spec("latin-1 text (not UTF-8)", "frozen", (("note-not-utf8", 5),)),
    )
    b.bad(
        "Notes/latin.md",
        "first line\nsecond line \u00e0 la carte\n".encode("latin-1"),
        Spec("latin-1 text, not a person", "frozen", (("note-not-utf8", 2),)),
    )
    b.bad(
        "Notes/utf16.md",
        "\ufeff- lunch with [[Alice Good]]\n".encode("utf-16"),
        Spec("UTF-16 text", "frozen", (("note-binary", None),)),
    )

    # ---- empty notes (fine, but must not crash) -----------------------------------------------
    b.bad("Notes/empty.md", b"", Spec("empty note", "frozen", reported=False))
    b.bad("People/Empty Person.md", b"", Spec("empty person note", "prefix", reported=False))

    # ---- deep Markdown nesting (read, lines past the depth read as not nested) ---------------
    b.bad(
        "Notes/deep-quote.md",
        "> " * 5000 + "quoted [[Alice Good]] #lunch\n" + ">" * 5000 + "\n",
        Spec("5,000-deep block quote", "frozen", reported=False),
    )
    b.bad(
        "Notes/deep-list.md",
        "- " * 5000
        + "listed [[Bob Good]]\n"
        + "1. " * 5000
        + "x\n"
        + "".join("  " * i + "- level\n" for i in range(300)),
        Spec("5,000-deep list", "frozen", reported=False),
    )
    b.bad(
        "Notes/deep-html-brackets.md",
        "<div>" * 5000
        + "\n\n"
        + "[" * 5000
        + "]" * 5000
        + "\n\n"
        + "[[" * 5000
        + "\n\n"
        + "*" * 20000
        + "\n\n"
        + "<!--" * 3000
        + "\n\n"
        + "%%" * 3001
        + "\n",
        Spec("5,000-deep HTML, brackets, emphasis, comments", "frozen", reported=False),
    )

    # ---- duplicates and odd names -------------------------------------------------------------
    b.bad(
        "People/Dup Name.md",
        _person("## Log\n- 2026-10-01 #call first\n"),
        Spec("duplicate person name (1)", "prefix", (("duplicate-person", None),)),
    )
    b.bad(
        "Work/People/Dup Name.md",
        _person("## Log\n- 2026-10-02 #call second\n"),
        Spec("duplicate person name (2)", "prefix", reported=False),
    )
    for name in ("CON", "NUL", "COM1", "Dots..Name"):
        b.bad(
            f"People/{name}.md",
            _person("## Log\n- 2026-10-01 #call x\n"),
            Spec(f"reserved or dotted name {name}", "prefix", reported=False),
        )
    b.bad(
        "People/Slashy.md",
        _person(
            "## Log\n- 2026-10-01 #call x\n",
            aliases='["../outside/Outside Note", "../../outside/Outside Note", "a/b/c", "..",'
            ' "/", "CON", "NUL", "COM1", "People/../../x", "\\\\server\\\\share"]',
        ),
        Spec("aliases with '..', '/', device names", "prefix", reported=False),
    )
    b.bad(
        "Notes/escaping-links.md",
        "- call with [[../outside/Outside Note]] #call\n"
        "- call with [[../../outside/Outside Note]] #call\n"
        "- call with [x](../outside/Outside%20Note.md) #call\n"
        "- call with [x](../../outside/Outside%20Note.md) #call\n"
        "- call with [[/etc/passwd]] and [[CON]] and [[a/b/c]] and [[..]] #call\n",
        Spec("links that climb out of the vault", "frozen", reported=False),
    )

    # ---- broken region markers ----------------------------------------------------------------
    b.bad(
        "People/Two Begins.md",
        _person(
            "## Log\n- 2026-10-01 #call x\n"  # 4, 5
            "<!-- handful:begin -->\nold\n"  # 6, 7
            "<!-- handful:begin -->\n"  # 8
            "<!-- handful:end -->\n"
        ),
        Spec("two begins", "frozen", (("region-broken", 8),)),
    )
    b.bad(
        "People/No End.md",
        _person("## Log\n- 2026-10-01 #call x\n<!-- handful:begin -->\nold region\n"),
        Spec("begin without end", "frozen", (("region-broken", 6),)),
    )
    b.bad(
        "People/No Begin.md",
        _person("## Log\n- 2026-10-01 #call x\nstuff\n<!-- handful:end -->\n"),
        Spec("end without begin", "frozen", (("region-broken", 7),)),
    )
    b.bad(
        f"Reconnect/{BROKEN_DAY}.md",
        f"---\ntype: reconnect\ndate: {BROKEN_DAY}\n---\n\n"  # 1-5
        "<!-- handful:begin reconnect sha=000000000000 -->\n"  # 6
        "- [x] [[Alice Good]]\n",
        Spec("reconnect note whose region never ends", "frozen", (("region-broken", 6),)),
    )

    # ---- markers in code, comments and front matter (issue 12, item 3) ------------------------
    fence = "```markdown\n<!-- handful:begin -->\nan example\n<!-- handful:end -->\n```\n"
    b.bad(
        "People/Fenced Example.md",
        _person(f"## Log\n- 2026-10-01 #call x\n\nHow the region looks:\n\n{fence}"),
        Spec("region markers shown in a code block", "prefix", reported=False),
    )
    b.bad(
        "People/Yaml Markers.md",
        "---\ntype: person\nhelp: |\n  <!-- handful:begin -->\n  <!-- handful:end -->\n---\n"
        "## Log\n- 2026-10-01 #call x\n",
        Spec("region markers in a YAML block scalar", "prefix", reported=False),
    )
    b.bad(
        "People/Lost End.md",
        _person(
            "## Log\n- 2026-10-01 #call x\n"  # 4, 5
            "<!-- handful:begin -->\nold region\n\nmy own words\n\n"  # 6-10
            "```\n<!-- handful:end -->\n```\n"  # 11-13
        ),
        Spec("end marker lost; one quoted in code below", "frozen", (("region-broken", 6),)),
    )
    b.bad(
        "People/Typing Code.md",
        _person("## Log\n- 2026-10-01 #call x\n\n```python\nprint('still typing')\n"),
        Spec("ends inside a code block never closed", "frozen", (("region-broken", 7),)),
    )

    # ---- file identity (issue 12, item 7) -----------------------------------------------------
    b.bad(
        "People/Read Only.md",
        _person("## Log\n- 2026-10-01 #call x\n"),
        Spec("a read-only person note", "frozen", reported=False),
    )
    (root / "People" / "Read Only.md").chmod(0o444)
    b.bad(
        "People/Hard Linked.md",
        _person("## Log\n- 2026-10-01 #call x\n"),
        Spec("a person note hard-linked to a file outside the vault", "frozen", reported=False),
    )
    os.link(root / "People" / "Hard Linked.md", outside / "hard link.md")

    # ---- sync tools' conflict copies (issue 12, item 11) ---------------------------------------
    alice = (root / "People" / "Alice Good.md").read_bytes()
    for copy, data in (
        ("People/Alice Good (conflicted copy 2030-06-01).md", alice),
        ("People/Alice Good (Ana's conflicted copy).md", alice),
        ("People/Bob Good.sync-conflict-20300601-101010-ABCDEFG.md", b"---\ntype: person\n---\n"),
        ("People/Carol Good 2.md", (root / "People" / "Carol Good.md").read_bytes()),
    ):
        b.bad(copy, data, Spec("a sync conflict copy", "frozen", (("sync-conflict", None),)))

    # ---- size ---------------------------------------------------------------------------------
    b.bad(
        LONG_LINE_DAILY,
        "- lunch with [[Carol Good]] #lunch " + "x" * 1_000_000 + "\n",
        Spec("1 MB single line", "frozen", reported=False),
    )
    line = "- lunch with [[Alice Good]] #lunch and more words to fill the line\n"
    b.bad(
        "Notes/huge.md",
        line * (10 * 1024 * 1024 // len(line) + 1),
        Spec("10 MB note", "frozen", (("note-too-large", None),)),
    )

    # ---- emoji --------------------------------------------------------------------------------
    b.bad(
        f"People/{EMOJI_NAME}.md",
        _person(
            "Loves 🎂 and #🔥fire.\n\n## Log\n- 2026-10-03 #☕ coffee 🎉\n",
            tags='["🎉", "#🔥", "🏳️‍🌈"]',
            aliases='["🦄", "👩‍👩‍👧"]',
        ),
        Spec("emoji name, tags and aliases", "prefix", reported=False),
    )

    # ---- special files named .md --------------------------------------------------------------
    os.mkfifo(root / "Notes" / "fifo.md")  # opening it for reading would block forever
    b.register("Notes/fifo.md", Spec("a FIFO named .md", "link", reported=False))
    b.put("Notes/folder.md/inside.md", "- a note inside a folder named like a note\n")
    b.register("Notes/folder.md", Spec("a folder named .md", "link", reported=False))

    # ---- symlinks -----------------------------------------------------------------------------
    (root / "Loop").mkdir()
    b.put("Loop/inside.md", "- a note in a looping folder\n")
    os.symlink(".", root / "Loop" / "again")
    b.register("Loop/again", Spec("symlink loop (folder)", "link", (("symlink-loop", None),)))
    os.symlink("self-loop.md", root / "Notes" / "self-loop.md")
    b.register("Notes/self-loop.md", Spec("symlink to itself", "link", (("symlink-loop", None),)))
    os.symlink(f"../../outside/{OUTSIDE_NOTE}", root / "People" / "Outsider.md")
    b.register(
        "People/Outsider.md",
        Spec("symlink to a note outside the vault", "link", (("symlink-outside", None),)),
    )
    os.symlink("../outside", root / "OutsideDir")
    b.register(
        "OutsideDir", Spec("symlink to a folder outside", "link", (("symlink-outside", None),))
    )
    os.symlink("Nowhere.md", root / "People" / "Ghost.md")
    b.register("People/Ghost.md", Spec("dangling symlink", "link", (("symlink-dangling", None),)))
    return dict(b.labels)
