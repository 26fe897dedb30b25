"""The documentation matches the program: the CLI reference is what --help prints; every command is documented."""

import importlib.util
from pathlib import Path

from dossier.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_matches_help():
    expected = _generator().reference()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run .venv/bin/python scripts/gen_cli_docs.py"


def test_every_command_has_help_with_an_example_and_is_in_the_readme_or_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, cmd in main.commands.items():
        assert cmd.help and cmd.help.strip(), name
        if name != "register":
            assert "Example" in cmd.help, f"dossier {name} --help has no example"
        assert f"dossier {name}" in readme or name in ("register", "demo"), f"README does not show dossier {name}"


def test_project_format_documents_every_front_matter_key():
    from dossier.project import _DOC_KEYS

    doc = (ROOT / "docs" / "project-format.md").read_text(encoding="utf-8")
    missing = [k for k in _DOC_KEYS if f"`{k}`" not in doc and f"{k}:" not in doc]
    assert not missing, f"docs/project-format.md does not describe {missing}"
