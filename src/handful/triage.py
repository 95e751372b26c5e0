"""``handful triage``: placing each unplaced person in a circle, fast.

The model leans on the user's own judgement of closeness (docs/scoring.md, "Closeness"), and
most vaults hold it for very few people. Triage walks through the people with no circle, the
most contacted and mentioned first, shows what the notes say about each, proposes a circle from
what the notes *show* (behaviour only: the strength without closeness, whose prior would only
echo the missing circle back) and writes the user's answer into the note's front matter with
the surgical editor (``interop/frontmatter_edit.py``), through the writer, one undo batch for
the whole session.

The proposal's thresholds were chosen on the validity benchmark (docs/scoring.md, "Triage").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handful.generate.text import shorten
from handful.interop.frontmatter_edit import FrontMatterError, edit_properties
from handful.model.fields import ALIASES, norm_key
from handful.model.kinds import MENTION
from handful.model.types import Circle, Interaction, Model, Person
from handful.score.assess import Assessment
from handful.write import Change, Recorder, Writer, WriteReport

#: Behaviour-only strength (0-100) from which each circle is proposed, the strongest first;
#: below the last, acquaintance. Chosen on the validity benchmark for the best mean recall of
#: the four layers on seeds 1-12 (held out on 13-24: docs/scoring.md, "Triage").
THRESHOLDS: tuple[tuple[Circle, float], ...] = (
    (Circle.INNER, 70.0),
    (Circle.CLOSE, 55.0),
    (Circle.ACTIVE, 30.0),
)
#: Your own ``closeness`` rating, where there is one, says more than behaviour.
CLOSENESS_CIRCLES: Mapping[int, Circle] = {
    5: Circle.INNER,
    4: Circle.CLOSE,
    3: Circle.ACTIVE,
    2: Circle.ACQUAINTANCE,
    1: Circle.ACQUAINTANCE,
}
#: The answer that marks someone as no personal tie (``tie: none``).
NO_TIE = "none"
#: Interactions shown per person.
SHOWN = 3


@dataclass(frozen=True, slots=True)
class Proposal:
    """One unplaced person, what the notes say about them, and the proposed answer: a circle,
    ``NO_TIE`` for someone the vault only mentions, or None when the notes say too little."""

    key: str
    name: str
    contacts: int
    mentions: int
    last_contact: dt.date | None
    recent: tuple[Interaction, ...]
    behaviour: float | None  # 0-100; None without contact
    suggested: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.key,
            "contacts": self.contacts,
            "mentions": self.mentions,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
            "behaviour": round(self.behaviour, 1) if self.behaviour is not None else None,
            "suggested": self.suggested,
            "reason": self.reason,
            "recent": [
                {"date": i.date.isoformat(), "kind": i.kind, "text": i.text} for i in self.recent
            ],
        }


def behaviour_strength(assessment: Assessment) -> float:
    """Strength from what the notes show, without closeness (0-100): the other parts' points
    over their weights, so it spans the whole scale."""
    parts = [p for p in assessment.strength.parts if p.name != "closeness"]
    weight = sum(p.weight for p in parts)
    return 100 * sum(p.weight * p.value for p in parts) / weight if weight else 0.0


def circle_for(behaviour: float) -> Circle:
    """The circle ``THRESHOLDS`` give a behaviour-only strength."""
    return next((circle for circle, low in THRESHOLDS if behaviour >= low), Circle.ACQUAINTANCE)


def propose(
    person: Person, assessment: Assessment, interactions: Sequence[Interaction], mentions: int
) -> Proposal:
    """What to propose for one person, from their contacts (``interactions``, mentions left
    out) and how often the vault mentions them."""
    contacts = len({(i.date, i.kind) for i in interactions})
    recent = tuple(
        sorted(
            (i for i in interactions if i.date <= assessment.as_of),
            key=lambda i: (i.date, i.source, i.line),
            reverse=True,
        )[:SHOWN]
    )
    last = assessment.last_contact.date if assessment.last_contact else None
    behaviour = behaviour_strength(assessment) if contacts else None
    suggested: str | None
    if person.closeness is not None:
        suggested = CLOSENESS_CIRCLES[person.closeness].value
        reason = f"your closeness rating is {person.closeness}"
    elif behaviour is not None:
        suggested = circle_for(behaviour).value
        reason = f"what your notes show scores {round(behaviour)}/100, closeness left out"
    elif mentions:
        suggested = NO_TIE
        reason = "mentioned, never in touch: an author, a public figure?"
    else:
        suggested = None
        reason = "nothing recorded yet: only you know"
    return Proposal(
        person.key, person.name, contacts, mentions, last, recent, behaviour, suggested, reason
    )


def proposals(
    model: Model, assessments: Mapping[str, Assessment], *, limit: int | None = None
) -> list[Proposal]:
    """Everyone to place: no circle (and no circle property at all, even one that does not
    read), not archived, not ``tie: none``; the most contacted and mentioned first."""
    found: list[Proposal] = []
    for key, person in model.people.items():
        if person.circle is not None or person.archived or person.no_tie or _has_circle(person):
            continue
        interactions = [i for i in model.interactions_of(key) if i.kind != MENTION]
        found.append(propose(person, assessments[key], interactions, len(model.mentions_of(key))))
    found.sort(key=lambda p: (-(p.contacts + p.mentions), -p.contacts, p.name.casefold(), p.key))
    return found if limit is None else found[:limit]


def _has_circle(person: Person) -> bool:
    """Does the note set a circle in any form (``circle``, ``prm-tier``...), even one that
    does not read? Triage never writes over what the user wrote."""
    names = set(ALIASES["circle"])
    return any(
        norm_key(key) in names and value not in (None, "", ()) for key, value in person.properties
    )


@dataclass
class Session:
    """The answers of one triage session, as they are written."""

    placed: dict[str, str] = field(default_factory=dict)  # path -> circle or NO_TIE
    skipped: list[str] = field(default_factory=list)
    left: dict[str, str] = field(default_factory=dict)  # path -> why it could not be written
    report: WriteReport = field(default_factory=WriteReport)


@dataclass(frozen=True, slots=True)
class Written:
    """What came of one answer: the writer's report, and why the note was left as it was
    when it was (None when it was written)."""

    report: WriteReport
    left_because: str | None


def answer_change(key: str, answer: str, why: list[str]) -> Change:
    """The front matter edit for one answer: ``circle: close`` or ``tie: none``, added only when
    the note does not set it already; a note whose front matter cannot be edited safely is left
    as it is, and ``why`` says so."""
    values = {"tie": NO_TIE} if answer == NO_TIE else {"circle": answer}

    def update(current: str | None) -> str | None:
        if current is None:
            why.append("the note is gone")
            return None
        try:
            edit = edit_properties(current, values)
        except FrontMatterError as exc:
            why.append(f"{key}: {exc}")
            return None
        if not edit.added:
            why.append(f"it already sets '{next(iter(values))}'")
            return None
        return edit.text

    return Change(key, update, "triage")


def write_answer(
    root: Path, key: str, answer: str, *, recorders: Sequence[Recorder] = ()
) -> Written:
    """Write one answer into the person's note (``answer_change``)."""
    why: list[str] = []
    report = Writer(root, recorders=recorders).apply([answer_change(key, answer, why)])
    if key in report.written:
        return Written(report, None)
    reasons = [str(p) for p in report.problems] + why
    return Written(report, reasons[0] if reasons else "the writer left it as it is")


def describe(proposal: Proposal, index: int, total: int) -> list[str]:
    """What the walk shows about one person: the first line is the name."""
    lines = [f"[{index}/{total}] {proposal.name} · {proposal.key}"]
    facts = []
    if proposal.contacts:
        facts.append(
            f"{proposal.contacts} contact{'s' if proposal.contacts != 1 else ''}"
            + (
                f", the last on {proposal.last_contact.isoformat()}"
                if proposal.last_contact
                else ""
            )
        )
    else:
        facts.append("no contact recorded")
    if proposal.mentions:
        facts.append(f"{proposal.mentions} mention{'s' if proposal.mentions != 1 else ''}")
    lines.append("  " + " · ".join(facts))
    for item in proposal.recent:
        text = f": {shorten(' '.join(item.text.split()), 90)}" if item.text else ""
        lines.append(f"    {item.date.isoformat()} {item.kind}{text}")
    if proposal.suggested is not None:
        lines.append(f"  Proposed: {_answer_words(proposal.suggested)} ({proposal.reason})")
        enter = f"Enter: {_answer_words(proposal.suggested)} · "
    else:
        lines.append(f"  No proposal: {proposal.reason}")
        enter = ""
    lines.append(
        f"  {enter}1 inner · 2 close · 3 active · 4 acquaintance · n not a personal tie · "
        "s skip · q quit"
    )
    return lines


def summary(session: Session) -> str:
    """One line for the end of the walk."""
    counts: dict[str, int] = {}
    for answer in session.placed.values():
        counts[answer] = counts.get(answer, 0) + 1
    order = [c.value for c in Circle] + [NO_TIE]
    parts = [f"{counts[a]} {_answer_words(a)}" for a in order if a in counts]
    placed = ", ".join(parts) if parts else "nobody"
    left = f"; {len(session.left)} left as they are" if session.left else ""
    tail = "; 'handful undo' takes the session back" if session.placed else ""
    return f"placed {placed}; {len(session.skipped)} skipped{left}{tail}"


def _answer_words(answer: str) -> str:
    return "not a personal tie" if answer == NO_TIE else answer


#: The answers of the walk, by key or by word: a circle, no tie; "" (Enter) takes the proposal,
#: ``s`` skips and ``q`` quits. Anything else is asked again (``10`` is not ``1``).
KEYS: Mapping[str, str] = {
    "1": Circle.INNER.value,
    "2": Circle.CLOSE.value,
    "3": Circle.ACTIVE.value,
    "4": Circle.ACQUAINTANCE.value,
    "n": NO_TIE,
    **{circle.value: circle.value for circle in Circle},
    NO_TIE: NO_TIE,
}
SKIP = frozenset({"s", "skip"})
QUIT = frozenset({"q", "quit"})


def walk(
    found: Sequence[Proposal],
    *,
    ask: Callable[[Proposal, int], str],
    write: Callable[[Proposal, str], Written],
    said: Callable[[str], None],
) -> Session:
    """Ask about each proposal in turn and write each answer at once: ``ask`` returns the
    answer (``""`` for Enter), ``write`` writes it, ``said`` shows a line."""
    session = Session()
    for index, proposal in enumerate(found, start=1):
        while True:
            key = ask(proposal, index).strip().lower()
            if key in QUIT:
                return session
            if key in SKIP:
                session.skipped.append(proposal.key)
                said("  skipped")
                break
            answer = proposal.suggested if key == "" else KEYS.get(key)
            if answer is None:
                said("  press 1-4, n, s or q" + ("" if key else " (there is no proposal)"))
                continue
            written = write(proposal, answer)
            session.report.merge(written.report)
            if written.left_because is None:
                session.placed[proposal.key] = answer
                said(f"  {_property(answer)} written to {proposal.key}")
            else:
                session.left[proposal.key] = written.left_because
                said(f"  left {proposal.key} as it is: {written.left_because}")
            break
    return session


def _property(answer: str) -> str:
    return "tie: none" if answer == NO_TIE else f"circle: {answer}"
