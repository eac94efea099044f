"""The one place the generator starts other programs: MkDocs, Pagefind, lychee and git.

Every program started here

* gets the quiet environment (`QUIET_ENVIRONMENT`), so CI logs show real warnings only;
* is stopped, on Linux, if factsheet itself dies (PR_SET_PDEATHSIG), so no build or index is
  left running orphaned, writing into a folder the next run is about to clean;
* is stopped (SIGTERM, then SIGKILL if it lingers) when factsheet is interrupted, when
  `should_stop` asks for it, or when its time runs out.

`run` is for the tools of a build: their output is relayed line by line through `printable`,
or only their errors kept. `capture` is for git: it returns what the command printed, or raises
`ToolError` saying what went wrong. `running` starts the preview server beside factsheet.

No other module of the generator uses `subprocess` (tests/test_runner.py checks it).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from .escape import printable

# MkDocs 1.6 and Material print a notice about their future at every build; the project's plan
# for it is in the README, and the notice would bury real warnings in CI logs.
QUIET_ENVIRONMENT = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

# How long a tool has to stop after SIGTERM before it is killed.
_GRACE_SECONDS = 10.0
# How often should_stop is asked while a tool runs: the preview's asks walk facts/ and seeds/.
_POLL_SECONDS = 0.5


class ToolError(Exception):
    """A program could not be started, failed or ran out of time. The message names the
    program and says which; `detail` is the end of what it wrote to stderr, made printable."""

    def __init__(self, command: Sequence[str], message: str, detail: str = "") -> None:
        super().__init__(message)
        self.command = list(command)
        self.detail = detail


class ToolTimeout(ToolError):
    """A program did not finish in the time it was given (it has been stopped)."""


@dataclass(frozen=True)
class Finished:
    """How a program run by `run` ended."""

    returncode: int
    stopped: bool = False  # should_stop asked for it, and it was stopped
    errors: bytes = b""  # what it wrote to stderr, with output="errors"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to stop the child if factsheet itself is killed, so no tool is left orphaned."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _environment() -> dict[str, str]:
    return {**os.environ, **QUIET_ENVIRONMENT}


def _preexec() -> Callable[[], None] | None:
    """On Linux, each child asks to die with its parent as it starts."""
    return _die_with_parent if sys.platform.startswith("linux") else None


def _name(command: Sequence[str]) -> str:
    return printable(Path(command[0]).name) if command else "the command"


def relay(stream: IO[bytes] | None) -> None:
    """Pass a tool's output on to stderr line by line, made printable: file names and text
    from a pull request may reach it, and must not act on the terminal or the CI log (a line
    starting with '::' would be a GitHub Actions workflow command)."""
    if stream is None:
        return
    for raw in stream:
        line = printable(raw.decode("utf-8", "replace").rstrip("\r\n"))
        if line.lstrip().startswith("::"):
            line = "\\" + line
        print(line, file=sys.stderr, flush=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if the program has not ended after the grace period."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait(
    process: subprocess.Popen[bytes],
    command: Sequence[str],
    should_stop: Callable[[], bool] | None,
    timeout: float | None,
) -> bool:
    """Wait for the program to end; True if should_stop asked for it to be stopped. Raises
    ToolTimeout (having stopped it) when its time runs out."""
    if should_stop is None and timeout is None:
        process.wait()
        return False
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        step = (
            _POLL_SECONDS if deadline is None else min(_POLL_SECONDS, deadline - time.monotonic())
        )
        try:
            process.wait(timeout=max(step, 0))
            return False
        except subprocess.TimeoutExpired:
            pass
        if should_stop is not None and should_stop():
            _stop(process)
            return True
        if deadline is not None and time.monotonic() >= deadline:
            _stop(process)
            raise ToolTimeout(command, f"{_name(command)} did not finish in {timeout:g} s")


def run(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    output: Literal["relay", "errors"] = "relay",
    should_stop: Callable[[], bool] | None = None,
    timeout: float | None = None,
) -> Finished:
    """Run a tool to its end and say how it ended; a non-zero exit is returned, not raised.

    output="relay": its stdout and stderr are passed on to stderr through `relay`.
    output="errors": its stdout is discarded and its stderr returned in `Finished.errors`.

    should_stop, asked every fraction of a second while the tool runs, stops it when it says
    so (`Finished.stopped`). A tool still running after `timeout` seconds is stopped and
    ToolTimeout raised. If factsheet is interrupted while the tool runs, the tool is stopped
    and the KeyboardInterrupt passed on. A program that cannot be started raises OSError, as
    `subprocess` does (the command line reports it as it reports any OSError).
    """
    with contextlib.ExitStack() as stack:
        errors: IO[bytes] | None = None
        if output == "errors":
            errors = stack.enter_context(tempfile.TemporaryFile())
            streams: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": errors}
        else:
            streams = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
        process = subprocess.Popen(
            command, cwd=cwd, env=_environment(), preexec_fn=_preexec(), **streams
        )
        # The relay runs beside the wait, so that should_stop and the timeout are heard while
        # the tool is quiet. It starts after the fork: no thread of ours runs during one.
        relayer = None
        if process.stdout is not None:
            relayer = threading.Thread(target=relay, args=(process.stdout,), daemon=True)
            relayer.start()
        try:
            stopped = _wait(process, command, should_stop, timeout)
        except BaseException:
            _stop(process)
            if relayer is not None:
                relayer.join(timeout=_GRACE_SECONDS)
            raise
        if relayer is not None:
            # A program it started may hold the pipe open after it ended; once stopped, its
            # output is not waited for.
            relayer.join(timeout=_GRACE_SECONDS if stopped else None)
            if not relayer.is_alive() and process.stdout is not None:
                process.stdout.close()
        collected = b""
        if errors is not None:
            errors.seek(0)
            collected = errors.read()
        return Finished(process.returncode, stopped, collected)


def capture(command: Sequence[str], *, timeout: float, input: bytes | None = None) -> bytes:
    """Run a command (git) with `input` on its stdin and return what it printed on stdout.

    Raises ToolError, its message naming the program and saying what went wrong (with the end
    of its stderr), if it cannot be started or exits with an error; ToolTimeout if it is still
    running after `timeout` seconds (it is killed).
    """
    name = _name(command)
    try:
        done = subprocess.run(
            command,
            input=input,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=_environment(),
            preexec_fn=_preexec(),
        )
    except subprocess.TimeoutExpired:
        raise ToolTimeout(command, f"{name} did not finish in {timeout:g} s") from None
    except OSError as error:
        reason = printable(error.strerror or str(error))
        raise ToolError(command, f"could not run {name}: {reason}", reason) from None
    if done.returncode != 0:
        detail = printable(done.stderr.decode("utf-8", "replace")[-2000:].strip())
        message = f"{name} failed with exit status {done.returncode}"
        raise ToolError(command, f"{message}: {detail}" if detail else message, detail)
    return done.stdout


@contextlib.contextmanager
def running(
    command: Sequence[str], *, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a program that runs beside factsheet (the preview server), its output going
    straight to the terminal; it is stopped when the block is left, unless it ended first."""
    process = subprocess.Popen(command, cwd=cwd, env=_environment(), preexec_fn=_preexec())
    try:
        yield process
    finally:
        _stop(process)
