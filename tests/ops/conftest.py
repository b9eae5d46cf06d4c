"""Fixtures of the ops tests (issue #23): see ops_harness.py for what `make test` provides."""

import os

import pytest
from ops_harness import Cluster, PreviousRelease


@pytest.fixture(scope="session")
def cluster():
    if not os.environ.get("OPS_TEMPLATE_DB"):
        pytest.fail(
            "OPS_TEMPLATE_DB is not set: run the ops tests with `make test` (README, step 4)"
        )
    return Cluster()


@pytest.fixture(scope="session")
def template_db():
    return os.environ["OPS_TEMPLATE_DB"]


@pytest.fixture(scope="session", autouse=True)
def previous_release(request, tmp_path_factory):
    """The database of the previous release for test_ops_upgrade.py, installed in the
    background from the first test on (None when that test is not selected)."""
    if not any(item.module.__name__ == "test_ops_upgrade" for item in request.session.items):
        yield None
        return
    release = PreviousRelease(request.getfixturevalue("cluster"), tmp_path_factory.mktemp("prev"))
    release.start()
    try:
        yield release
    finally:
        release.stop()
