"""The ``fupin`` console script: every Django management command, under one name.

``fupin migrate``, ``fupin demo --scale 0.05``, ``fupin serve``, ``fupin import``...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "fupin"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
