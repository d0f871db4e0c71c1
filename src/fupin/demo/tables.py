"""Column tables of generated demo rows, and their conversion into rows for the bulk path
(``fupin.core.bulk.bulk_insert``). Generic: the domain apps' ``demo.py`` use them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CHUNK = 100_000


@dataclass
class Table:
    """Column arrays of one table. A column listed in ``categories`` holds small integer
    codes into that array of values (like a pandas Categorical), which keeps the 12
    million status events of ``--scale 1`` in a few hundred megabytes."""

    fields: list[str]
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    categories: dict[str, np.ndarray] = field(default_factory=dict)

    def values(self, name: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        column = self.columns[name][start:stop]
        return self.categories[name][column] if name in self.categories else column

    def encode(self, *names: str) -> Table:
        for name in names:
            uniques, codes = np.unique(self.columns[name], return_inverse=True)
            self.categories[name] = uniques
            self.columns[name] = codes.astype(np.int16)
        return self

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


def _python(name: str, values: np.ndarray, money: Collection[str]) -> list[Any]:
    if values.dtype.kind == "M":
        text = np.datetime_as_string(values, unit="D")
        return [None if t == "NaT" else t for t in text.tolist()]
    if name in money:
        whole = (values // 100).astype("U12")
        return np.char.add(np.char.add(whole, "."), np.char.zfill((values % 100).astype("U2"), 2)).tolist()
    if values.dtype.kind == "b":
        return values.astype(np.int8).tolist()
    return values.tolist()


def table_rows(
    table: Table,
    fields: list[str],
    convert: dict[str, Callable[[np.ndarray], np.ndarray]] | None = None,
    *,
    money: Collection[str] = (),
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``fields`` of ``table``, a chunk at a time, as Python values: dates as
    ISO text (NaT: None), booleans as 0/1, and the ``money`` columns (in fen) as yuan text."""
    convert = convert or {}
    total = len(table)
    for start in range(0, total, CHUNK):
        cols = []
        for f in fields:
            values = table.values(f, start, start + CHUNK)
            if f in convert:
                values = convert[f](values)
            cols.append(_python(f, values, money))
        yield from zip(*cols, strict=True)
