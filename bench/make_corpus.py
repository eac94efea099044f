"""Write a deterministic synthetic corpus of N articles: a project root that validates.

    python bench/make_corpus.py N OUT

OUT gets mkdocs.yml, docs/, overrides/, seeds/ and facts/, so `factsheet --root OUT validate`,
`generate`, `build` and `mkdocs build` run on it unchanged, through the same loader and
validator as the real data. Each article has the mix of the real one: 40 mentions, 15
figures (values with qualifiers, currency, a range and a vote tally), 9 quotes by three
speakers (some in several parts, one that runs on into the next paragraph and is attributed
by pronoun), 8 claims by six actors, 8 questions with deadlines, 7 events, three of them
dated by relative words ("on Friday", "next month"), and 4 statements in the article's own
voice. Its actors come from one shared registry, so actor pages gather facts from many
articles.
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

    cast = rng.sample(actors, 40)
    for actor in cast:
        noun = "envoy" if actor["kind"] == "person" else "delegation"  # a word that fits it
        role = f"the {rng.choice(WORDS)} {noun}"
        facts["actors.yaml"].append(
            {
                "actor": actor["id"],
                "described_as": role,
                "source": place(
                    f"{actor['name']}, {role}, attended the {rng.choice(WORDS)} meeting."
                ),
            }
        )
    for number in range(9):
        speaker = cast[number % 3]  # the real article quotes three people
        words = " ".join(rng.choice(WORDS) for _ in range(9))
        quote: dict[str, object] = {
            "id": f"quote-{number}",
            "speaker": speaker["id"],
            "text": f"The {words} must continue",
            "context": f"On the {rng.choice(WORDS)}.",
        }
        if number % 3 == 1:  # one sentence quoted in two parts around the attribution
            quote["text"] = [f"The {words} must continue,", "and it will."]
            quote["source"] = place(
                f"“The {words} must continue,” {speaker['name']} said, “and it will.”"
            )
        elif number == 8:  # runs on into the next paragraph; attributed by pronoun
            paragraph = rng.randrange(PARAGRAPHS - 1)
            said = f"{speaker['name']} said the {rng.choice(WORDS)} was over."
            opening = f"“The {words} must continue,” she said."
            paragraphs[paragraph] += [said, opening]
            paragraphs[paragraph + 1].insert(0, "“It will not stop.”")
            quote["text"] = [f"The {words} must continue,", "It will not stop."]
            quote["source"] = {"paragraph": paragraph + 1, "excerpt": opening}
            quote["continued"] = [{"paragraph": paragraph + 2, "excerpt": "“It will not stop.”"}]
            quote["attribution"] = {"paragraph": paragraph + 1, "excerpt": said}
        else:
            quote["source"] = place(f"“The {words} must continue,” {speaker['name']} said.")
        facts["quotes.yaml"].append(quote)
    for number in range(8):
        claimant = cast[8 + number % 6]  # and reports the claims of six actors
        topic = " ".join(rng.choice(WORDS) for _ in range(4))
        claim_type = ("warning", "assessment", "demand", "position")[number % 4]
        sentence = (
            f"{claimant['name']} has called for the {topic} to be protected."
            if claim_type == "demand"
            else f"{claimant['name']} has warned that the {topic} is at risk."
        )
        facts["claims.yaml"].append(
            {
                "id": f"claim-{number}",
                "claimant": claimant["id"],
                "type": claim_type,
                "source": place(sentence),
            }
        )
    for number in range(15):
        noun = rng.choice(WORDS)
        figure: dict[str, object] = {"id": f"figure-{number}", "unit": "people"}
        if number == 13:
            low = rng.randrange(2, 5_000)
            written = f"between {low:,} and {low * 2:,}"
            figure |= {"written": written, "range": {"low": low, "high": low * 2}}
        elif number == 14:
            ayes, noes = rng.randrange(8, 15), rng.randrange(0, 5)
            written = f"{ayes}-{noes}"
            figure |= {"written": written, "tally": {"for": ayes, "against": noes}}
            figure["unit"] = "votes"
        elif number % 5 == 4:
            millions = rng.randrange(2, 900)
            written = f"${millions} million"
            figure |= {"written": written, "value": millions * 1_000_000, "unit": "USD"}
        else:
            value = rng.randrange(2, 500_000)
            written = f"at least {value:,}"
            figure |= {"written": written, "value": value, "qualifier": "at least"}
        figure["counts"] = f"the {noun} figure"
        sentence = f"The {noun} came to {written}, officials said."
        if number == 14:
            sentence = f"The {noun} council voted {written} on the measure."
        figure["source"] = place(sentence)
        facts["figures.yaml"].append(figure)
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
    friday = day - datetime.timedelta(days=(day.weekday() - 4) % 7 or 7)
    next_month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    relative = (
        (friday.isoformat(), "on Friday", "announced the {0} on Friday"),
        (f"{next_month:%Y-%m}", "next month", "the {0} will begin next month"),
        (day.isoformat(), "today", "the {0} opened today"),
    )
    for number in range(7):
        what = f"the {rng.choice(WORDS)} {rng.choice(WORDS)}"
        event: dict[str, object] = {"id": f"event-{number}"}
        if number < len(relative):
            date, basis, wording = relative[number]
            event |= {"date": date, "date_basis": basis}
            event["what"] = f"Officials {wording.format(what)}."
            event["source"] = place(f"Officials {wording.format(what)}.")
        else:
            year = rng.randrange(1990, day.year)
            event |= {"date": str(year), "what": f"{what.capitalize()} began."}
            event["source"] = place(f"In {year}, {what} began.")
        facts["events.yaml"].append(event)
    for number in range(4):  # what the article states in its own voice
        topic = " ".join(rng.choice(WORDS) for _ in range(2))
        sentence = f"The {topic} has been closed for {rng.randrange(2, 30)} weeks."
        facts["statements.yaml"].append({"id": f"statement-{number}", "source": place(sentence)})
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
