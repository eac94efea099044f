"""The process runner (generator/runner.py), with small real commands: what a tool prints
reaches the log printable, a tool is stopped when asked or when its time runs out, and every
tool gets the quiet environment. And it is the only module that starts a program."""

from __future__ import annotations

import ast
import json
import sys
import time

import pytest

from generator.runner import QUIET_ENVIRONMENT, ToolError, ToolTimeout, capture, run

from .conftest import REPO

# --- one runner --------------------------------------------------------------------------------

# The functions of `os` that start a program, besides the subprocess module.
_OS_STARTERS = ("system", "popen", "spawn", "exec", "posix_spawn", "fork")


def process_uses(source: str) -> set[tuple[str, int]]:
    """Where a module's source uses the subprocess module, or starts a program through os."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {
                (alias.name, node.lineno) for alias in node.names if alias.name == "subprocess"
            }
        elif isinstance(node, ast.ImportFrom) and node.module == "subprocess":
            found.add(("from subprocess import", node.lineno))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module, name = node.value.id, node.attr
            if module == "subprocess" or (module == "os" and name.startswith(_OS_STARTERS)):
                found.add((f"{module}.{name}", node.lineno))
    return found


def process_uses_by_module() -> dict[str, set[tuple[str, int]]]:
    package = REPO / "generator"
    return {
        path.relative_to(package).as_posix(): process_uses(path.read_text(encoding="utf-8"))
        for path in sorted(package.rglob("*.py"))
    }


def test_only_the_runner_starts_programs() -> None:
    uses = process_uses_by_module()
    assert uses["runner.py"], "the scan no longer sees the runner's own use of subprocess"
    elsewhere = sorted(
        f"generator/{module}:{line}: {what}"
        for module, found in uses.items()
        if module != "runner.py"
        for what, line in found
    )
    assert not elsewhere, "start programs through generator.runner: " + ", ".join(elsewhere)


def test_the_check_sees_each_way_of_starting_a_program() -> None:
    source = """
import subprocess
from subprocess import run
import os
subprocess.run(["git"])
x = subprocess.PIPE
os.system("ls")
os.execvp("ls", ["ls"])
os.posix_spawnp("ls", ["ls"], {})
os.path.join("a", "b")
os.environ.get("HOME")
"""
    assert {what for what, _ in process_uses(source)} == {
        "subprocess",
        "from subprocess import",
        "subprocess.run",
        "subprocess.PIPE",
        "os.system",
        "os.execvp",
        "os.posix_spawnp",
    }


# --- the runner --------------------------------------------------------------------------------


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_tool_output_is_relayed_printable_line_by_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = "import sys; print('INFO fine'); print('title \\x1b]0;owned\\x07 end', file=sys.stderr)"
    assert run(python(code)).returncode == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "INFO fine"
    assert "\x1b" not in "".join(lines) and "\\x1b" in lines[1]


def test_lines_that_would_be_workflow_commands_are_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = "print('::add-mask::secret'); print('  ::warning file=x::forged'); print('ok :: fine')"
    run(python(code))
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["\\::add-mask::secret", "\\  ::warning file=x::forged", "ok :: fine"]


def test_a_non_zero_exit_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    done = run(python("import sys; print('broken'); sys.exit(3)"))
    assert (done.returncode, done.stopped) == (3, False)
    assert capsys.readouterr().err == "broken\n"


def test_errors_only_keeps_stderr_and_drops_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    done = run(python("import sys; print('out'); sys.exit('bad input')"), output="errors")
    assert done.returncode == 1
    assert done.errors.strip() == b"bad input"
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("output", ["relay", "errors"])
def test_should_stop_stops_a_sleeping_tool_within_a_second(output: str) -> None:
    start = time.monotonic()
    said_stop: list[float] = []

    def should_stop() -> bool:
        if time.monotonic() - start > 0.3:
            said_stop.append(time.monotonic())
        return bool(said_stop)

    sleeper = python("import time; time.sleep(60)")
    done = run(sleeper, output="relay" if output == "relay" else "errors", should_stop=should_stop)
    assert done.stopped and done.returncode != 0
    assert time.monotonic() - said_stop[0] < 1.0


def test_a_stop_that_is_never_asked_for_lets_the_tool_finish() -> None:
    done = run(python("import time; time.sleep(0.5)"), should_stop=lambda: False)
    assert (done.returncode, done.stopped) == (0, False)


def test_a_tool_over_its_time_is_stopped() -> None:
    start = time.monotonic()
    with pytest.raises(ToolTimeout, match=r"did not finish in 0\.5 s"):
        run(python("import time; time.sleep(60)"), timeout=0.5)
    assert time.monotonic() - start < 5


def test_the_tool_gets_the_quiet_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in QUIET_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FACTSHEET_TEST_INHERITED", "kept")
    names = [*QUIET_ENVIRONMENT, "FACTSHEET_TEST_INHERITED"]
    show = python(
        f"import json, os; print(json.dumps({{k: os.environ.get(k) for k in {names!r}}}))"
    )
    expected = {**QUIET_ENVIRONMENT, "FACTSHEET_TEST_INHERITED": "kept"}
    run(show)
    assert json.loads(capsys.readouterr().err) == expected
    assert json.loads(capture(show, timeout=30)) == expected


def test_capture_returns_stdout_and_passes_stdin() -> None:
    code = "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read()[::-1])"
    assert capture(python(code), input=b"abc\0", timeout=30) == b"\0cba"


def test_capture_reports_a_failure_clearly() -> None:
    code = "import sys; sys.stderr.write('fatal: bad revision \\x1b[31mx\\n'); sys.exit(128)"
    with pytest.raises(ToolError) as caught:
        capture(python(code), timeout=30)
    message = str(caught.value)
    assert message.startswith("python") and "exit status 128" in message
    assert "fatal: bad revision" in caught.value.detail and "\x1b" not in message


def test_capture_reports_a_missing_program() -> None:
    with pytest.raises(ToolError, match="could not run no-such-tool-here"):
        capture(["no-such-tool-here"], timeout=30)


def test_capture_stops_a_command_over_its_time() -> None:
    with pytest.raises(ToolTimeout):
        capture(python("import time; time.sleep(60)"), timeout=0.5)
