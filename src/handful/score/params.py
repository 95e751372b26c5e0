"""Every scoring constant, in one place, with where it comes from (see docs/scoring.md).

Override any of them in ``handful.toml`` under ``[scoring]``: plain numbers by name
(``half_life_days = 60``), tables for the mappings (``[scoring.circle_cadence]``,
``[scoring.weights]``, ``[scoring.circle_closeness]``, ``[scoring.kind_weights]``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from handful.errors import ConfigError, Problem, warning
from handful.model.types import Circle

#: The parts of tie strength, in the order they are shown.
PARTS = ("closeness", "intensity", "duration", "reciprocity", "multiplexity")


def _frozen(mapping: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ScoringParams:
    # --- cadence: desired days between contacts ------------------------------------------------
    #: Dunbar's layers and their typical contact frequency (Hill & Dunbar 2003; Sutcliffe et al.
    #: 2012; Dunbar 2018, "The anatomy of friendship"): weekly, monthly, quarterly, yearly.
    circle_cadence: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"inner": 7, "close": 30, "active": 90, "acquaintance": 365}
        )
    )
    #: Learned cadence: the usual gap over the last 10 gaps, clamped to 7..365 days.
    learned_gaps: int = 10
    learned_min_days: float = 7
    learned_max_days: float = 365
    #: Fewest gaps to learn a cadence from (one gap is an anecdote, not a rhythm).
    learned_min_gaps: int = 2

    # --- warmth and state -----------------------------------------------------------------------
    #: o = days since last contact / cadence; W = 2^-o, so warmth is 0.5 on the due date.
    due_at: float = 1.0
    overdue_at: float = 2.0
    dormant_at: float = 3.0
    #: Only ties with a cadence of 90 days or more go dormant; closer ties stay "overdue".
    dormant_min_cadence: float = 90
    #: Kin tolerate 1.5x longer before each state (Roberts & Dunbar 2015: kin closeness +0.27
    #: while friends fell; 70% of kin vs 49% of friends still in the inner layer at 18 months).
    kin_tolerance: float = 1.5

    # --- strength: 100 * sum(w_k x_k), every part counted -----------------------------------------
    #: Shares of predictive power in Gilbert & Karahalios 2009 (CHI), rounded; scaled to add up
    #: to 1 when overridden.
    weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "closeness": 0.40,
                "intensity": 0.30,
                "duration": 0.15,
                "reciprocity": 0.05,
                "multiplexity": 0.10,
            }
        )
    )
    #: Closeness from the circle when the note has no 1-5 rating (Marsden & Campbell 1984).
    circle_closeness: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"inner": 1.0, "close": 0.75, "active": 0.5, "acquaintance": 0.25}
        )
    )
    #: Closeness with no rating and no circle: the mean closeness of a Dunbar-shaped network,
    #: (5 x 1 + 10 x 0.75 + 35 x 0.5 + 100 x 0.25) / 150 (docs/scoring.md).
    closeness_prior: float = 0.375
    #: ... and for family with no circle: kin stay close longer (Roberts & Dunbar 2015).
    kin_closeness_prior: float = 0.5
    #: Value of one interaction by kind (in person 1.0, call/video 0.7, one-to-one
    #: message 0.4, group or one-click 0.1). Kinds not listed count as ``default``.
    kind_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "coffee": 1.0,
                "lunch": 1.0,
                "dinner": 1.0,
                "drinks": 1.0,
                "meeting": 1.0,
                "visit": 1.0,
                "call": 0.7,
                "video": 0.7,
                "message": 0.4,
                "email": 0.4,
                "letter": 0.4,
                "gift": 0.4,
                "intro": 0.4,
                "contact": 0.4,
                "event": 0.1,
                "mention": 0.1,
                "default": 0.4,
            }
        )
    )
    #: An interaction's weight halves every year: intensity keeps a long memory, because
    #: recency is warmth's job (a 90-day half-life made intensity a second recency signal; the
    #: validity benchmark, docs/scoring.md).
    half_life_days: float = 365
    #: Time with n people counts n^-a of one-to-one time for each of them.
    group_exponent: float = 1.5
    #: x_F = 1 - exp(-E / 10): weekly / monthly / quarterly / yearly in-person contact gives
    #: 1.00 / 0.84 / 0.47 / 0.18, so the layers stay in order.
    intensity_scale: float = 10
    #: x_D = min(1, ln(1 + years) / ln(1 + 10)): ten years known is the full duration score.
    duration_full_years: float = 10
    #: Reciprocity looks at the last 12 months and needs at least 3 contacts there.
    reciprocity_window_days: int = 365
    reciprocity_min_contacts: int = 3
    #: x_M = min(1, shared settings / 3): hashtags, meeting folders, linked projects and
    #: companies where your contacts happened, and family.
    multiplexity_contexts: float = 3

    # --- drift: silence against the person's own rhythm -----------------------------------------
    rhythm_window: int = 10  # recent gaps whose trimmed mean is the rhythm ...
    rhythm_window_days: int = 730  # ... within the two years before the last contact
    rhythm_min_interactions: int = 4
    rhythm_min_span_days: int = 28  # a burst or a fortnight's project is not a rhythm
    burst_days: int = 2  # gaps this short are one burst of contact, not the rhythm
    drift_factor: float = 3.0  # drifting at 3x the usual gap ...
    drift_min_days: int = 60  # ... and two months of silence at least ...
    drift_min_strength: float = 50  # ... for a tie that is strong (no upper limit on silence)

    # --- the daily list ---------------------------------------------------------------------------
    event_window_days: int = 7
    event_bonus: float = 0.5  # x S/100, for a birthday within the window
    #: x S/100: they reached out last and have no answer; as urgent as a tie long overdue
    inbound_bonus: float = 1.0
    #: An unanswered message keeps its full weight this long; after that, with nothing logged
    #: since, it is read as an exchange written down as one line.
    unanswered_days: int = 60
    #: Kinds that wait for an answer; a call or a dinner they invited you to already had one.
    unanswered_kinds: frozenset[str] = frozenset({"message", "email", "letter", "gift", "intro"})
    follow_up_bonus: float = 0.4  # flat: an open follow-up
    drift_bonus: float = 0.5  # x S/100
    rest_after_days: int = 3  # suggested 3 days running with no action ...
    rest_days: int = 7  # ... rests for a week
    rekindle_rotation: int = 4  # the weekly rekindle pick rotates among the best 4
    one_sided_below: float = 0.2  # reciprocity under 0.2 is a one-sided tie

    def cadence_for(self, circle: Circle | None) -> float | None:
        return float(self.circle_cadence[circle.value]) if circle is not None else None

    def normalised_weights(self) -> dict[str, float]:
        """The part weights, scaled to add up to 1, so the parts' points add up to S."""
        total = sum(self.weights.get(name, 0.0) for name in PARTS)
        return {name: self.weights.get(name, 0.0) / total for name in PARTS}

    def kind_weight(self, kind: str) -> float:
        return float(self.kind_weights.get(kind, self.kind_weights.get("default", 0.4)))


DEFAULT = ScoringParams()
#: Settings that divide or rotate: zero would be meaningless (and a division by zero).
_POSITIVE = {
    "half_life_days",
    "intensity_scale",
    "duration_full_years",
    "multiplexity_contexts",
    "kin_tolerance",
    "due_at",
    "overdue_at",
    "dormant_at",
    "rekindle_rotation",
    "learned_gaps",
    "learned_min_days",
    "learned_max_days",
    "rhythm_window",
    "drift_factor",
    "rest_after_days",
    "reciprocity_min_contacts",
}
_MAPPINGS = {"circle_cadence", "weights", "circle_closeness", "kind_weights"}
#: Tables whose names are fixed (a typo there would silently do nothing).
_NAMED = {"circle_cadence", "weights", "circle_closeness"}
#: Values on the 0..1 scale of a part of strength.
_FRACTIONS = {"circle_closeness", "closeness_prior", "kin_closeness_prior"}


def load_params(
    overrides: Iterable[tuple[str, Any]], problems: list[Problem] | None = None
) -> ScoringParams:
    """Defaults with ``[scoring]`` overrides applied. A bad value is a ConfigError; an unknown
    name is a warning in ``problems`` (like any unknown setting)."""
    known = {f.name: f for f in fields(ScoringParams)}
    changes: dict[str, Any] = {}
    for key, value in overrides:
        if key not in known:
            if problems is not None:
                problems.append(
                    warning(
                        "handful.toml",
                        None,
                        "config-unknown-key",
                        f"unknown setting 'scoring.{key}' in handful.toml; "
                        "it is ignored (see docs/scoring.md for the names)",
                    )
                )
            continue
        default = getattr(DEFAULT, key)
        if key in _MAPPINGS:
            if not isinstance(value, dict):
                raise ConfigError(f"[scoring.{key}] in handful.toml must be a table")
            merged = dict(default)
            for name, number in value.items():
                if not _number_at_least_zero(number):
                    raise ConfigError(f"scoring.{key}.{name} must be a number >= 0")
                if key in _NAMED and name not in default:
                    raise ConfigError(
                        f"scoring.{key}.{name} is not a known name; use one of {', '.join(default)}"
                    )
                if key in _FRACTIONS and number > 1:
                    raise ConfigError(f"scoring.{key}.{name} must be between 0 and 1")
                if key == "circle_cadence" and number <= 0:
                    raise ConfigError(f"scoring.circle_cadence.{name} must be greater than 0")
                merged[name] = float(number)
            changes[key] = _frozen(merged)
        elif key == "unanswered_kinds":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError("scoring.unanswered_kinds must be a list of kinds")
            changes[key] = frozenset(v.lower() for v in value)
        else:
            if not _number_at_least_zero(value):
                raise ConfigError(f"scoring.{key} in handful.toml must be a number >= 0")
            if key in _POSITIVE and value <= 0:
                raise ConfigError(f"scoring.{key} in handful.toml must be greater than 0")
            if key in _FRACTIONS and value > 1:
                raise ConfigError(f"scoring.{key} in handful.toml must be between 0 and 1")
            if isinstance(default, int) and value != int(value):
                raise ConfigError(f"scoring.{key} in handful.toml must be a whole number")
            changes[key] = int(value) if isinstance(default, int) else float(value)
    params = replace(DEFAULT, **changes)
    if sum(params.weights.get(name, 0.0) for name in PARTS) <= 0:
        raise ConfigError("scoring.weights must not all be zero")
    return params


def _number_at_least_zero(value: object) -> bool:
    """A finite number >= 0: TOML also reads ``nan`` and ``inf``, which would pass every
    comparison check (``nan < 0`` is false) and then score everyone NaN, or crash a count."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0
