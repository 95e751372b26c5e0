"""What kind of contact a line records, and who started it.

Order of evidence: an inline field (``kind:: call``), then a hashtag (``#call``), then a keyword
in the text ("called", "lunch with"). No evidence means a *mention*, which is not contact.
Initiative: ``#inbound`` (or ``direction:: inbound``, or phrases like "called me", "X reached
out") marks that they reached out; otherwise the contact counts as yours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MENTION = "mention"
CONTACT = "contact"  # contact of an unstated kind (a dated log entry, a ticked reconnect box)

#: hashtag (case-insensitive) -> kind. Extend or override in handful.toml under [kinds].
KIND_TAGS: dict[str, str] = {
    "coffee": "coffee",
    "tea": "coffee",
    "lunch": "lunch",
    "breakfast": "lunch",
    "brunch": "lunch",
    "dinner": "dinner",
    "drinks": "drinks",
    "beer": "drinks",
    "meeting": "meeting",
    "meet": "meeting",
    "1on1": "meeting",
    "1-1": "meeting",
    "visit": "visit",
    "walk": "visit",
    "hike": "visit",
    "inperson": "visit",
    "in-person": "visit",
    "irl": "visit",
    "party": "event",
    "event": "event",
    "conference": "event",
    "call": "call",
    "phone": "call",
    "video": "video",
    "zoom": "video",
    "facetime": "video",
    "videocall": "video",
    "message": "message",
    "msg": "message",
    "text": "message",
    "sms": "message",
    "chat": "message",
    "dm": "message",
    "whatsapp": "message",
    "signal": "message",
    "email": "email",
    "mail": "email",
    "letter": "letter",
    "card": "letter",
    "gift": "gift",
    "intro": "intro",
    "introduction": "intro",
}

#: Words that name a kind when no tag does. Checked in order; the first match wins.
KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"video ?call(?:ed)?|facetimed?|zoom(?:ed)? with|on zoom|videochat", "video"),
    (r"phone call|call(?:ed)?|rang|phoned|on the phone", "call"),
    (r"coffee", "coffee"),
    (r"lunch|breakfast|brunch", "lunch"),
    (r"dinner|supper", "dinner"),
    (r"drinks|beers?|a drink", "drinks"),
    (r"met up|met with|meeting with|met|1:1|one-on-one|caught up", "meeting"),
    (r"visit(?:ed)?|stayed with|hiked|walk(?:ed)? with|hung out|hanging out", "visit"),
    (
        r"texted|messaged|dm'?d|whatsapp(?:ed)?|sent (?:her|him|them) a (?:message|text)"
        r"|wrote back|replied",
        "message",
    ),
    (r"e-?mailed|sent (?:an )?e-?mail", "email"),
    (r"introduced", "intro"),
    (r"gave (?:her|him|them) a gift|birthday present|sent (?:a )?gift", "gift"),
)
_KEYWORDS = tuple(
    (re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE), kind)
    for words, kind in KEYWORDS
)

#: Words that turn a keyword into a plan: "should call", "want to have lunch with".
INTENTION = re.compile(
    r"(?<![\w-])(?:need(?:s)? to|should|must|want(?:s)? to|have to|has to|going to|gonna|"
    r"plan(?:ning)? to|remember to|remind me to|will|todo|to-do|next time|tomorrow|owe|owes|"
    r"used to|would love to|hope to|hoping to|(?:i|we|you|she|he|they)'ll|let's)(?![\w-])",
    re.IGNORECASE,
)

#: How far before a keyword a plan word still qualifies it ("need to have lunch with").
PLAN_REACH = 30


def _planned(text: str, position: int) -> bool:
    """True when a plan word shortly precedes the keyword: "need to call" is not a call, but
    "Texted Henrik back ... I'll call her" is a text."""
    window = text[max(0, position - PLAN_REACH) : position]
    return bool(INTENTION.search(window))


INBOUND_TAGS = frozenset({"inbound", "they-reached-out", "from-them", "incoming"})
OUTBOUND_TAGS = frozenset({"outbound", "outgoing"})
INBOUND_PHRASES = re.compile(
    r"(?<![\w-])(?:(?:called|texted|messaged|emailed|e-mailed|rang|pinged|invited|wrote to|dm'?d)"
    r" me|reached out(?! to)|got in touch(?! with)|heard from|got an? (?:call|text|message|"
    r"e-?mail|letter|note) from|(?:call|text|message|e-?mail|letter|note) from)(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Kinds:
    """The kind vocabulary in force (defaults plus ``[kinds]`` from handful.toml)."""

    tags: Mapping[str, str]

    @classmethod
    def with_overrides(cls, extra: Iterable[tuple[str, str]] = ()) -> Kinds:
        table = dict(KIND_TAGS)
        table.update({tag.lower().lstrip("#"): kind.lower() for tag, kind in extra})
        return cls(table)

    def detect(self, text: str, tags: Iterable[str], fields: Mapping[str, str]) -> str | None:
        """The kind of contact ``text`` records, or None for a bare mention."""
        explicit = fields.get("kind") or fields.get("type") or fields.get("interaction")
        if explicit and explicit.strip():
            value = explicit.strip().lower().lstrip("#")
            return self.tags.get(value, value)
        for tag in tags:
            kind = self.tags.get(tag.lower())
            if kind:
                return kind
        for pattern, kind in _KEYWORDS:
            for match in pattern.finditer(text):
                if not _planned(text, match.start()):
                    return kind
        return None


def is_inbound(text: str, tags: Iterable[str], fields: Mapping[str, str]) -> bool:
    lowered = {tag.lower() for tag in tags}
    if lowered & OUTBOUND_TAGS:
        return False
    if lowered & INBOUND_TAGS:
        return True
    direction = (fields.get("direction") or fields.get("initiative") or "").strip().lower()
    if direction in {"inbound", "in", "them", "they"}:
        return True
    if direction in {"outbound", "out", "me", "i"}:
        return False
    inbound_field = (fields.get("inbound") or "").strip().lower()
    if inbound_field in {"true", "yes", "1"}:
        return True
    return bool(INBOUND_PHRASES.search(text))


KIND_TAG_RE = re.compile(r"(?<!\S)#([\w/-]+)")


def strip_tags(text: str, tags: Iterable[str]) -> str:
    """Remove the given hashtags from display text ("#coffee talked" -> "talked")."""
    drop = {tag.lower() for tag in tags}
    cleaned = KIND_TAG_RE.sub(lambda m: "" if m.group(1).lower() in drop else m.group(0), text)
    return " ".join(cleaned.split())
