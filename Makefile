# Bare-metal commands; see docs/development.md. Docker: docker compose up / --profile test.
.PHONY: test demo lint api-contract

test:  ## install both modules on a fresh database, run their tests, then tests/
	python3 tools/dev/run_tests.py

demo:  ## serve database hy_demo (both modules + demo data) on http://localhost:8069
	tools/dev/run_demo.sh

lint:  ## ruff + the mandatory pylint-odoo checks
	tools/dev/lint.sh

api-contract:  ## schemathesis -c all against a served demo database (tools/dev/check_api_contract.py)
	python3 tools/dev/check_api_contract.py
