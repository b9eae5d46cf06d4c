# The CRM suite's two commands (see README.md): `make run` and `make test`.
PYTHON ?= python3

.PHONY: run test test-bridges lint i18n screenshots odoo clean

run:
	$(PYTHON) scripts/suite.py run

test:
	$(PYTHON) scripts/suite.py test

test-bridges:
	$(PYTHON) scripts/suite.py test-bridges

lint:
	$(PYTHON) scripts/suite.py lint

i18n:
	$(PYTHON) scripts/suite.py i18n

screenshots:
	$(PYTHON) scripts/suite.py screenshots

odoo:
	@$(PYTHON) scripts/suite.py odoo

clean:
	rm -rf .local
