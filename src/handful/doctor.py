"""What ``handful doctor`` shows: every problem that needs you, and a count of what is normal.

A warning that is always there teaches people to ignore warnings. So a link to a note that does
not exist yet, which Obsidian users write all the time (``[[Japan]]``), is not a warning unless
a person was probably meant (``model/build.py``): it is counted on one line, and listed only
with ``--all``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from handful.errors import Problem, Severity

#: Codes that are counted, not listed, unless ``--all``: what the count line says of them.
COUNTED: Mapping[str, str] = {
    "link-missing": "link(s) to notes that do not exist yet (normal in Obsidian)",
}


@dataclass(frozen=True, slots=True)
class DoctorReport:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    info: tuple[Problem, ...]

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> DoctorReport:
        ordered = sorted(set(problems), key=Problem.sort_key)
        return cls(
            tuple(p for p in ordered if p.severity is Severity.ERROR),
            tuple(p for p in ordered if p.severity is Severity.WARNING),
            tuple(p for p in ordered if p.severity is Severity.INFO),
        )

    def lines(self, *, everything: bool = False) -> list[str]:
        """One line per problem, in file order; the counted codes as a count, unless
        ``everything``."""
        shown = sorted(
            (
                p
                for p in (*self.errors, *self.warnings, *self.info)
                if everything or p.code not in COUNTED
            ),
            key=Problem.sort_key,
        )
        lines = [str(p) for p in shown]
        if not everything:
            counts = Counter(p.code for p in self.info if p.code in COUNTED)
            for code, count in sorted(counts.items()):
                lines.append(f"{count} {COUNTED[code]}; 'handful doctor --all' lists them")
        return lines

    def as_json(self) -> dict[str, Any]:
        """Everything, counted codes included: ``errors``, ``warnings`` and ``info``."""
        return {
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
            "info": [p.as_dict() for p in self.info],
        }
