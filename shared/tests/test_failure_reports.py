"""A test that fails on a running stack reports what the stack's processes warned of."""

import json

pytest_plugins = ["pytester"]

SUITE = """
import json
from pathlib import Path

import pytest

from crm_shared.devstack.run import Ports, Stack


@pytest.fixture
def stack(tmp_path):
    running = Stack(Path.cwd(), tmp_path, Ports.free())
    running.logs.mkdir(parents=True)
    lines = [{"level": "INFO", "message": "started"}, {"level": "WARNING", "message": "consumer lagging"}]
    (running.logs / "sales.log").write_text("\\n".join(json.dumps(line) for line in lines))
    return running


def test_passes(stack):
    pass


def test_fails(stack):
    assert False
"""


def test_a_failed_test_on_a_stack_reports_its_processes_warnings_and_a_passed_one_does_not(pytester):
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_inprocess(
        "-p", "crm_shared.testing.plugin", "-o", "asyncio_default_fixture_loop_scope=function", "-rA"
    )
    result.assert_outcomes(passed=1, failed=1)
    warned = json.dumps({"level": "WARNING", "message": "consumer lagging"})
    assert result.stdout.lines.count(warned) == 1
    assert "sales.log: its last warnings and errors" in result.stdout.str()
    assert "started" not in result.stdout.str()
