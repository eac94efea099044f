"""Lighthouse 12 (mobile) on each kind of page of a built site; prints a table of scores.

    python -m bench.lighthouse [SITE] [--min 95]      (make lighthouse)

The site is served over HTTP on 127.0.0.1 the way GitHub Pages serves it: gzip for text and a
ten-minute cache. Lighthouse comes from the npm registry at an exact version
(`npm i -E lighthouse@12.2.3`, installed into .lighthouse/ the first time) and drives Debian's
Chromium (CHROME_PATH, /usr/bin/chromium by default). Pages: the home page, the first fact
sheet, the actor with the largest page, and the open questions. Exits 1 if a score is below
--min.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.pages import serve

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.2.3"
TOOLS = REPO / ".lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> Path:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.is_file():
        TOOLS.mkdir(exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "-E",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            cwd=TOOLS,
            check=True,
        )
    return binary


def pages(site: Path) -> dict[str, str]:
    """One page of each kind, chosen from what the site holds."""
    sheets = sorted(
        path.parent.name
        for path in (site / "sheets").glob("*/index.html")
        if path.parent.name[:4].isdigit()
    )
    busiest = max(
        (p.parent.name for p in (site / "sheets" / "actors").glob("*/index.html")),
        key=lambda actor: (site / "sheets" / "actors" / actor / "index.html").stat().st_size,
    )
    return {
        "home": "",
        "article": f"sheets/{sheets[-1]}/" if sheets else "sheets/",
        "actor": f"sheets/actors/{busiest}/",
        "questions": "sheets/questions/",
    }


def audit(binary: Path, url: str, report: Path) -> dict[str, int]:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    flags = (
        "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync "
        "--disable-background-networking --disable-component-update"
    )
    subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": chrome},
        timeout=600,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "site")
    parser.add_argument("--min", type=int, default=95, help="lowest acceptable score")
    args = parser.parse_args()
    if not shutil.which("node"):
        print("lighthouse: Node.js is needed (Node 20 or newer)", file=sys.stderr)
        return 2
    binary = lighthouse()
    reports = REPO / "test-artifacts" / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    rows = []
    with serve(args.site.resolve()) as base:
        for kind, path in pages(args.site.resolve()).items():
            rows.append((kind, path, audit(binary, base + path, reports / f"{kind}.json")))
    print(f"| Lighthouse {LIGHTHOUSE_VERSION}, mobile | " + " | ".join(CATEGORIES) + " |")
    print("|---|" + "---:|" * len(CATEGORIES))
    for kind, path, scores in rows:
        print(f"| {kind} (/{path}) | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
    low = [(kind, c, s[c]) for kind, _, s in rows for c in CATEGORIES if s[c] < args.min]
    for kind, category, score in low:
        print(f"lighthouse: {kind}: {category} {score} is below {args.min}", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    raise SystemExit(main())
