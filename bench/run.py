"""Benchmark the generator on synthetic corpora, beside MkDocs, Zensical, Pagefind and
check-jsonschema, and a reader's search in Chromium.

    python -m bench.run [--sizes 10,100,1000] [--site-max 1000]      (make bench)

The generator's own steps (validate, render, index, preview) run at every size; the steps
that build or read a whole site (MkDocs, Zensical, search in Chromium, `factsheet serve`,
check-jsonschema) only up to --site-max articles, so that 10,000 articles can be measured
for the generator alone (`make bench SIZES=10000`).

Each step runs in a fresh process so that its peak memory is its own; a step that runs a
program (Pagefind, MkDocs) reports that program's peak. The machine may be shared and noisy,
so compare ratios within one run rather than times across runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.make_corpus import make_corpus
from bench.pages import serve

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
GENERATOR_STEPS = ("validate", "validate-warm", "render", "noop", "edit", "preview", "index")
SITE_STEPS = ("mkdocs", "search", "serve", "zensical", "check-jsonschema")
# A word of the synthetic corpus's small vocabulary: nearly every search record holds it, the
# worst case for ranking.
COMMON_WORD = "convoy"


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _edit_one_file(project: Any) -> Path:
    quotes = sorted(project.facts_dir.glob("*/quotes.yaml"))[0]
    text = quotes.read_text(encoding="utf-8")
    quotes.write_text(text.replace("context: On the", "context: Edited, on the", 1), "utf-8")
    return quotes


def step(name: str, root: Path) -> dict[str, Any]:
    """Run one step in this process and report its time, peak memory and what it wrote."""
    from generator.build import Preview, generate
    from generator.index import index_search
    from generator.project import Project
    from generator.render import SiteRender
    from generator.validate import validate_project
    from generator.write import write_pages

    project = Project(root)
    result: dict[str, Any] = {}
    start = time.perf_counter()
    if name == "validate":  # cold: no cache
        corpus = validate_project(project, use_cache=False)
        result["seconds"] = time.perf_counter() - start
        result["facts"] = sum(facts.fact_count for facts in corpus.articles)
    elif name == "validate-warm":  # the cache filled, then one file edited
        time.sleep(2.1)  # files younger than 2 s are never trusted by their signature
        validate_project(project)
        _edit_one_file(project)
        start = time.perf_counter()
        validate_project(project)
        result["seconds"] = time.perf_counter() - start
    elif name == "render":
        corpus = validate_project(project)
        start = time.perf_counter()
        pages = SiteRender(corpus, project.site_config).all_pages()
        report = write_pages(project, pages, "bench")
        result["seconds"] = time.perf_counter() - start
        result["written"] = len(report.written)
    elif name in ("noop", "edit"):
        generate(project, index=False)  # from the render step's pages: a full generation
        if name == "edit":
            _edit_one_file(project)
        start = time.perf_counter()
        report = generate(project, index=False)
        result["seconds"] = time.perf_counter() - start
        result["written"] = report.written
    elif name == "preview":  # factsheet serve's regeneration, without MkDocs
        preview = Preview(project)
        preview.update()
        _edit_one_file(project)
        start = time.perf_counter()
        report = preview.update()
        result["seconds"] = time.perf_counter() - start
        result["written"] = report.written
        start = time.perf_counter()
        preview.follow_up()
        result["follow_up_seconds"] = time.perf_counter() - start
    elif name == "index":
        shutil.rmtree(project.generated_dir / "pagefind", ignore_errors=True)
        indexed = index_search(project)
        assert indexed is not None
        result["seconds"] = time.perf_counter() - start
        result["records"] = indexed.records
        bundle = project.generated_dir / "pagefind"
        result["bundle_files"] = sum(1 for path in bundle.rglob("*") if path.is_file())
        result["bundle_mib"] = _size(bundle) / 2**20
        result["peak_mib"] = _peak_mib(resource.RUSAGE_CHILDREN)
        return result
    elif name == "search":
        for kind, query in _queries(project).items():
            found = search_in_chromium(root / "site", query)
            result[kind] = found
        result["seconds"] = max(found["seconds"] for found in result.values())
        result["peak_mib"] = 0.0
        return result
    elif name == "serve":
        result["seconds"] = edit_to_browser(root)
        result["peak_mib"] = 0.0
        return result
    elif name in ("mkdocs", "zensical", "check-jsonschema"):
        for command in _external(name, root):
            done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        result["seconds"] = time.perf_counter() - start
        result["peak_mib"] = _peak_mib(resource.RUSAGE_CHILDREN)
        if name == "zensical":
            bundle = root / "zensical-site" / "sheets" / "pagefind" / "pagefind.js"
            result["search_bundle"] = bundle.is_file()
        return result
    result["peak_mib"] = _peak_mib(resource.RUSAGE_SELF)
    return result


def _queries(project: Any) -> dict[str, str]:
    """What readers type: an actor's name, a number as the text writes it, a common word."""
    from generator.validate import validate_project

    facts = validate_project(project).articles[-1]
    actor = facts.mentions[0].actor
    number = next(f.written for f in facts.figures if f.written.startswith("at least "))
    return {
        "name": validate_project(project).actors[actor].name,
        "number": number.removeprefix("at least "),
        "word": COMMON_WORD,
    }


def search_in_chromium(site: Path, query: str) -> dict[str, Any]:
    """A reader's first search, in headless Chromium on a freshly loaded article page served
    as GitHub Pages serves it: seconds from typing to the first result, bytes fetched for
    search before the reader opens it, and bytes fetched for the first query (compressed,
    as sent)."""
    from playwright.sync_api import Request, sync_playwright

    sheets = sorted(p.parent.name for p in (site / "sheets").glob("2*/index.html"))
    chromium = os.environ.get("FACTSHEET_CHROMIUM", "/usr/bin/chromium")
    fetched: list[tuple[str, int]] = []

    def finished(request: Request) -> None:
        sizes = request.sizes()
        fetched.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("requestfinished", finished)
        page.goto(f"{base}sheets/{sheets[0]}/", wait_until="load")
        page.wait_for_timeout(500)
        before_open = sum(size for url, size in fetched if "pagefind" in url)
        loaded = len(fetched)
        start = time.perf_counter()
        page.keyboard.press("/")
        page.locator("#fs-search-input").fill(query)
        page.locator(".fs-results a").first.wait_for(timeout=120_000)
        seconds = time.perf_counter() - start
        page.wait_for_timeout(500)
        browser.close()
    return {
        "query": query,
        "seconds": seconds,
        "before_open_bytes": before_open,
        "query_bytes": sum(size for _, size in fetched[loaded:]),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def edit_to_browser(root: Path) -> float:
    """`factsheet serve` on the corpus: seconds from saving one edited fact file to the page
    MkDocs serves showing the edit."""
    from generator.project import Project

    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "factsheet"), "--root", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        quotes = sorted(Project(root).facts_dir.glob("*/quotes.yaml"))[0]
        url = f"http://127.0.0.1:{port}/sheets/{quotes.parent.name}/"
        deadline = time.monotonic() + 3600
        while not _page_text(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("factsheet serve did not come up")
            time.sleep(1)
        time.sleep(2)  # MkDocs starts watching once its first build is served
        text = quotes.read_text(encoding="utf-8")
        quotes.write_text(text.replace("context: On the", "context: Previewed, on the", 1))
        saved = time.monotonic()
        while "Previewed, on the" not in _page_text(url):
            if time.monotonic() - saved > 600:
                raise SystemExit("the edit never reached the preview")
            time.sleep(0.2)
        return time.monotonic() - saved
    finally:
        server.terminate()
        server.wait(timeout=60)


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


def _run_step(name: str, root: Path, cache: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--step", name, str(root)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "FACTSHEET_CACHE_DIR": str(cache)},
    )
    if done.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(count: int, work: Path, site: bool) -> dict[str, Any]:
    root = make_corpus(count, work / f"corpus-{count}")
    cache = work / f"cache-{count}"
    row: dict[str, Any] = {"articles": count}
    for name in GENERATOR_STEPS + (SITE_STEPS if site else ()):
        row[name] = _run_step(name, root, cache)
        print(f"  {count:>6} articles: {name:<16} {row[name]['seconds']:8.2f} s", file=sys.stderr)
    row["facts"] = row["validate"]["facts"]
    if site:
        row["site_mib"] = _size(root / "site") / 2**20
    shutil.rmtree(root)
    shutil.rmtree(cache, ignore_errors=True)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    def line(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    def cell(row: dict[str, Any], name: str, value: Any) -> str:
        return value(row[name]) if name in row else "-"

    out = [line("", [f"{r['articles']:,} articles" for r in rows])]
    out.append("|---|" + "---:|" * len(rows))
    out.append(line("facts", [f"{r['facts']:,}" for r in rows]))
    timed = (
        ("validate", "validate, cold (no cache)"),
        ("validate-warm", "validate, warm, one file edited"),
        ("render", "render + write"),
        ("noop", "no-op regeneration"),
        ("edit", "one-file edit, full regeneration"),
        ("preview", "preview: one-file edit to pages written"),
        ("index", "Pagefind indexing"),
        ("mkdocs", "MkDocs build"),
        ("zensical", "Zensical build"),
        ("check-jsonschema", "check-jsonschema, same files"),
    )
    for name, label in timed:
        out.append(
            line(f"{label}: time", [cell(r, name, lambda s: f"{s['seconds']:.2f} s") for r in rows])
        )
        out.append(
            line(
                f"{label}: peak memory",
                [cell(r, name, lambda s: f"{s['peak_mib']:.0f} MiB") for r in rows],
            )
        )
    out.append(
        line(
            "preview: downloads and index after the edit",
            [cell(r, "preview", lambda s: f"{s['follow_up_seconds']:.1f} s") for r in rows],
        )
    )
    out.append(
        line(
            "`factsheet serve`: saved edit to page served",
            [cell(r, "serve", lambda s: f"{s['seconds']:.1f} s") for r in rows],
        )
    )
    out.append(
        line("search records", [cell(r, "index", lambda s: f"{s['records']:,}") for r in rows])
    )
    out.append(
        line(
            "search bundle",
            [
                cell(
                    r, "index", lambda s: f"{s['bundle_files']:,} files, {s['bundle_mib']:.1f} MiB"
                )
                for r in rows
            ],
        )
    )
    out.append(
        line(
            "indexing / MkDocs build",
            [
                f"{r['index']['seconds'] / r['mkdocs']['seconds']:.0%}" if "mkdocs" in r else "-"
                for r in rows
            ],
        )
    )
    for kind, label in (
        ("name", "an actor's name"),
        ("number", "a number"),
        ("word", "a word in nearly every record"),
    ):
        out.append(
            line(
                f"search, {label}: first result in Chromium",
                [cell(r, "search", lambda s, k=kind: f"{s[k]['seconds']:.2f} s") for r in rows],
            )
        )
        out.append(
            line(
                f"search, {label}: fetched for the first query",
                [
                    cell(r, "search", lambda s, k=kind: f"{s[k]['query_bytes'] / 1024:,.0f} KiB")
                    for r in rows
                ],
            )
        )
    out.append(
        line(
            "search: fetched before the reader opens it",
            [
                cell(
                    r,
                    "search",
                    lambda s: (
                        f"{max(q['before_open_bytes'] for q in s.values() if isinstance(q, dict)):,} B"
                    ),
                )
                for r in rows
            ],
        )
    )
    out.append(
        line(
            "Zensical site has the search bundle",
            [cell(r, "zensical", lambda s: "yes" if s["search_bundle"] else "NO") for r in rows],
        )
    )
    out.append(line("files written by render", [str(r["render"]["written"]) for r in rows]))
    out.append(line("files written by no-op", [str(len(r["noop"]["written"])) for r in rows]))
    out.append(
        line("files written by one-file edit", [str(len(r["edit"]["written"])) for r in rows])
    )
    out.append(
        line(
            "check-jsonschema / our validator",
            [
                cell(
                    r,
                    "check-jsonschema",
                    lambda s, r=r: f"{s['seconds'] / r['validate']['seconds']:.1f}x",
                )
                for r in rows
            ],
        )
    )
    out.append(
        line("site size", [f"{r['site_mib']:.1f} MiB" if "site_mib" in r else "-" for r in rows])
    )
    by_size = {r["articles"]: r for r in rows}
    sizes = sorted(by_size)
    for small, large in itertools.pairwise(sizes):
        if large != small * 10:
            continue
        out.append("")
        out.append(f"Growth from {small:,} to {large:,} articles (linear would be 10x):")
        out.append("")
        for name in ("validate", "validate-warm", "render", "preview", "index", "mkdocs"):
            if name in by_size[small] and name in by_size[large]:
                a, b = by_size[small][name], by_size[large][name]
                memory = (
                    f", peak memory {b['peak_mib'] / a['peak_mib']:.1f}x" if a["peak_mib"] else ""
                )
                out.append(f"- {name}: time {b['seconds'] / a['seconds']:.1f}x{memory}")
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
    parser.add_argument(
        "--site-max", type=int, default=1000, help="largest size to build a whole site for"
    )
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("root", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.root)))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="factsheet-bench-") as work:
        rows = [measure(size, Path(work), size <= args.site_max) for size in sizes]
    print(f"Machine: {machine()}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
