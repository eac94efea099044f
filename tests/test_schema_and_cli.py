"""The exported JSON Schemas, the command line, and live preview."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml

import generator
from generator.model import json_schemas
from generator.project import Project

from .conftest import FIRST, NEWSROOM, REPO, replace_in, run_factsheet


def test_committed_json_schemas_match_the_model() -> None:
    for name, text in json_schemas().items():
        committed = REPO / "schema" / name
        assert committed.read_text(encoding="utf-8") == text, f"run 'factsheet schema' ({name})"
    assert run_factsheet(REPO, "schema", "--check").returncode == 0


def test_schema_check_reports_drift(project: Project) -> None:
    shutil.rmtree(project.schema_dir)
    project.schema_dir.mkdir()
    result = run_factsheet(project.root, "schema", "--check")
    assert result.returncode == 1
    assert "quotes.schema.json is out of date" in result.stderr
    assert run_factsheet(project.root, "schema").returncode == 0
    assert run_factsheet(project.root, "schema", "--check").returncode == 0


@pytest.mark.parametrize("facts", [REPO / "facts", NEWSROOM / "facts"], ids=["live", "fixture"])
def test_every_fact_file_points_editors_at_its_schema(facts: Path) -> None:
    for path in facts.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        if facts.is_relative_to(NEWSROOM):  # the fixture is two levels deeper than facts/
            target = REPO / "schema" / target.name
        assert target.is_file(), path
        schema = json.loads(target.read_text(encoding="utf-8"))
        assert schema["$schema"].startswith("https://json-schema.org/")


def _pyproject_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def test_the_version_is_the_one_in_pyproject() -> None:
    expected = _pyproject_version()
    assert generator.__version__ == expected, "pyproject.toml changed: run make to reinstall"
    result = run_factsheet(REPO, "--version")
    assert (result.returncode, result.stdout) == (0, f"factsheet {expected}\n"), result.stderr


def test_the_version_comes_from_pyproject_in_a_checkout_never_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(generator, "version", not_installed)
    assert generator._version() == _pyproject_version()


def test_generate_reports_what_it_wrote_and_is_idempotent(project: Project) -> None:
    first = run_factsheet(project.root, "generate")
    assert first.returncode == 0, first.stderr
    assert "0 unchanged" in first.stdout
    second = run_factsheet(project.root, "generate")
    assert "0 page(s) written, 0 removed" in second.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.slow
def test_serve_shows_an_edit_to_a_fact_file_without_restarting(
    project: Project, first_dir: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/sheets/{FIRST}/"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "--root",
            str(project.root),
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def page() -> str:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))

    try:
        assert _wait_for(lambda: "study the request carefully" in page(), 60), "no server"
        replace_in(
            first_dir / "quotes.yaml",
            "context: On closing the bridge.",
            "context: Edited while the preview was running.",
        )
        assert _wait_for(lambda: "Edited while the preview was running" in page(), 60)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_pre_commit_hooks_call_commands_that_exist() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in hooks} >= {"factsheet-validate", "factsheet-fmt", "ruff"}
    for hook in hooks:
        command = hook["entry"].split()[0]
        assert (REPO / command).is_file(), command


@pytest.mark.parametrize(
    "target",
    [
        "site",
        "serve",
        "test",
        "test-fast",
        "lint",
        "validate",
        "bench",
        "lighthouse",
        "lock",
        "clean",
    ],
)
def test_every_make_target_the_docs_name_exists(target: str) -> None:
    result = subprocess.run(
        ["make", "-n", target], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    docs = (REPO / "README.md").read_text() + (REPO / "CONTRIBUTING.md").read_text()
    assert f"make {target}" in docs or target in ("lint", "clean")
