"""Reach: who can introduce you to whom (docs/scoring.md, "Reach").

People form a graph: ``knows`` and introductions, people who met or were mentioned together.
Your own ties weigh S/100. The most reliable path maximises the product of the weights, i.e. is
the shortest path on -ln(w) (Dijkstra), at most three hops.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from handful.model.types import Edge, EdgeKind, Model
from handful.score.assess import Assessment

ME = "@me"
#: What ``path`` takes for you, rather than a person's name.
SELF_WORDS = frozenset({"me", "you", "i", "myself"})
MAX_HOPS = 3

#: Weight of one tie between two other people, by how we know of it. Repeated co-attendance
#: strengthens a tie towards the cap: w = cap * (1 - decay^n).
KNOWS_WEIGHT = 0.6
INTRODUCED_WEIGHT = 0.7
MET_TOGETHER_CAP, MET_TOGETHER_DECAY = 0.6, 0.7
MENTIONED_TOGETHER_CAP, MENTIONED_TOGETHER_DECAY = 0.4, 0.85


def person_graph(model: Model) -> dict[str, dict[str, float]]:
    """Undirected weighted ties between people (not including you)."""
    return graph_from_counts(tie_counts(model.edges), model.people)


#: Per pair of people (sorted): how many ties of each kind the notes state, in this order.
COUNTED = (EdgeKind.KNOWS, EdgeKind.INTRODUCED, EdgeKind.MET_TOGETHER)


def tie_counts(
    edges: Iterable[Edge], counts: dict[tuple[str, str], list[int]] | None = None, *, sign: int = 1
) -> dict[tuple[str, str], list[int]]:
    """Add (or with ``sign=-1`` take away) edges to per-pair counts: [knows, introduced, met
    together, mentioned together]. The graph depends on the edges only through these."""
    counts = {} if counts is None else counts
    column = {kind: i for i, kind in enumerate(COUNTED)}
    for edge in edges:
        a, b = edge.a, edge.b
        pair = (a, b) if a < b else (b, a)
        row = counts.get(pair)
        if row is None:
            row = counts[pair] = [0, 0, 0, 0]
        row[column.get(edge.kind, 3)] += sign
        if sign < 0 and not any(row):
            del counts[pair]
    return counts


def graph_from_counts(
    counts: Mapping[tuple[str, str], list[int]], people: Iterable[str]
) -> dict[str, dict[str, float]]:
    known = set(people)
    weights: dict[tuple[str, str], float] = {}
    for pair, (knows, introduced, met, mentioned) in counts.items():
        weight = 0.0
        if knows:
            weight = max(weight, KNOWS_WEIGHT)
        if introduced:
            weight = max(weight, INTRODUCED_WEIGHT)
        if met:
            weight = max(weight, MET_TOGETHER_CAP * (1 - MET_TOGETHER_DECAY**met))
        if mentioned:
            weight = max(weight, MENTIONED_TOGETHER_CAP * (1 - MENTIONED_TOGETHER_DECAY**mentioned))
        weights[pair] = weight
    graph: dict[str, dict[str, float]] = {}
    for (a, b), weight in sorted(weights.items()):
        if a in known and b in known:
            graph.setdefault(a, {})[b] = weight
            graph.setdefault(b, {})[a] = weight
    return graph


def my_ties(assessments: Mapping[str, Assessment]) -> dict[str, float]:
    """Your own tie to each person you have been in touch with, weighted by strength / 100.
    A note about someone you never contacted is no tie: nobody reaches them through you."""
    return {
        key: a.strength.score / 100
        for key, a in assessments.items()
        if a.last_contact is not None and a.person.counted
    }


def with_me(
    graph: Mapping[str, Mapping[str, float]], ties: Mapping[str, float]
) -> dict[str, dict[str, float]]:
    """Add you, tied to each person by ``ties`` (``my_ties``: strength / 100)."""
    full = {node: dict(neighbours) for node, neighbours in graph.items()}
    mine: dict[str, float] = {}
    for key, weight in ties.items():
        if weight > 0:
            mine[key] = min(1.0, weight)
            full.setdefault(key, {})[ME] = mine[key]
    full[ME] = mine
    return full


@dataclass(frozen=True, slots=True)
class Path:
    nodes: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def reliability(self) -> float:
        return math.prod(self.weights)

    @property
    def weakest(self) -> int:
        """Index of the weakest hop (into ``weights``)."""
        return min(range(len(self.weights)), key=lambda i: (self.weights[i], i))


def best_path(
    graph: Mapping[str, Mapping[str, float]], start: str, goal: str, *, max_hops: int = MAX_HOPS
) -> Path | None:
    """The most reliable chain from ``start`` to ``goal``; a direct tie when there is one
    (you need nobody to reach someone you already know)."""
    direct = graph.get(start, {}).get(goal)
    if direct is not None and direct > 0:
        return Path((start, goal), (direct,))
    return best_paths(graph, start, {goal}, max_hops=max_hops).get(goal)


def best_paths(
    graph: Mapping[str, Mapping[str, float]],
    start: str,
    goals: Iterable[str],
    *,
    max_hops: int = MAX_HOPS,
) -> dict[str, Path]:
    """Most reliable paths of at most ``max_hops`` from ``start`` to each goal reached."""
    wanted = set(goals)
    found: dict[str, Path] = {}
    # (cost, tie-break path, node, path nodes, weights); hops bounded by the path length
    heap: list[tuple[float, tuple[str, ...], tuple[float, ...]]] = [(0.0, (start,), ())]
    settled: dict[tuple[str, int], float] = {}
    while heap and len(found) < len(wanted):
        cost, nodes, weights = heapq.heappop(heap)
        node = nodes[-1]
        hops = len(nodes) - 1
        if node in wanted and node not in found and node != start:
            found[node] = Path(nodes, weights)
        if hops >= max_hops:
            continue
        for neighbour, weight in sorted(graph.get(node, {}).items()):
            if neighbour in nodes or weight <= 0:
                continue
            step = cost - math.log(weight)
            state = (neighbour, hops + 1)
            if settled.get(state, math.inf) <= step:
                continue
            settled[state] = step
            heapq.heappush(heap, (step, (*nodes, neighbour), (*weights, weight)))
    return found
