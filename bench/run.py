"""Benchmark the generator on synthetic corpora, beside MkDocs, Zensical and check-jsonschema.

    python -m bench.run [--sizes 10,100,1000]      (make bench)

Each step runs in a fresh process so that its peak memory is its own. The machine may be shared
and noisy, so compare ratios within one run rather than times across runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.make_corpus import make_corpus

BIN = Path(sys.executable).parent


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def step(name: str, root: Path) -> dict[str, Any]:
    """Run one step in this process and report its time, peak memory and what it wrote."""
    from generator.build import generate, input_digest
    from generator.project import Project
    from generator.render import render_pages, write_pages
    from generator.validate import validate_project

    project = Project(root)
    result: dict[str, Any] = {}
    if name == "validate":
        start = time.perf_counter()
        corpus = validate_project(project)
        result["seconds"] = time.perf_counter() - start
        result["facts"] = sum(
            len(a.figures) + len(a.quotes) + len(a.mentions) + len(a.questions) + len(a.events)
            for a in corpus.articles
        )
    elif name == "render":
        corpus = validate_project(project)
        start = time.perf_counter()
        pages = render_pages(corpus, project.site_config)
        report = write_pages(project, pages, input_digest(project))
        result["seconds"] = time.perf_counter() - start
        result["written"] = len(report.written)
    elif name in ("noop", "edit"):
        if name == "edit":
            quotes = next(iter(sorted(project.facts_dir.glob("*/quotes.yaml"))))
            text = quotes.read_text(encoding="utf-8")
            quotes.write_text(text.replace("context: On the", "context: Edited, on the", 1))
        start = time.perf_counter()
        report = generate(project)
        result["seconds"] = time.perf_counter() - start
        result["written"] = report.written
    elif name == "search":
        result["seconds"] = first_search_result(root / "site", "must continue")
    elif name in ("mkdocs", "zensical", "check-jsonschema"):
        commands = _external(name, root)
        start = time.perf_counter()
        for command in commands:
            done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        result["seconds"] = time.perf_counter() - start
        result["peak_mib"] = _peak_mib(resource.RUSAGE_CHILDREN)
        return result
    result["peak_mib"] = _peak_mib(resource.RUSAGE_SELF)
    return result


def first_search_result(site: Path, query: str) -> float:
    """Seconds from typing a query into Material's search box on a freshly loaded home page to
    the first result, in headless Chromium (the browser tests' setup), index download included."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = os.environ.get("FACTSHEET_CHROMIUM", "/usr/bin/chromium")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            start = time.perf_counter()
            page.locator("input.md-search__input").focus()
            page.keyboard.type(query)
            page.locator("a.md-search-result__link").first.wait_for(timeout=120_000)
            seconds = time.perf_counter() - start
            browser.close()
    finally:
        server.shutdown()
    return seconds


def _external(name: str, root: Path) -> list[list[str]]:
    if name == "mkdocs":
        return [
            [str(BIN / "python"), "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")]
        ]
    if name == "zensical":
        config = root / "zensical.yml"
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        config.write_text(text.replace("site_dir: site", "site_dir: zensical-site"))
        return [[str(BIN / "zensical"), "build", "--strict", "--config-file", str(config)]]
    from generator.model import ARTICLE_KINDS, REGISTRY

    commands = [
        [
            str(BIN / "check-jsonschema"),
            "--schemafile",
            str(root / "schema" / f"{REGISTRY.schema}.schema.json"),
            str(root / "facts" / REGISTRY.file),
        ]
    ]
    for file, kind in ARTICLE_KINDS.items():
        files = sorted(str(p) for p in (root / "facts").glob(f"*/{file}"))
        schema = str(root / "schema" / f"{kind.schema}.schema.json")
        commands.append([str(BIN / "check-jsonschema"), "--schemafile", schema, *files])
    return commands


def _run_step(name: str, root: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--step", name, str(root)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(count: int, work: Path) -> dict[str, Any]:
    root = make_corpus(count, work / f"corpus-{count}")
    row: dict[str, Any] = {"articles": count}
    steps = (
        "validate",
        "render",
        "noop",
        "edit",
        "mkdocs",
        "search",
        "zensical",
        "check-jsonschema",
    )
    for name in steps:
        row[name] = _run_step(name, root)
        print(f"  {count:>5} articles: {name:<16} {row[name]['seconds']:8.2f} s", file=sys.stderr)
    index = root / "site" / "search" / "search_index.json"
    raw = index.read_bytes()
    row["site_mib"] = _size(root / "site") / 2**20
    row["index_kib"] = len(raw) / 1024
    row["index_gz_kib"] = len(gzip.compress(raw)) / 1024
    zindex = root / "zensical-site" / "search.json"
    row["zindex_gz_kib"] = len(gzip.compress(zindex.read_bytes())) / 1024 if zindex.exists() else 0
    row["facts"] = row["validate"]["facts"]
    shutil.rmtree(root)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    def line(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    out = [line("", [f"{r['articles']:,} articles" for r in rows])]
    out.append("|---|" + "---:|" * len(rows))
    out.append(line("facts", [f"{r['facts']:,}" for r in rows]))
    for name, label in (
        ("validate", "load + validate"),
        ("render", "render + write"),
        ("noop", "no-op regeneration"),
        ("edit", "one-file edit, regeneration"),
        ("mkdocs", "MkDocs build"),
        ("zensical", "Zensical build"),
        ("check-jsonschema", "check-jsonschema, same files"),
    ):
        out.append(line(f"{label}: time", [f"{r[name]['seconds']:.2f} s" for r in rows]))
        out.append(line(f"{label}: peak memory", [f"{r[name]['peak_mib']:.0f} MiB" for r in rows]))
        if name == "mkdocs":
            out.append(
                line(
                    "first search result in Chromium",
                    [f"{r['search']['seconds']:.2f} s" for r in rows],
                )
            )
    out.append(line("files written by render", [str(r["render"]["written"]) for r in rows]))
    out.append(line("files written by no-op", [str(len(r["noop"]["written"])) for r in rows]))
    out.append(
        line("files written by one-file edit", [", ".join(r["edit"]["written"]) for r in rows])
    )
    out.append(
        line(
            "check-jsonschema / our validator",
            [f"{r['check-jsonschema']['seconds'] / r['validate']['seconds']:.1f}x" for r in rows],
        )
    )
    out.append(
        line(
            "generation / MkDocs build",
            [
                f"{(r['validate']['seconds'] + r['render']['seconds']) / r['mkdocs']['seconds']:.0%}"
                for r in rows
            ],
        )
    )
    out.append(line("site size", [f"{r['site_mib']:.1f} MiB" for r in rows]))
    out.append(line("search index (MkDocs)", [f"{r['index_kib']:,.0f} KiB" for r in rows]))
    out.append(line("search index gzipped", [f"{r['index_gz_kib']:,.0f} KiB" for r in rows]))
    out.append(
        line(
            "gzipped index per article",
            [f"{r['index_gz_kib'] / r['articles']:.1f} KiB" for r in rows],
        )
    )
    out.append(line("Zensical index gzipped", [f"{r['zindex_gz_kib']:,.0f} KiB" for r in rows]))
    by_size = {r["articles"]: r for r in rows}
    if 100 in by_size and 1000 in by_size:
        small, large = by_size[100], by_size[1000]
        out.append("")
        out.append("Growth from 100 to 1,000 articles (linear would be 10x):")
        out.append("")
        for name in ("validate", "render", "mkdocs", "zensical"):
            out.append(
                f"- {name}: time {large[name]['seconds'] / small[name]['seconds']:.1f}x, "
                f"peak memory {large[name]['peak_mib'] / small[name]['peak_mib']:.1f}x"
            )
    return "\n".join(out)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB memory, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated article counts")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("root", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.root)))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as work:
        rows = [measure(size, Path(work)) for size in sizes]
    print(f"Machine: {machine()}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
