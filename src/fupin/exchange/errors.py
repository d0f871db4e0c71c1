from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fupin.core.errors import InvalidInput


@dataclass(frozen=True, order=True)
class RowError:
    """One problem in the package, located as ``file:line:column: reason``."""

    file: str
    line: int  # 1 is the header; 0 means the file as a whole
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.reason}"


class PackageInvalid(InvalidInput):
    """The package has errors; nothing was written. ``errors`` lists every one."""

    code = "package_invalid"

    def __init__(self, errors: list[RowError], **kw: Any) -> None:
        self.errors = sorted(errors)
        first = str(self.errors[0]) if self.errors else ""
        super().__init__(f"{len(self.errors)} error(s) in the package; the first: {first}", **kw)
