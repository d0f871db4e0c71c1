"""One description of a model's columns (issue 10, item 5): field lists derived from the
model, so that a field is named where it is defined and where it is used, not in lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import models

# the bookkeeping columns of fupin.core.models.TimeStampedModel
TIMESTAMPS = ("created_at", "updated_at")


def field_names(
    model: type[models.Model],
    *,
    exclude: Iterable[str] = (),
    after: Mapping[str, Sequence[str]] | None = None,
    append: Sequence[str] = (),
) -> list[str]:
    """The names of the model's concrete fields, in the order the model declares them, less
    ``exclude``; ``after`` puts declared extra names (a serializer's computed fields, a
    many-to-many field) right after a field, ``append`` at the end."""
    excluded = set(exclude)
    after = after or {}
    names = [f.name for f in model._meta.concrete_fields]
    unknown = (excluded | set(after)) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    out: list[str] = []
    for name in names:
        if name not in excluded:
            out.append(name)
        out.extend(after.get(name, ()))
    out.extend(append)
    return out
