"""Write a deterministic synthetic corpus of N articles: a project root that validates.

    python bench/make_corpus.py N OUT

OUT gets mkdocs.yml, docs/, overrides/, seeds/ and facts/, so `factsheet --root OUT validate`,
`generate`, `build` and `mkdocs build` run on it unchanged, through the same loader and
validator as the real data. Each article has about the mix of the real one (15 figures,
11 quotes, 26 mentions, 8 questions, 7 events) and its actors come from one shared registry,
so actor pages gather facts from many articles.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import random
import shutil
from pathlib import Path

from generator.fmt import canonical_yaml
from generator.model import ARTICLE_KINDS, REGISTRY

REPO = Path(__file__).resolve().parent.parent
PARAGRAPHS = 17
WORDS = [
    "council",
    "aid",
    "corridor",
    "crossing",
    "vote",
    "mandate",
    "border",
    "relief",
    "convoy",
    "talks",
    "ministry",
    "camp",
    "detainees",
    "refugees",
    "agreement",
    "sanctions",
    "deadline",
    "inquiry",
    "budget",
    "harbour",
    "bridge",
    "election",
    "court",
    "report",
    "treaty",
    "summit",
    "pipeline",
    "harvest",
    "drought",
    "clinic",
    "school",
]
KINDS = ("person", "organisation", "state", "group")


def header(kind_file: str, depth: int) -> str:
    schema = ARTICLE_KINDS[kind_file].schema if depth else REGISTRY.schema
    return f"# yaml-language-server: $schema={'../' * (depth + 1)}schema/{schema}.schema.json\n\n"


def make_actors(rng: random.Random, count: int) -> list[dict[str, object]]:
    actors = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        name = f"{rng.choice(WORDS).capitalize()} {kind.capitalize()} {number}"
        actors.append({"id": f"actor-{number}", "name": name, "kind": kind})
    return actors


def make_article(
    rng: random.Random, index: int, actors: list[dict[str, object]], out: Path
) -> None:
    day = datetime.date(2020, 1, 1) + datetime.timedelta(days=index)
    article_id = f"{day.isoformat()}-synthetic-report-{index}"
    paragraphs: list[list[str]] = [[] for _ in range(PARAGRAPHS)]
    facts: dict[str, list[dict[str, object]]] = {name: [] for name in ARTICLE_KINDS}

    def place(sentence: str) -> dict[str, object]:
        number = rng.randrange(PARAGRAPHS)
        paragraphs[number].append(sentence)
        return {"paragraph": number + 1, "excerpt": sentence}

    cast = rng.sample(actors, 26)
    for actor in cast:
        role = f"the {rng.choice(WORDS)} envoy"
        facts["actors.yaml"].append(
            {
                "actor": actor["id"],
                "described_as": role,
                "source": place(
                    f"{actor['name']}, {role}, attended the {rng.choice(WORDS)} meeting."
                ),
            }
        )
    for number in range(11):
        speaker = cast[number % 8]
        words = " ".join(rng.choice(WORDS) for _ in range(9))
        facts["quotes.yaml"].append(
            {
                "id": f"quote-{number}",
                "speaker": speaker["id"],
                "text": f"The {words} must continue",
                "fragment": False,
                "context": f"On the {rng.choice(WORDS)}.",
                "source": place(f"“The {words} must continue,” {speaker['name']} said."),
            }
        )
    for number in range(15):
        value = rng.randrange(2, 500_000)
        written = f"at least {value:,}"
        noun = rng.choice(WORDS)
        facts["figures.yaml"].append(
            {
                "id": f"figure-{number}",
                "written": written,
                "value": value,
                "unit": "people",
                "qualifier": "at least",
                "counts": f"people affected by the {noun}",
                "source": place(f"The {noun} affected {written} people, officials said."),
            }
        )
    for number in range(8):
        topic = rng.choice(WORDS)
        deadline = day + datetime.timedelta(days=10 + number)
        written = f"midnight {deadline:%B} {deadline.day}"
        facts["questions.yaml"].append(
            {
                "id": f"question-{number}",
                "question": f"Will the {topic} be renewed?",
                "why": f"The {topic} matters to millions.",
                "actors": [cast[number]["id"], cast[number + 8]["id"]],
                "deadline": deadline.isoformat(),
                "deadline_written": written,
                "source": place(
                    f"The {topic} expires at {written}, and no one would say what comes next."
                ),
            }
        )
    for number in range(7):
        year = rng.randrange(1990, day.year)
        what = f"the {rng.choice(WORDS)} {rng.choice(WORDS)} began"
        facts["events.yaml"].append(
            {
                "id": f"event-{number}",
                "date": str(year),
                "what": what.capitalize() + ".",
                "source": place(f"In {year}, {what}."),
            }
        )
    for number, sentences in enumerate(paragraphs):
        if not sentences:
            sentences.append(f"Paragraph {number + 1} has no facts.")
    text = f" date {day.isoformat()} " + "\n".join(" ".join(s) for s in paragraphs) + "\n"
    seed_name = f"{index:06d}_synthetic.txt"
    seed = out / "seeds" / seed_name
    seed.write_text(text, encoding="utf-8")
    facts_dir = out / "facts" / article_id
    facts_dir.mkdir(parents=True)
    article = {
        "title": f"Synthetic report {index} on the {rng.choice(WORDS)}",
        "date": day.isoformat(),
        "seed": seed_name,
        "sha256": hashlib.sha256(seed.read_bytes()).hexdigest(),
        "summary": f"A synthetic article for benchmarks, number {index}.",
        "tags": rng.sample(WORDS, 3),
    }
    for name, kind in ARTICLE_KINDS.items():
        data = article if name == "article.yaml" else facts[name]
        (facts_dir / name).write_text(header(name, 1) + canonical_yaml(data, kind.model))


def make_corpus(count: int, out: Path, seed: int = 20210628) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", out / "overrides")
    shutil.copytree(REPO / "schema", out / "schema")
    shutil.copytree(REPO / "docs", out / "docs", ignore=shutil.ignore_patterns("sheets"))
    (out / "seeds").mkdir()
    (out / "facts").mkdir()
    actors = make_actors(rng, max(40, count // 2))
    (out / "facts" / "actors.yaml").write_text(
        header("actors.yaml", 0) + canonical_yaml(actors, REGISTRY.model)
    )
    for index in range(count):
        make_article(rng, index, actors, out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    make_corpus(args.count, args.out)
    print(f"{args.count} articles written to {args.out}")


if __name__ == "__main__":
    main()
