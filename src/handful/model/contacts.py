"""Contact targets: how an export names someone, matched to person notes when the model is built.

A calendar, chat or mail export knows people by e-mail address, phone number, profile and
display name, never by note. Its records name each of them with a *contact target*: a string
that cannot be a link target (it starts with ``CONTACT``) holding what the export said. Like a
link, it is resolved late, against the whole vault (docs/capture.md, "Who is who"): the e-mail
addresses, phone numbers and LinkedIn profiles in person notes first, then exact names and
aliases. A record therefore depends on its export file alone, and a person note that gains an
address re-resolves only the records that use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from handful.vault.resolve import fold

if TYPE_CHECKING:
    from handful.model.types import Person
    from handful.vault.resolve import Resolver

#: Starts every contact target; a link target never holds a control character.
CONTACT = "\x1f"
#: Phone numbers match on their last digits when one side lacks the country code.
TAIL_DIGITS = 9
#: Fewer digits than this is no phone number (an extension, a short code).
MIN_PHONE_DIGITS = 6

#: An address, matched against one word at a time (a hostile property of 256 KiB with no "@"
#: must not cost a search from every position).
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_WORDS = re.compile(r"[^\s,;<>()\[\]\"']+")
#: Longer than this is no address (RFC 5321 allows 254).
MAX_ADDRESS = 320
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINKEDIN = re.compile(r"linkedin\.com/(?:in|pub)/([^/?#\s]+)", re.IGNORECASE)


def clean(text: str) -> str:
    """One line of display text: no control characters, single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def normal_email(text: str) -> str:
    """The address in ``text`` ("Ana <ANA@x.org>", "mailto:ana@x.org"), lower-cased; or ""."""
    found = emails_in(text)
    return found[0] if found else ""


def emails_in(text: str) -> list[str]:
    """Every address in ``text``, lower-cased, in order."""
    found: list[str] = []
    for word in _WORDS.finditer(text):
        token = word.group(0)
        if "@" in token and len(token) <= MAX_ADDRESS:
            match = _EMAIL.search(token)
            if match:
                found.append(match.group(0).lower().rstrip("."))
    return list(dict.fromkeys(found))


@lru_cache(maxsize=4096)
def normal_phone(text: str, region: str | None = None) -> str:
    """A phone number as ``+<E.164>`` when it can be read as one (with ``region`` for numbers
    written without their country code), else its digits; "" for anything that is not a number.
    ``phonenumbers`` does the reading: formats, ``00`` prefixes, extensions."""
    raw = text.strip()[:64]  # phonenumbers refuses longer input anyway
    digits = re.sub(r"\D", "", raw)
    if len(digits) < MIN_PHONE_DIGITS:
        return ""
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+") or region:
        import phonenumbers

        try:
            number = phonenumbers.parse(raw, None if raw.startswith("+") else region)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_possible_number(number):
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return digits


def phone_tail(phone: str) -> str:
    """The part of a number both ``+44 7700 900123`` and ``07700 900123`` end with."""
    digits = re.sub(r"\D", "", phone)
    return digits[-TAIL_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else ""


def linkedin_id(text: str) -> str:
    """The profile name in a LinkedIn profile URL (``linkedin.com/in/ana-lopez``), folded."""
    found = _LINKEDIN.search(text)
    return fold(found.group(1).strip()) if found else ""


@dataclass(frozen=True, slots=True)
class Party:
    """Someone as an export names them: any of a display name, an address, a number, a profile
    (``profile``: a LinkedIn URL, or an id such as ``telegram:user42`` used only to tell people
    apart). Values are single lines."""

    name: str = ""
    email: str = ""
    phone: str = ""
    profile: str = ""

    def target(self) -> str:
        """The contact target naming this party."""
        fields = (("n", self.name), ("e", self.email), ("p", self.phone), ("u", self.profile))
        return CONTACT + CONTACT.join(
            tag + value.replace(CONTACT, " ") for tag, value in fields if value
        )

    def key(self) -> str:
        """Who this is, for counting: the address, else the number, profile or folded name."""
        if self.email:
            return f"e:{self.email}"
        if self.phone:
            return f"t:{phone_tail(self.phone) or self.phone}"
        if self.profile:
            return f"u:{self.profile}"
        return f"n:{fold(self.name)}"

    def label(self) -> str:
        """``Ana Lopez <ana@example.org>``, or whatever is known."""
        ids = [v for v in (self.email, self.phone) if v]
        if self.name and ids:
            return f"{self.name} <{ids[0]}>"
        return self.name or (ids[0] if ids else self.profile)


def name_forms(name: str) -> list[str]:
    """A name as written, and "Lopez, Ana" (how Outlook and address books write it) also as
    "Ana Lopez"."""
    if not name:
        return []
    last, comma, first = name.partition(",")
    if comma and first.strip() and last.strip() and "," not in first:
        return [name, f"{first.strip()} {last.strip()}"]
    return [name]


def is_contact(target: str) -> bool:
    return target[:1] == CONTACT


@lru_cache(maxsize=1 << 14)
def party_of(target: str) -> Party:
    """The party a contact target names (the inverse of ``Party.target``)."""
    values = {"n": "", "e": "", "p": "", "u": ""}
    for part in target[1:].split(CONTACT):
        if part[:1] in values and part[1:]:
            values[part[:1]] = part[1:]
    return Party(values["n"], values["e"], values["p"], values["u"])


def target_keys(target: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """What a contact target is resolved by: (the address, number and profile keys a person
    note can hold, the names it is tried as). If a person note gains or loses one of them, the
    records using it are resolved again (``model/state.py``)."""
    party = party_of(target)
    keys = {f"e:{party.email}"} if party.email else set()
    if party.phone and phone_tail(party.phone):
        keys.add(f"t:{phone_tail(party.phone)}")
    if linkedin_id(party.profile):
        keys.add(f"l:{linkedin_id(party.profile)}")
    return frozenset(keys), tuple(name_forms(party.name))


def linkedin_of(person: Person) -> str:
    """The LinkedIn profile a person note names in a ``linkedin`` property, if any."""
    for key, value in person.properties:
        if re.sub(r"[\s_-]+", "", key.casefold()) == "linkedin" and isinstance(value, str):
            return linkedin_id(value)
    return ""


def person_keys(person: Person) -> frozenset[str]:
    """What contact targets find a person by, besides their names."""
    keys = {f"e:{email}" for email in person.emails}
    # read by phonenumbers where it can be (an extension or "(0)" is no part of the number)
    keys |= {
        f"t:{tail}" for phone in person.phones if (tail := phone_tail(normal_phone(phone) or phone))
    }
    profile = linkedin_of(person)
    if profile:
        keys.add(f"l:{profile}")
    return frozenset(keys)


class ContactIndex:
    """Finds the person a contact target names: by e-mail, phone or profile, then by exact
    name or alias. Two people with the same address or number are nobody's (ambiguous)."""

    def __init__(self, people: Mapping[str, Person], resolver: Resolver) -> None:
        self._people = people
        self._resolver = resolver
        self._by_key: dict[str, set[str]] = {}
        for key, person in people.items():
            for found in person_keys(person):
                self._by_key.setdefault(found, set()).add(key)
        self._memo: dict[str, str | None] = {}

    def find(self, target: str) -> str | None:
        known = self._memo.get(target, "")
        if known != "":
            return known
        found = self._find(party_of(target))
        self._memo[target] = found
        return found

    def _find(self, party: Party) -> str | None:
        keys = [f"e:{party.email}"] if party.email else []
        if party.phone and phone_tail(party.phone):
            keys.append(f"t:{phone_tail(party.phone)}")
        if linkedin_id(party.profile):
            keys.append(f"l:{linkedin_id(party.profile)}")
        candidates: set[str] = set()
        for key in keys:
            candidates |= self._by_key.get(key, set())
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            return None  # one address on two notes: nobody's until it is fixed
        return self._by_name(party.name) if party.name else None

    def _by_name(self, name: str) -> str | None:
        """The person whose note title or alias is ``name`` (in any of its forms)."""
        for candidate in name_forms(name):
            result = self._resolver.resolve(candidate)
            if result.path is not None and result.path in self._people:
                return result.path
        return None
