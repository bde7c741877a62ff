"""The `mutualis` command.

- `mutualis allocate ...` works on files alone (tariff, members, usage), with no database.
- Every other sub-command is a Django management command of the project, e.g.
  `mutualis territory load --departement 33`, `mutualis demo load`.
"""

import os
import sys


def _commands() -> set[str]:
    """The project's management commands (`mutualis iot ingest` is `iot_ingest`)."""
    import django
    from django.core.management import get_commands

    django.setup()
    return set(get_commands())


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "allocate":
        from mutualis.engine.cli import main as allocate_main

        return allocate_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.config.settings.dev")
    from django.core.management import execute_from_command_line

    if len(args) >= 2 and f"{args[0]}_{args[1]}" in _commands():
        # `mutualis territory load` → management command `territory_load`.
        args = [f"{args[0]}_{args[1]}", *args[2:]]
    execute_from_command_line(["mutualis", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
