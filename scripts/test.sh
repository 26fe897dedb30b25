#!/usr/bin/env bash
# Run the whole test suite, then lint (ruff) and type-check the core (mypy).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q "$@"
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
