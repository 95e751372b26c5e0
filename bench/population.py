"""Simulated social worlds with a known truth, written as an ordinary vault.

The validity benchmark (``bench/validity.py``) needs people whose true tie strength is known.
This module draws one "ego network" per seed from the literature and writes what its owner would
have noted down, in the forms docs/note-format.md documents: daily notes, meeting notes with
attendees, and person notes with a ``## Log``. The truth goes to a JSON file outside the vault.

The world (every rate can be scaled by ``Rates`` to test how the figures move):

- **Layers**: 5 / 10 / 35 / 100 people in the inner, close, active and acquaintance layers (Dunbar's
  5 / 15 / 50 / 150, cumulative; Hill & Dunbar 2003; Zhou et al. 2005). True strength is drawn
  inside each layer's band, so ranks within a layer are known too.
- **Contact frequency** falls with strength: about weekly for the inner layer, monthly for the
  close layer, a few times a year for the active layer and about yearly beyond (Hill & Dunbar
  2003; Sutcliffe et al. 2012), with a log-normal spread per person so that frequency alone
  never decides the layer.
- **Bursty contact**: sessions arrive with gamma-distributed gaps (shape < 1, heavy-tailed) and
  hold one or more contacts on consecutive days (Barabási 2005; Karsai et al. 2012).
- **Kinds of contact** shift towards meeting in person and calling as ties get stronger
  (Haythornthwaite 2005; Mok, Wellman & Carrasco 2010).
- **Reciprocity and multiplexity** rise with strength: strong ties start about half of the
  contacts and share two or three settings; weak ties are lopsided and share one.
- **Years known** rise with strength (Roberts & Dunbar 2015); a ``met`` date is written for some.
- **Incomplete logging**: each contact is written down with a per-person probability.

Confounders, a few people each (the cases that make counting go wrong):

- a **team** of weak colleagues seen in a weekly meeting for the whole period, and a **project**
  with months of group meetings with other weak ties;
- **kin** called weekly but rarely written down (marked ``kin: true`` or tagged ``family``);
- a ``circle`` written for about a fifth of people, a quarter of those one layer off;
- people **only mentioned**: authors and public figures, and "need to call X" plans; and contacts
  imported from a LinkedIn export, never met;
- **drifting** ties: formerly inner or close, silent for the last 3 to 6 months;
- **regular long gaps**: quarterly friends seen every 85 to 95 days, who never drift;
- messages they sent that are still **unanswered**, and open follow-ups.

Everything is drawn from one ``random.Random(seed)``: the same seed and rates give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

#: The day the world is observed; two years of history lie before it.
AS_OF = dt.date(2026, 11, 30)
HISTORY_DAYS = 730
START = AS_OF - dt.timedelta(days=HISTORY_DAYS)

#: Layer sizes (not cumulative) and true strength bands.
LAYERS: tuple[tuple[str, int, float, float], ...] = (
    ("inner", 5, 0.85, 1.00),
    ("close", 10, 0.65, 0.85),
    ("active", 35, 0.40, 0.65),
    ("acquaintance", 100, 0.10, 0.40),
)
STRONG_LAYERS = frozenset({"inner", "close"})


@dataclass(frozen=True)
class Rates:
    """The generator's main rates; each can be scaled to test how robust the figures are."""

    log_rate: float = 0.6  # share of contacts written down (per person it varies around this)
    contact_rate: float = 1.0  # multiplies every tie's contact frequency
    burstiness: float = 1.0  # larger: burstier (a smaller gamma shape)
    meeting_size: float = 1.0  # multiplies the number of people in team and project meetings
    circle_share: float = 0.2  # share of people whose note holds a circle
    kin_log_rate: float = 0.12  # share of calls with kin that are written down

    def scaled(self, name: str, factor: float) -> Rates:
        value = getattr(self, name) * factor
        if name in ("log_rate", "kin_log_rate", "circle_share"):
            value = min(value, 0.95)
        return replace(self, **{name: value})


@dataclass
class Event:
    """One true contact between the owner and one or more people."""

    date: dt.date
    people: tuple[int, ...]
    kind: str  # coffee, lunch, dinner, drinks, visit, call, video, message, email, meeting
    inbound: bool
    context: str
    answered: bool = True  # an inbound message the owner has replied to
    meeting: str = ""  # the meeting series, for team and project meetings
    noteless: int = 0  # colleagues at the meeting who have no note


@dataclass
class Person:
    index: int
    name: str
    role: str  # friend, kin, team, project, drift, regular, mentioned, imported
    layer: str  # inner, close, active, acquaintance, or "none" (no personal tie)
    strength: float  # the truth: 0..1
    mean_gap: float  # true days between contacts (0 when none)
    log_rate: float
    contexts: tuple[str, ...]
    years_known: float
    inbound_share: float
    birthday: dt.date | None
    company: str | None = None
    stop: dt.date | None = None  # drifting: contact stops on this day
    write_circle: str | None = None
    write_met: bool = False
    kin_form: str = ""  # "kin" or "tag"
    events: list[Event] = field(default_factory=list)


@dataclass
class World:
    seed: int
    rates: Rates
    people: list[Person]
    events: list[Event]
    mentions: list[tuple[dt.date, int, str]]  # (day, person, line text) not contact
    follow_ups: list[tuple[dt.date, int, str]]  # open tasks written on that day


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Ada Ben Cleo Dan Eva Finn Gia Hugo Ida Jon Kai Lea Max Nia Oli Pia Quin Ray Sia Tom Uma Vic "
    "Wes Yan Zoë José Inès Lukas Søren Amir Bea Cyrus Dora Emil Fay Gus Hana Ivo Jade Kofi Lina "
    "Milo Nora Otto Paz Rosa Sami Tess Ugo Vera Wren Yara Zeno Aiko Bram Chloé Dev Elif Femi"
)
LAST = _words(
    "Abbott Baker Castro Dahl Eriksen Fischer Garcia Hale Ito Jensen Kowal Lopez Moreau Novak "
    "Okafor Park Quinn Rossi Sato Tanaka Ueda Varga Weber Xu Young Zielinski Adeyemi Brennan "
    "Costa Demir Evans Ferreira Gallagher Herrera Ibsen Jansen Karimi Lindqvist Mehta Nakamura "
    "Osei Pereira Raman Santos Thorne Usman Vidal Whitfield Yilmaz Zhou"
)
CONTEXTS = (
    "climbing",
    "bookclub",
    "running",
    "choir",
    "neighbours",
    "uni",
    "football",
    "boardgames",
)
COMPANIES = ("Helio Robotics", "Larchmont Systems", "Northwind Labs", "Tern Health")
TOPICS = (
    "talked about the move",
    "she is changing teams",
    "he is training for a half marathon",
    "caught up on the kids",
    "talked about the new job",
    "swapped book recommendations",
    "long chat about the flat",
    "planned nothing, just talked",
    "about the conference",
    "laughed about the old days",
    "talked through a hard week",
    "about the garden",
)
#: Colleagues in meetings who have no note: they make a meeting bigger but are nobody's tie.
NOTELESS = _words(
    "Pat_Lee Sam_Ward Robin_Hart Alex_Moss Kim_Noor Lou_Pratt Ari_Stone Jules_Fenn Max_Orr Eli_Dunn"
)
AUTHORS = ("Ursula Vance", "Mark Oldham", "Lydia Crane", "Tobias Wren", "Greta Holm", "Paul Sterne")
MENTION_LINES = (
    "Reading [[{n}]]'s new book on attention",
    "Finished the essay by [[{n}]]",
    "Listened to [[{n}]] on a podcast about cities",
    "Quote from [[{n}]] stuck with me",
    "[[{n}]] gave a talk that everyone shared",
)


def _names(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _gap_for(strength: float, rng: random.Random) -> float:
    """True mean days between contacts: about 7 at 0.92, 30 at 0.7, 90 at 0.5, 300 at 0.2."""
    base = math.exp(math.log(7) + (0.92 - strength) / 0.72 * (math.log(300) - math.log(7)))
    return max(3.0, base * math.exp(rng.gauss(0, 0.45)))


def _kind(strength: float, rng: random.Random) -> str:
    """In person and calls for strong ties; messages and email for weak ones."""
    in_person = 0.15 + 0.35 * strength
    call = 0.08 + 0.27 * strength
    draw = rng.random()
    if draw < in_person:
        return rng.choice(("coffee", "lunch", "dinner", "drinks", "visit"))
    if draw < in_person + call:
        return rng.choice(("call", "call", "video"))
    return rng.choice(("message", "message", "email"))


def _sessions(
    rng: random.Random, mean_gap: float, start: dt.date, stop: dt.date, rates: Rates
) -> Iterator[dt.date]:
    """Bursty contact days: gamma gaps between sessions, one or more days per session."""
    per_session = 1.5
    shape = 0.6 / rates.burstiness
    session_gap = mean_gap * per_session / rates.contact_rate
    day = start + dt.timedelta(days=rng.uniform(0, session_gap))
    while day < stop:
        yield day
        extra = day
        while rng.random() < 1 - 1 / per_session:
            extra = extra + dt.timedelta(days=rng.choice((1, 1, 2)))
            if extra >= stop:
                break
            yield extra
        gap = rng.gammavariate(shape, session_gap / shape)
        day = extra + dt.timedelta(days=max(1, round(gap)))


def _regular(rng: random.Random, start: dt.date, stop: dt.date) -> Iterator[dt.date]:
    """A quarterly friend: every 85 to 95 days, like clockwork."""
    day = start + dt.timedelta(days=rng.randint(0, 90))
    while day < stop:
        yield day
        day = day + dt.timedelta(days=rng.randint(85, 95))


def build_world(seed: int, rates: Rates | None = None) -> World:
    rates = rates or Rates()
    rng = random.Random(seed)
    personal = sum(size for _, size, _, _ in LAYERS)
    names = _names(rng, personal + len(AUTHORS) + 6)
    people: list[Person] = []

    def add(role: str, layer: str, strength: float, **extra: object) -> Person:
        index = len(people)
        person = Person(
            index=index,
            name=names[index],
            role=role,
            layer=layer,
            strength=strength,
            mean_gap=0.0,
            log_rate=0.0,
            contexts=(),
            years_known=0.0,
            inbound_share=0.5,
            birthday=None,
        )
        for key, value in extra.items():
            setattr(person, key, value)
        people.append(person)
        return person

    for layer, size, low, high in LAYERS:
        for _ in range(size):
            add("friend", layer, round(rng.uniform(low, high), 4))
    strong = [p for p in people if p.layer in STRONG_LAYERS]
    active = [p for p in people if p.layer == "active"]
    weak = [p for p in people if p.layer == "acquaintance"]
    rng.shuffle(strong)
    rng.shuffle(active)
    rng.shuffle(weak)
    for p in strong[:2] + active[:1]:
        p.role = "kin"
    for p in strong[2:5]:
        p.role = "drift"
    for p in strong[5:6] + active[1:3]:
        p.role = "regular"
    team = weak[:5] + active[3:5]
    for p in team:
        p.role = "team"
    project = weak[5:11] + active[5:6]
    for p in project:
        p.role = "project"
    for name in AUTHORS:
        add("mentioned", "none", 0.0, name=name)
    for _ in range(6):
        add("imported", "none", 0.0, company=rng.choice(COMPANIES))

    for p in people:
        if p.layer == "none":
            continue
        s = p.strength
        p.mean_gap = _gap_for(s, rng)
        p.log_rate = min(0.95, max(0.1, rates.log_rate + rng.gauss(0, 0.12)))
        many = 1 + (rng.random() < s) + (rng.random() < s * s)
        contexts = rng.sample(CONTEXTS, many)
        if p.role in ("team", "project"):
            p.company = COMPANIES[0]
            contexts = ["work"]
        elif rng.random() < 0.3:
            p.company = rng.choice(COMPANIES)
            if rng.random() < 0.5:
                contexts[0] = "work"
        if p.role == "kin":
            contexts = ["family", *contexts[1:]]
            p.kin_form = rng.choice(("kin", "tag"))
            p.log_rate = min(0.9, rates.kin_log_rate)
            p.mean_gap = rng.uniform(6, 9)
        if p.role == "regular":
            p.mean_gap = 90.0
        p.contexts = tuple(contexts)
        p.years_known = max(0.3, (1 + 22 * s**2) * math.exp(rng.gauss(0, 0.4)))
        p.write_met = rng.random() < 0.4
        p.inbound_share = (
            rng.uniform(0.35, 0.6) if rng.random() < s else rng.choice((0.1, 0.2, 0.75, 0.85))
        )
        if rng.random() < 0.6:
            p.birthday = dt.date(1960 + rng.randint(0, 35), rng.randint(1, 12), rng.randint(1, 28))
        if p.role == "drift":
            p.stop = AS_OF - dt.timedelta(days=rng.randint(90, 180))
    _choose_circles(rng, people, rates)

    events: list[Event] = []
    for p in people:
        if p.layer == "none":
            continue
        stop = p.stop or AS_OF
        days = (
            _regular(rng, START, stop)
            if p.role == "regular"
            else _sessions(rng, p.mean_gap, START, stop, rates)
        )
        for day in days:
            kind = "call" if p.role == "kin" and rng.random() < 0.8 else _kind(p.strength, rng)
            events.append(
                Event(day, (p.index,), kind, rng.random() < p.inbound_share, rng.choice(p.contexts))
            )
    events.extend(_group_dinners(rng, people))
    events.extend(_meetings(rng, team, "Team sync", START, AS_OF, 7, rates))
    project_start = START + dt.timedelta(days=rng.randint(120, 400))
    project_stop = project_start + dt.timedelta(days=rng.randint(60, 120))
    events.extend(_meetings(rng, project, "Atlas sync", project_start, project_stop, 3.5, rates))
    _leave_unanswered(rng, people, events)
    events.sort(key=lambda e: (e.date, e.people))
    for event in events:
        for index in event.people:
            people[index].events.append(event)
    mentions = _mentions(rng, people)
    follow_ups = _follow_ups(rng, people)
    return World(seed, rates, people, events, mentions, follow_ups)


def _choose_circles(rng: random.Random, people: list[Person], rates: Rates) -> None:
    """About a fifth of people get a circle in their note (strong ties a little more often),
    a quarter of those one layer off."""
    order = ["inner", "close", "active", "acquaintance"]
    for p in people:
        if p.layer == "none":
            continue
        if rng.random() < rates.circle_share * (0.5 + p.strength):
            at = order.index(p.layer)
            if rng.random() < 0.25:
                at = min(3, max(0, at + rng.choice((-1, 1))))
            p.write_circle = order[at]


def _group_dinners(rng: random.Random, people: list[Person]) -> Iterator[Event]:
    """Strong ties are also seen together: dinners and walks with two or three friends."""
    friends = [p for p in people if p.layer in STRONG_LAYERS and p.role == "friend"]
    day = START + dt.timedelta(days=rng.randint(5, 40))
    while day < AS_OF:
        group = tuple(sorted(p.index for p in rng.sample(friends, rng.randint(2, 3))))
        yield Event(day, group, rng.choice(("dinner", "visit", "drinks")), False, "friends")
        day = day + dt.timedelta(days=rng.randint(20, 60))


def _meetings(
    rng: random.Random,
    members: list[Person],
    title: str,
    start: dt.date,
    stop: dt.date,
    every: float,
    rates: Rates,
) -> Iterator[Event]:
    """A recurring group meeting: most members attend each time (colleagues without a note of
    their own are added when the notes are written)."""
    day = start
    while day < stop:
        size = max(2, round((len(members) + 2) * rates.meeting_size * rng.uniform(0.6, 1.0)))
        present = rng.sample(members, min(len(members), size))
        yield Event(
            day,
            tuple(sorted(p.index for p in present)),
            "meeting",
            False,
            "work",
            meeting=title,
            noteless=min(len(NOTELESS), max(0, size - len(present))),
        )
        day = day + dt.timedelta(days=max(1, round(rng.gauss(every, every / 5))))


def _leave_unanswered(rng: random.Random, people: list[Person], events: list[Event]) -> None:
    """A few people wrote lately and are still waiting for an answer."""
    candidates = [p for p in people if p.layer in ("close", "active") and p.role == "friend"]
    for p in rng.sample(candidates, 3):
        day = AS_OF - dt.timedelta(days=rng.randint(2, 25))
        events[:] = [e for e in events if not (p.index in e.people and e.date >= day)]
        events.append(Event(day, (p.index,), "message", True, p.contexts[0], answered=False))


def _mentions(rng: random.Random, people: list[Person]) -> list[tuple[dt.date, int, str]]:
    found: list[tuple[dt.date, int, str]] = []
    for p in people:
        if p.role == "mentioned":
            for _ in range(rng.randint(3, 14)):
                day = START + dt.timedelta(days=rng.randint(0, HISTORY_DAYS - 1))
                found.append((day, p.index, rng.choice(MENTION_LINES)))
    plans = [p for p in people if p.layer in ("active", "acquaintance") and p.role == "friend"]
    for p in rng.sample(plans, 4):
        day = AS_OF - dt.timedelta(days=rng.randint(1, 200))
        found.append((day, p.index, "Need to call [[{n}]] about the flat"))
    return found


def _follow_ups(rng: random.Random, people: list[Person]) -> list[tuple[dt.date, int, str]]:
    chosen = [p for p in people if p.layer in STRONG_LAYERS and p.role == "friend"]
    return [
        (AS_OF - dt.timedelta(days=rng.randint(1, 10)), p.index, "call [[{n}]] this weekend")
        for p in rng.sample(chosen, 2)
    ]


# --- the truth ----------------------------------------------------------------------------------


def true_silence(person: Person, day: dt.date) -> int | None:
    past = [e.date for e in person.events if e.date <= day]
    return (day - max(past)).days if past else None


#: Drifting, in truth: silent three times the usual gap, and for two months at least (SCORING's
#: "a weekly friend silent for two months is drifting").
DRIFT_TIMES, DRIFT_DAYS = 3, 60


def is_drifting(person: Person, day: dt.date) -> bool:
    """A formerly strong tie gone quiet: silent several times their usual gap, for months."""
    if person.layer not in STRONG_LAYERS or person.role == "regular":
        return False
    silence = true_silence(person, day)
    return silence is not None and silence >= max(DRIFT_TIMES * person.mean_gap, DRIFT_DAYS)


def unanswered(person: Person, day: dt.date) -> bool:
    past = [e for e in person.events if e.date <= day]
    return bool(past) and not past[-1].answered


def birthday_within(person: Person, day: dt.date, window: int = 7) -> bool:
    if person.birthday is None:
        return False
    for year in (day.year, day.year + 1):
        try:
            next_one = person.birthday.replace(year=year)
        except ValueError:
            continue
        if 0 <= (next_one - day).days <= window:
            return True
    return False


def needs_contact(person: Person, day: dt.date, planned: frozenset[tuple[int, dt.date]]) -> bool:
    """The truth behind a good suggestion: a strong tie overdue against their true rhythm, a
    drifting tie (formerly strong), a birthday this week (of anyone but acquaintances), a
    message waiting for an answer, or a call the owner has planned (``planned``: (person, day
    written) of the open follow-ups)."""
    if person.layer == "none":
        return False
    if any(who == person.index and written <= day for who, written in planned):
        return True
    silence = true_silence(person, day)
    if person.layer in STRONG_LAYERS and silence is not None and silence >= person.mean_gap:
        return True
    if is_drifting(person, day) or unanswered(person, day):
        return True
    return person.layer != "acquaintance" and birthday_within(person, day)


def gone_quiet(person: Person, day: dt.date) -> bool:
    """An active friend silent three times their usual gap, for two months at least: not one of
    the "formerly strong" ties the drift truth counts, but a suggestion most people would take."""
    silence = true_silence(person, day)
    return (
        person.layer == "active"
        and person.role != "regular"
        and silence is not None
        and silence >= max(DRIFT_TIMES * person.mean_gap, DRIFT_DAYS)
    )


def planned(world: World) -> frozenset[tuple[int, dt.date]]:
    return frozenset((index, day) for day, index, _ in world.follow_ups)


def truth(world: World, day: dt.date = AS_OF) -> dict[str, dict[str, object]]:
    plans = planned(world)
    return {
        p.name: {
            "role": p.role,
            "layer": p.layer,
            "strength": p.strength,
            "mean_gap": round(p.mean_gap, 1),
            "drifting": is_drifting(p, day),
            "regular": p.role == "regular",
            "needs_contact": needs_contact(p, day, plans),
            "contacts": sum(1 for e in p.events if e.date <= day),
        }
        for p in world.people
    }


# --- the vault ---------------------------------------------------------------------------------


def _link(rng: random.Random, person: Person) -> str:
    if rng.random() < 0.15:
        return f"[[{person.name}|{person.name.split()[0]}]]"
    return f"[[{person.name}]]"


def _context_tag(rng: random.Random, event: Event, person: Person) -> str:
    if event.context == "work" and person.company and rng.random() < 0.5:
        return f" at [[{person.company}]]"
    if event.context not in ("work", "friends") and rng.random() < 0.6:
        return f" #{event.context}"
    return ""


_PHRASES: dict[str, tuple[str, ...]] = {
    "coffee": ("Coffee with {l}", "{l} #coffee"),
    "lunch": ("Lunch with {l}", "{l} #lunch"),
    "dinner": ("Dinner with {l}", "{l} #dinner"),
    "drinks": ("Drinks with {l}", "{l} #drinks"),
    "visit": ("Went for a walk with {l}", "Visited {l}", "{l} #visit"),
    "call": ("Phone call with {l}", "Called {l}", "{l} #call"),
    "video": ("Video call with {l}", "{l} #video"),
    "message": ("Texted {l}", "Messaged {l}", "{l} #message"),
    "email": ("Emailed {l}", "{l} #email"),
}
_INBOUND: dict[str, tuple[str, ...]] = {
    "call": ("{l} called me", "{l} #call #inbound"),
    "video": ("{l} #video #inbound",),
    "message": ("{l} texted me", "{l} messaged me", "{l} #message #inbound"),
    "email": ("{l} emailed me", "{l} #email #inbound"),
}


def _daily_line(rng: random.Random, event: Event, people: list[Person]) -> str:
    who = [people[i] for i in event.people]
    links = [_link(rng, p) for p in who]
    joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]
    phrases = _INBOUND.get(event.kind, ()) if event.inbound else ()
    text = rng.choice(phrases or _PHRASES[event.kind]).format(l=joined)
    topic = rng.choice(TOPICS)
    reply = ""
    if event.inbound and event.kind in ("message", "email") and event.answered:
        reply = rng.choice((", replied", " and I wrote back", ""))
    return f"- {text}{_context_tag(rng, event, who[0])} — {topic}{reply}"


def _log_line(rng: random.Random, event: Event) -> str:
    tags = {"visit": "#visit", "drinks": "#drinks", "video": "#video"}.get(
        event.kind, f"#{event.kind}"
    )
    inbound = " #inbound" if event.inbound else ""
    reply = " — replied" if event.inbound and event.answered and event.kind == "message" else ""
    context = f" #{event.context}" if event.context not in ("work", "friends") else ""
    return f"- {event.date.isoformat()} {tags}{inbound}{context} {rng.choice(TOPICS)}{reply}"


def write_vault(world: World, root: Path) -> None:
    """Write the world's notes as its owner would have: incompletely, in several forms."""
    rng = random.Random(world.seed * 7919 + 1)
    people = world.people
    daily: dict[dt.date, list[str]] = {}
    logs: dict[int, list[str]] = {p.index: [] for p in people}
    meetings: list[tuple[Event, list[Person]]] = []
    for event in world.events:
        if event.meeting:
            if rng.random() < 0.9:
                meetings.append((event, [people[i] for i in event.people]))
            continue
        who = [people[i] for i in event.people]
        if rng.random() >= max(p.log_rate for p in who):
            continue
        where = rng.random()
        if len(who) == 1 and where < 0.35:
            logs[who[0].index].append(_log_line(rng, event))
            if where < 0.05:  # written twice: in the log and in the day
                daily.setdefault(event.date, []).append(_daily_line(rng, event, people))
        else:
            daily.setdefault(event.date, []).append(_daily_line(rng, event, people))
    for day, index, line in world.mentions:
        daily.setdefault(day, []).append("- " + line.format(n=people[index].name))
    for day, index, line in world.follow_ups:
        daily.setdefault(day, []).append("- [ ] " + line.format(n=people[index].name))
    # Days with nothing to say about people still get a note now and then.
    for offset in range(0, HISTORY_DAYS, 3):
        daily.setdefault(START + dt.timedelta(days=offset), ["- Quiet day, wrote some code"])

    for day, lines in daily.items():
        path = root / "Daily" / f"{day.year}" / f"{day.isoformat()}.md"
        _write(path, f"# {day.isoformat()}\n\n" + "\n".join(lines) + "\n")
    for event, present in meetings:
        _write_meeting(rng, root, event, present)
    for p in people:
        _write_person(root, p, logs[p.index])
    _write(root / "handful.toml", 'state_dir = ".handful"\n')


def _write_meeting(rng: random.Random, root: Path, event: Event, present: list[Person]) -> None:
    folder = "Meetings" if event.meeting == "Team sync" else "Projects/Atlas"
    path = root / folder / f"{event.date.isoformat()} {event.meeting}.md"
    everyone = [p.name for p in present] + [
        name.replace("_", " ") for name in rng.sample(NOTELESS, event.noteless)
    ]
    names = [f'"[[{name}]]"' for name in everyone]
    if rng.random() < 0.5:
        body = (
            f"---\ndate: {event.date.isoformat()}\nattendees: [{', '.join(names)}]\n"
            f"tags: [work]\n---\n# {event.meeting}\n\n- went through the roadmap\n"
        )
    else:
        items = "\n".join(f"- [[{name}]]" for name in everyone)
        body = (
            f"---\ndate: {event.date.isoformat()}\n---\n# {event.meeting}\n\n"
            f"## Attendees\n{items}\n\n## Notes\n- went through the roadmap\n"
        )
    _write(path, body)


def _write_person(root: Path, p: Person, log: list[str]) -> None:
    lines = ["---", "type: person"]
    if p.write_circle:
        lines.append(f"circle: {p.write_circle}")
    if p.kin_form == "kin":
        lines.append("kin: true")
    tags = ["person"]
    if p.kin_form == "tag":
        tags.append("family")
    if p.role == "mentioned":
        tags.append("author")
    if p.role == "imported":
        tags.append("linkedin")
        lines.append(f"email: {p.name.split()[0].lower()}@example.org")
    if p.company:
        lines.append(f'company: "[[{p.company}]]"')
    if p.write_met:
        met = AS_OF - dt.timedelta(days=round(p.years_known * 365.25))
        lines.append(f"met: {met.isoformat()}")
    if p.birthday:
        lines.append(f"birthday: {p.birthday.isoformat()}")
    lines.append(f"tags: [{', '.join(tags)}]")
    lines.append("---")
    body = "\n".join(lines) + f"\n# {p.name}\n\n"
    if p.role == "imported":
        body += "Imported from LinkedIn.\n"
    if log:
        body += "## Log\n" + "\n".join(log) + "\n"
    _write(root / "People" / f"{p.name}.md", body)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_truth(world: World, path: Path) -> None:
    data = {
        "seed": world.seed,
        "as_of": AS_OF.isoformat(),
        "rates": asdict(world.rates),
        "people": truth(world),
    }
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
