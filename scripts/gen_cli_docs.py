#!/usr/bin/env python3
"""Write docs/cli.md from the CLI's own --help texts, so the reference cannot drift from the program.

Run after changing a command: `.venv/bin/python scripts/gen_cli_docs.py`. tests/test_docs.py fails
when docs/cli.md differs from what this prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dossier.cli import main  # noqa: E402


def reference() -> str:
    out = ["# dossier command reference", "",
           "Generated from `dossier --help` and `dossier COMMAND --help` by `scripts/gen_cli_docs.py`;",
           "tests/test_docs.py checks that it matches the program.", ""]
    ctx = click.Context(main, info_name="dossier", terminal_width=100, max_content_width=100, help_option_names=["-h", "--help"])
    out += ["## dossier", "", "```", main.get_help(ctx), "```", ""]
    for name in sorted(main.commands):
        cmd = main.commands[name]
        sub = click.Context(cmd, info_name=name, parent=ctx, terminal_width=100, max_content_width=100, help_option_names=["-h", "--help"])
        out += [f"## dossier {name}", "", "```", cmd.get_help(sub), "```", ""]
        if isinstance(cmd, click.Group):
            for subname in sorted(cmd.commands):
                c2 = cmd.commands[subname]
                ctx2 = click.Context(c2, info_name=subname, parent=sub, terminal_width=100, max_content_width=100, help_option_names=["-h", "--help"])
                out += [f"### dossier {name} {subname}", "", "```", c2.get_help(ctx2), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(reference(), encoding="utf-8")
    print("wrote docs/cli.md")
