"""handful: keep a handful of strong relationships alive, in the Markdown vault you own."""

from __future__ import annotations

from handful.errors import HandfulError, Problem
from handful.parse import Block, BlockKind, Link, Note, parse_note

__version__ = "0.1.0"

__all__ = [
    "Block",
    "BlockKind",
    "HandfulError",
    "Link",
    "Note",
    "Problem",
    "__version__",
    "parse_note",
]
