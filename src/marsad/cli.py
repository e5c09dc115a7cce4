"""The ``marsad`` command: thin argument parsing over the layers below.

Each layer that brings commands has a ``register(subparsers)`` function listed in
``COMMAND_MODULES``; it adds its sub-parsers and sets ``func`` on them. Commands
that share a verb (``marsad build kb``, ``marsad build lexicon``) add themselves
to ``group(sub, "build", ...)`` instead of creating the verb twice.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any, Iterator

COMMAND_MODULES = [
    "marsad.commands.analyze",
    "marsad.commands.store",
    "marsad.commands.corpus",
    "marsad.commands.ner",
    "marsad.commands.lexicon",
    "marsad.commands.kb",
    "marsad.commands.events",
    "marsad.commands.web",
]


def write_jsonl(objects: Iterator[dict[str, Any]], out=None) -> None:
    out = out or sys.stdout
    for obj in objects:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


_GROUPS: dict[str, Any] = {}


def group(sub, name: str, help: str):
    """Sub-parsers of a shared command group (``build``, ``train``, ``eval``) that several modules extend."""
    if name not in _GROUPS:
        parser = sub.add_parser(name, help=help)
        _GROUPS[name] = parser.add_subparsers(dest=f"{name}_target", required=True)
    return _GROUPS[name]


def build_parser() -> argparse.ArgumentParser:
    _GROUPS.clear()
    parser = argparse.ArgumentParser(prog="marsad", description="Reading Arabic news at scale.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, ValueError) as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
