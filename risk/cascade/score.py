"""The composite 0-100 score and the loaded / firing sub-scores from the component values."""

from __future__ import annotations

from dataclasses import dataclass

from risk.cascade.config import COMPONENT_INPUT, COMPONENTS, FIRING, LOADED
from risk.cascade.readings import Component


@dataclass(frozen=True, slots=True)
class Score:
    """``score`` 0-100 over the present components; ``loaded`` / ``firing`` 0..1 sub-scores (``None``
    when none of their components is present); ``missing`` the absent components."""

    score: float
    components: tuple[Component, ...]
    missing: tuple[str, ...]
    loaded: float | None
    firing: float | None
    inputs: tuple[str, ...] = ()
    """The distinct inputs the present components are read from (``COMPONENT_INPUT``)."""
    cap: float = 100.0
    """The cap applied for so few inputs (100 = none)."""


def composite(
    comps: dict[str, tuple[float, tuple]],
    weights: dict[str, float],
    score_cap: tuple[tuple[int, float], ...] = (),
) -> Score:
    """``100 * sum(w_i c_i) / sum(w_i)`` over the present components, capped by how many distinct
    inputs they come from (``score_cap``: (n inputs, cap) pairs): weights renormalised over one input
    would otherwise let that input alone read as a full-strength cascade."""
    total_w = sum(weights[name] for name in comps)
    components = []
    score = 0.0
    for name in COMPONENTS:
        if name in comps:
            c, facts = comps[name]
            w = weights[name]
            pts = 100.0 * w * c / total_w if total_w > 0 else 0.0
            score += pts
            components.append(Component(name, c, w, pts, facts))
    missing = tuple(name for name in COMPONENTS if name not in comps)

    def sub(names: tuple[str, ...]) -> float | None:
        w = sum(weights[n] for n in names if n in comps)
        if w <= 0:
            return None
        return sum(weights[n] * comps[n][0] for n in names if n in comps) / w

    inputs = tuple(dict.fromkeys(COMPONENT_INPUT[name] for name in COMPONENTS if name in comps))
    cap = 100.0
    for n, limit in score_cap:
        if len(inputs) <= n:
            cap = min(cap, limit)
    if score > cap:
        # Points shrink in proportion so the reasons still add up to the score shown.
        factor = cap / score
        components = [Component(c.name, c.value, c.weight, c.points * factor, c.facts) for c in components]
        score = cap
    return Score(score, tuple(components), missing, sub(LOADED), sub(FIRING), inputs, cap)
