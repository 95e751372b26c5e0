"""``handful intro TARGET``: who can introduce you to a person, a company or a tag."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handful.errors import NotFoundError, PersonNotFoundError
from handful.model.lookup import find_person
from handful.model.types import Model
from handful.score.assess import Assessment
from handful.score.reach import MAX_HOPS, ME, Path, best_paths, my_ties, person_graph

#: Introducers listed at most.
TOP = 5


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip().lstrip("#")).casefold()


@dataclass(frozen=True, slots=True)
class Option:
    introducer: str
    target: str
    path: Path  # from you, through the introducer, to the target

    @property
    def reliability(self) -> float:
        return self.path.reliability


@dataclass(frozen=True, slots=True)
class Answer:
    query: str
    kind: str  # person, company or tag
    members: tuple[str, ...]
    direct: tuple[str, ...]  # members you are already in touch with yourself
    options: tuple[Option, ...]

    def as_dict(self, model: Model) -> dict[str, Any]:
        def name(key: str) -> str:
            return "you" if key == ME else model.people[key].name

        return {
            "target": self.query,
            "kind": self.kind,
            "members": [name(k) for k in self.members],
            "direct": [name(k) for k in self.direct],
            "introducers": [
                {
                    "introducer": name(o.introducer),
                    "to": name(o.target),
                    "path": [name(n) for n in o.path.nodes],
                    "reliability": round(o.reliability, 4),
                    "weakest_hop": [
                        name(o.path.nodes[o.path.weakest]),
                        name(o.path.nodes[o.path.weakest + 1]),
                    ],
                }
                for o in self.options
            ],
        }

    def describe(self, model: Model) -> str:
        def name(key: str) -> str:
            return "you" if key == ME else model.people[key].name

        lines = [
            f"{self.query} ({self.kind}): {len(self.members)} "
            f"{'person' if len(self.members) == 1 else 'people'}"
        ]
        if self.direct:
            lines.append("You already know: " + ", ".join(name(k) for k in self.direct))
        if not self.options:
            lines.append(
                "Nobody in your notes links you to them within 3 hops." if not self.direct else ""
            )
        for rank, option in enumerate(self.options, start=1):
            chain = " -> ".join(name(n) for n in option.path.nodes)
            weak = option.path.weakest
            lines.append(
                f"{rank}. {name(option.introducer)} to {name(option.target)}: {chain} "
                f"(reliability {option.reliability:.2f}; weakest hop "
                f"{name(option.path.nodes[weak])}-{name(option.path.nodes[weak + 1])} "
                f"{option.path.weights[weak]:.2f})"
            )
        return "\n".join(line for line in lines if line)


def _members(model: Model, target: str) -> tuple[str, str, tuple[str, ...]]:
    if not target.startswith("#"):
        try:
            return (
                "person",
                model.people[find_person(model, target)].name,
                (find_person(model, target),),
            )
        except PersonNotFoundError:
            pass
        wanted = _fold(target)
        at_company = tuple(
            sorted(k for k, p in model.people.items() if any(_fold(c) == wanted for c in p.company))
        )
        if at_company:
            return "company", target, at_company
    wanted = _fold(target)
    tagged = tuple(
        sorted(
            k
            for k, p in model.people.items()
            if any(_fold(t) == wanted or _fold(t).startswith(wanted + "/") for t in p.tags)
        )
    )
    if tagged:
        return "tag", "#" + target.lstrip("#"), tagged
    raise NotFoundError(
        f"no person, company or tag called '{target}'; try a name from 'handful network' or a #tag"
    )


def find_introductions(
    model: Model,
    assessments: Mapping[str, Assessment],
    target: str,
    *,
    graph: Mapping[str, Mapping[str, float]] | None = None,
) -> Answer:
    """The best introducers to ``target``; ``graph`` is ``person_graph(model)`` when given (the
    same graph from counted ties, when the model holds no edges)."""
    kind, label, members = _members(model, target)
    mine = my_ties(assessments)
    if graph is None:
        graph = person_graph(model)
    direct = tuple(k for k in members if k in mine)
    options: list[Option] = []
    for member in members:
        if member in mine:
            continue  # you already know them: nobody needs to introduce you
        # Paths from the member back to your ties, then one hop to you: one search per member.
        reached = best_paths(graph, member, [k for k in mine if k != member], max_hops=MAX_HOPS - 1)
        for introducer, back in reached.items():
            nodes = (ME, *reversed(back.nodes))
            weights = (min(1.0, mine[introducer]), *reversed(back.weights))
            options.append(Option(introducer, member, Path(nodes, weights)))
    best: dict[str, Option] = {}
    for option in sorted(options, key=lambda o: (-o.reliability, o.path.nodes)):
        best.setdefault(option.introducer, option)
    ranked = sorted(best.values(), key=lambda o: (-o.reliability, o.path.nodes))[:TOP]
    return Answer(label, kind, members, direct, tuple(ranked))
