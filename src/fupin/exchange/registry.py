"""The entities of the exchange format, as the apps register them.

Each app that brings files to the package has an ``exchange.py`` module; the exchange
app's ``ready()`` imports every installed app's module (``autodiscover_modules``) and
each calls ``register`` for its entities. The importer, the exporter, the templates,
their reference sheet and ``fupin exchange_docs`` are loops over what is registered, in
dependency order (``after``, then the order of ``INSTALLED_APPS``). The framework names
no entity: what an entity needs (a role, the administrative tree, a permission, the
households its rows refer to...) is declared here, by the entity.

    from fupin.exchange import registry

    registry.register(
        HOUSEHOLDS,
        plan=plan_households,  # (plan, ctx) -> None: compare, check, add RowErrors
        write=write_households,  # (plan, ctx) -> None: inside the one transaction
        export=export_households,  # (ctx) -> DataFrame of strings, in the entity's columns
        label=pgettext_lazy("exchange file", "households"),
        models=(Household, SecondaryCause),
    )

A planner or a writer shared by several entities (one function planning a group of files
that check each other) is registered with each of them and called once, at the place of
the first. Planners are called whether or not the package holds their file (a file may
check rows of another, as the members file counts the heads of the households file);
they return early when they have nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fupin.core.choices import Role
from fupin.exchange.schema import ENTITIES, Entity

if TYPE_CHECKING:
    import polars as pl
    from django.db.models import Model

    from fupin.exchange.planning import Plan

Ranges = list[tuple[str, str]] | None
Progress = Callable[[str, int], None]


@dataclass
class ImportContext:
    """What a planner and a writer get besides the plan: the user (None: the operator of
    the server, unrestricted), the user's areas as code ranges (None: all) and a progress
    callback (entity name, rows written)."""

    user: Any = None
    ranges: Ranges = None
    progress: Progress = field(default=lambda _name, _n: None)


@dataclass
class ExportContext:
    """What an export query gets: the user, the areas to export as code ranges (the user's
    areas, narrowed to ``--area``; None: all), and whether identifiers will be masked (the
    framework masks them after the query, by the columns' kinds)."""

    user: Any = None
    ranges: Ranges = None
    masked: bool = False

    def where(self, column: str) -> tuple[str, list[str]]:
        """A SQL condition (without WHERE) keeping rows whose area code ``column`` is in
        the ranges, with its parameters; ``("", [])`` for everything."""
        if self.ranges is None:
            return "", []
        if not self.ranges:
            return "1 = 0", []
        return " OR ".join(f"({column} BETWEEN %s AND %s)" for _ in self.ranges), [v for r in self.ranges for v in r]


Planner = Callable[["Plan", ImportContext], None]
Writer = Callable[["Plan", ImportContext], None]
Exporter = Callable[[ExportContext], "pl.DataFrame"]


@dataclass(frozen=True)
class Permission:
    """A permission an import of the entity's file needs (refused as a whole file, before
    anything is compared with the database). ``check`` is a permission name for
    ``user.has_perm`` or a function of the user; the error names ``column``."""

    check: str | Callable[[Any], bool]
    column: str
    reason: Any
    docs: str = ""  # the sentence docs/data-exchange.md says of it, under "--as USER"

    def allows(self, user: Any) -> bool:
        if callable(self.check):
            return bool(self.check(user))
        return bool(getattr(user, "is_authenticated", False) and user.has_perm(self.check))


@dataclass(frozen=True)
class Registration:
    entity: Entity
    plan: Planner | None = None
    write: Writer | None = None
    export: Exporter | None = None
    after: tuple[str, ...] = ()
    needs_role: str = Role.VILLAGE
    needs_areas: bool = True
    needs_permission: Permission | None = None
    models: tuple[type[Model], ...] = ()
    label: Any = None
    masked_order: tuple[str, ...] | None = None
    docs: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.entity.name


_REGISTRY: dict[str, Registration] = {}

# the sections of docs/data-exchange.md an entity may add bullets (or paragraphs) to
# (field_rules: bullets of "Field rules"; import: bullets of "Import"; import_roles and import_scope:
# sentences of its "--as USER" bullet; export: bullets of "Export")
DOC_SECTIONS = ("field_rules", "import", "import_roles", "import_scope", "export")


def register(
    entity: Entity,
    *,
    plan: Planner | None = None,
    write: Writer | None = None,
    export: Exporter | None = None,
    after: Sequence[str] | None = None,
    needs_role: str = Role.VILLAGE,
    needs_areas: bool = True,
    needs_permission: Permission | None = None,
    models: Sequence[type[Model]] = (),
    label: Any = None,
    masked_order: Sequence[str] | None = None,
    docs: Mapping[str, Sequence[Any]] | None = None,
) -> Entity:
    """Register ``entity`` with the exchange framework.

    - ``plan(plan, ctx)`` checks the package's rows and sets ``plan.changes[name]``;
      ``write(plan, ctx)`` writes the new and changed rows (one transaction around all).
      ``export(ctx)`` returns the entity's rows in scope as a frame of strings.
    - ``after``: entities planned and written before this one (default: the entity's
      ``depends_on``); otherwise the order of registration (of ``INSTALLED_APPS``).
    - ``needs_role``: the least role that may create or change the entity's rows (rows
      that come back unchanged need none).
    - ``needs_areas``: its rows refer to areas, so the file is refused with one error when
      the administrative tree is not loaded.
    - ``needs_permission``: a ``Permission`` an import of the file needs.
    - ``models``: the tables the writer fills, analysed after an import.
    - ``label``: what the pages call the file (default: its name).
    - ``masked_order``: the columns to sort the rows by once identifiers are masked (so
      that their order tells nothing of the hidden digits).
    - ``docs``: bullets this entity adds to the sections of docs/data-exchange.md
      (``DOC_SECTIONS``): texts, or functions returning one (for figures read at run time).
    """
    if entity.name in _REGISTRY:
        raise ValueError(f"exchange entity {entity.name!r} is registered twice")
    unknown = set(docs or {}) - set(DOC_SECTIONS)
    if unknown:
        raise ValueError(f"unknown docs sections {sorted(unknown)}; the sections are {DOC_SECTIONS}")
    _REGISTRY[entity.name] = Registration(
        entity=entity,
        plan=plan,
        write=write,
        export=export,
        after=tuple(entity.depends_on if after is None else after),
        needs_role=needs_role,
        needs_areas=needs_areas,
        needs_permission=needs_permission,
        models=tuple(models),
        label=label,
        masked_order=tuple(masked_order) if masked_order is not None else None,
        docs=dict(docs or {}),
    )
    _sort()
    return entity


def unregister(name: str) -> None:
    """Remove an entity (for tests)."""
    _REGISTRY.pop(name, None)
    _sort()


def _sort() -> None:
    """Order the registrations: each after the entities it names in ``after`` (those that
    are registered), otherwise in the order of registration. ``schema.ENTITIES`` follows."""
    pending = list(_REGISTRY.values())
    done: list[Registration] = []
    names: set[str] = set()
    while pending:
        for reg in pending:
            if all(a in names or a not in _REGISTRY for a in reg.after):
                break
        else:
            raise ValueError(f"exchange entities depend on each other in a circle: {[r.name for r in pending]}")
        pending.remove(reg)
        done.append(reg)
        names.add(reg.name)
    _REGISTRY.clear()
    _REGISTRY.update((r.name, r) for r in done)
    ENTITIES.clear()
    ENTITIES.update((r.name, r.entity) for r in done)


def registrations() -> list[Registration]:
    """Every registered entity, in dependency order."""
    return list(_REGISTRY.values())


def get(name: str) -> Registration:
    return _REGISTRY[name]


def entities() -> dict[str, Entity]:
    return dict(ENTITIES)


def planners() -> list[Planner]:
    return _unique(r.plan for r in _REGISTRY.values())


def writers() -> list[Writer]:
    return _unique(r.write for r in _REGISTRY.values())


def _unique(functions: Any) -> list[Any]:
    out: list[Any] = []
    for f in functions:
        if f is not None and f not in out:
            out.append(f)
    return out


def referring(target: str) -> list[tuple[str, str]]:
    """The (entity, column) pairs whose column holds keys of ``target`` (``Column.refers_to``),
    the target's own key column first when it has a single key: every row of the package
    that names one of its keys."""
    out: list[tuple[str, str]] = []
    if target in _REGISTRY and len(_REGISTRY[target].entity.key) == 1:
        out.append((target, _REGISTRY[target].entity.key[0]))
    for reg in _REGISTRY.values():
        out += [(reg.name, c.name) for c in reg.entity.columns if c.refers_to == target]
    return out


def label(name: str) -> str:
    reg = _REGISTRY.get(name)
    return str(reg.label) if reg is not None and reg.label is not None else name


def docs(section: str) -> list[str]:
    """The bullets the registered entities add to a section of the format's documentation."""
    return [str(text() if callable(text) else text) for reg in _REGISTRY.values() for text in reg.docs.get(section, ())]
