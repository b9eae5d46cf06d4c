"""Fixtures of the ops tests (issue #23): see ops_harness.py for what `make test` provides."""

import os

import pytest
from ops_harness import Cluster


@pytest.fixture(scope="session")
def cluster():
    if not os.environ.get("OPS_TEMPLATE_DB"):
        pytest.fail(
            "OPS_TEMPLATE_DB is not set: run the ops tests with `make test` or `make test-ops`"
        )
    return Cluster()


@pytest.fixture(scope="session")
def template_db():
    return os.environ["OPS_TEMPLATE_DB"]
