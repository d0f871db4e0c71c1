"""The demo province's parts: each domain app's ``demo.py`` registers its part here with
:func:`part` (found by ``autodiscover_modules("demo")`` in ``DemoConfig.ready``), and
``fupin.demo.load.build_demo`` runs them in order. docs/adding-an-app.md, section "demo"."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.db.models import Model

from fupin.demo.structure import Structure


class DemoUser(NamedTuple):
    username: str
    role: str
    area_codes: list[str]
    full_name: str
    can_view_identifiers: bool


@dataclass
class Context:
    """What the parts of one demo build share."""

    structure: Structure
    scale: float
    seed: int
    area_ids: dict[str, int]
    progress: Callable[[str], None] = print
    shared: dict[str, Any] = field(default_factory=dict)
    generated: dict[str, Any] = field(default_factory=dict)

    def rng(self, *spawn_key: int) -> np.random.Generator:
        """A generator of its own for a part: ``SeedSequence(seed, spawn_key=spawn_key)``."""
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=spawn_key))


@dataclass(frozen=True)
class Part:
    name: str
    order: int
    prepare: Callable[[Context], None] | None = None
    generate: Callable[[Context], Any] | None = None
    write: Callable[[Context, Any], Mapping[str, int] | None] | None = None
    occupied: Callable[[], str | None] | None = None
    users: Callable[[Context], Iterable[DemoUser]] | None = None
    analyze: Sequence[type[Model]] = ()
    describe: Callable[[Mapping[str, Any]], str] | None = None


_parts: dict[str, Part] = {}


def part(
    name: str,
    order: int,
    *,
    prepare: Callable[[Context], None] | None = None,
    generate: Callable[[Context], Any] | None = None,
    write: Callable[[Context, Any], Mapping[str, int] | None] | None = None,
    occupied: Callable[[], str | None] | None = None,
    users: Callable[[Context], Iterable[DemoUser]] | None = None,
    analyze: Sequence[type[Model]] = (),
    describe: Callable[[Mapping[str, Any]], str] | None = None,
) -> Part:
    """Register (or replace, when a module is imported again) the demo part ``name``."""
    registered = Part(name, order, prepare, generate, write, occupied, users, tuple(analyze), describe)
    _parts[name] = registered
    return registered


def parts() -> list[Part]:
    """The registered parts in their order."""
    return sorted(_parts.values(), key=lambda p: (p.order, p.name))
