#!/usr/bin/env bash
# Lint with the pinned tools of requirements-dev.txt, offline: ruff (lint +
# format check) and the mandatory pylint-odoo checks of .pylintrc-mandatory.
# `pre-commit run --all-files` runs the same hooks from their own repositories.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
python3 -m ruff check . || status=1
python3 -m ruff format --check . || status=1
python3 -m pylint --rcfile=.pylintrc-mandatory addons/*/ || status=1
exit $status
