"""How well the validator reads reported speech: the attribution corpus through the real rules.

    .venv/bin/python -m bench.attribution [--show N] [--only STYLE,…]

tests/attribution/*.yaml hold hand-written paragraphs in the styles of news writing, each with
the actors its article's registry would hold, one quote or claim, the actor who says it (or
`none`) and wrong attributions of the same words to actors the paragraph names who do not say
them (see tests/attribution/README.md). For each case this builds an article in a throw-away
project, as tests/test_provenance.py does: a seed of the case's paragraph after a `date` line
(and after any earlier paragraphs of the article the case gives as `before`), article.yaml with the seed's sha256, the registry, the article's mentions, and the right fact
and its wrong twins in quotes.yaml or claims.yaml. It runs the real validator
(`generator.validate.validate_project`) and maps every problem back to its fact by line.

A right fact should be accepted; a wrong one should be refused by an attribution rule
(speaker_named, speaker_is_who_speaks, claimant_named, claim_is_reported,
attribution_names_speaker). A refusal by any other rule (an excerpt not in its paragraph, a
wrong `fragment`) means the case is broken, not that attribution was read: such facts are
counted apart as corpus errors and listed, and should be none.

Every case is a project of its own, so that no case's names or mentions can be read in another
case's paragraph. That takes about 3 s for the corpus; putting many cases into one project
(grouped so that their names cannot meet) gave the same answers and saved nothing, since the
grouping cost what the fewer projects saved.

The first line printed is the date and the commit; a '+' after the commit means generator/ or
the corpus differs from it. To measure a commit while the working tree is being edited, run
the bench in an export of it: `git archive HEAD generator bench tests/attribution | tar -x -C
DIR`, then `.venv/bin/python -m bench.attribution` from DIR.

The goals are right facts accepted >= 99% and misattributions refused >= 95%. This only
reports; it asserts nothing and exits 0 unless the corpus cannot be read.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FactsheetError, Problem
from generator.fmt import canonical_yaml
from generator.load import load_file
from generator.model import ARTICLE_KINDS, REGISTRY
from generator.project import Project
from generator.validate import validate_project

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "attribution"
DEFAULT_DATE = "2024-05-14"
GOAL_ACCEPTED = 99.0
GOAL_REFUSED = 95.0

# The rules that read who speaks, and the words that start each one's messages.
ATTRIBUTION_RULES = (
    "speaker_named",
    "speaker_is_who_speaks",
    "claimant_named",
    "claim_is_reported",
    "attribution_names_speaker",
)
_RULE_MESSAGES = (
    ("the excerpt does not name the speaker", "speaker_named"),
    ("the excerpt attributes these words to", "speaker_is_who_speaks"),
    ("the excerpt reports this as said by", "claimant_named"),
    ("the excerpt does not name the claimant", "claimant_named"),
    ("the excerpt reports no statement", "claim_is_reported"),
    ("the attribution comes after", "attribution_names_speaker"),
    ("the attribution does not name", "attribution_names_speaker"),
    ("the excerpt is not in paragraph", "excerpt_in_paragraph"),
    ("does not exist:", "excerpt_in_paragraph"),
    ("the quote text is not in the excerpt", "quote_in_excerpt"),
    ("these words are not inside quotation marks", "quote_inside_quotation_marks"),
    ("the quote is a whole sentence", "fragment_matches_source"),
    ("the quote is only part of a sentence", "fragment_matches_source"),
    ("does not follow paragraph", "quote_paragraphs_consecutive"),
)


def rule_of(message: str) -> str:
    """The provenance rule a problem message comes from ('other' if none is known)."""
    for start, rule in _RULE_MESSAGES:
        if start in message:
            return rule
    return "other"


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wrong:
    actor: str
    why: str
    excerpt: str | None = None
    attribution: str | None = None


@dataclass(frozen=True)
class Case:
    """One paragraph, one quote or claim, who says it, and who does not."""

    style: str
    date: str
    id: str
    construction: str
    text: str
    actors: tuple[dict[str, Any], ...]
    mentions: tuple[dict[str, Any], ...]
    kind: str  # "quote" or "claim"
    quote: str | list[str] | None
    fragment: bool
    claim_type: str | None
    label: str  # an actor id, or "none"
    also: tuple[str, ...]  # more actors who say it too (coordinated subjects)
    excerpt: str
    attribution: str | None
    wrong: tuple[Wrong, ...]
    before: tuple[str, ...] = ()  # the article's paragraphs before the case's own

    @property
    def article_id(self) -> str:
        return f"{self.date}-{self.id}"

    @property
    def paragraph(self) -> int:
        """The number of the case's paragraph in its seed, which the facts cite."""
        return len(self.before) + 1


def load_corpus(folder: Path = CORPUS, only: Iterable[str] | None = None) -> list[Case]:
    """Every case of every style file (or of the styles named), in file order."""
    wanted = set(only) if only else None
    cases = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        style = data["style"]
        if wanted is not None and style not in wanted:
            continue
        date = str(data.get("date", DEFAULT_DATE))
        for raw in data["cases"]:
            cases.append(_case(style, date, raw))
    return cases


def _case(style: str, date: str, raw: dict[str, Any]) -> Case:
    text = " ".join(str(raw["text"]).split())
    kind = "quote" if "quote" in raw else "claim"
    label = raw["speaker"] if kind == "quote" else raw["claimant"]
    return Case(
        style=style,
        date=date,
        id=raw["id"],
        construction=raw["construction"],
        text=text,
        actors=tuple(raw.get("actors", [])),
        mentions=tuple(raw.get("mentions", [])),
        kind=kind,
        quote=raw.get("quote"),
        fragment=bool(raw.get("fragment", False)),
        claim_type=raw.get("claim"),
        label=str(label),
        also=tuple(raw.get("also", [])),
        excerpt=raw.get("excerpt", text),
        attribution=raw.get("attribution"),
        wrong=tuple(
            Wrong(w["actor"], w["why"], w.get("excerpt"), w.get("attribution"))
            for w in raw.get("wrong", [])
        ),
        before=tuple(" ".join(str(p).split()) for p in raw.get("before", [])),
    )


# --- projects ------------------------------------------------------------------------------------


@dataclass
class Fact:
    """One fact of the benchmark: the right attribution, or a wrong twin."""

    case: Case
    actor: str
    right: bool
    why: str = ""
    excerpt: str = ""
    attribution: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def rules(self) -> list[str]:
        return [rule_of(problem.message) for problem in self.problems]

    @property
    def broken(self) -> bool:
        """Refused by a rule that does not read attribution: the case itself is at fault."""
        return any(rule not in ATTRIBUTION_RULES for rule in self.rules)

    @property
    def accepted(self) -> bool:
        return not self.problems


def _fact_data(fact: Fact, fact_id: str) -> dict[str, Any]:
    """The quote or claim as its YAML file holds it."""
    case = fact.case
    data: dict[str, Any] = {"id": fact_id}
    if case.kind == "quote":
        data |= {"speaker": fact.actor, "text": case.quote}
        if case.fragment:
            data["fragment"] = True
    else:
        data |= {"claimant": fact.actor, "type": case.claim_type}
    data["source"] = {"paragraph": case.paragraph, "excerpt": fact.excerpt}
    if fact.attribution:
        data["attribution"] = {"paragraph": case.paragraph, "excerpt": fact.attribution}
    return data


def _write_case(root: Path, case: Case) -> tuple[Path, list[Fact]]:
    """The case as an article of the project at root: its seed, header, mentions and facts."""
    seed = "".join(f"{line}\n" for line in (f"date {case.date}", *case.before, case.text))
    seed_bytes = seed.encode()
    (root / "seeds" / f"{case.id}.txt").write_bytes(seed_bytes)
    folder = root / "facts" / case.article_id
    folder.mkdir(parents=True)
    article = {
        "title": f"Attribution case {case.id}",
        "date": case.date,
        "seed": f"{case.id}.txt",
        "sha256": hashlib.sha256(seed_bytes).hexdigest(),
        "summary": f"A {case.style} paragraph for the attribution benchmark.",
    }
    (folder / "article.yaml").write_text(
        canonical_yaml(article, ARTICLE_KINDS["article.yaml"].model), encoding="utf-8"
    )
    if case.mentions:
        mentions = [
            {
                "actor": mention["actor"],
                "described_as": mention["described_as"],
                "source": {
                    "paragraph": case.paragraph,
                    "excerpt": mention.get("excerpt", mention["described_as"]),
                },
            }
            for mention in case.mentions
        ]
        (folder / "actors.yaml").write_text(
            canonical_yaml(mentions, ARTICLE_KINDS["actors.yaml"].model), encoding="utf-8"
        )
    rights = [] if case.label == "none" else [case.label, *case.also]
    facts = [Fact(case, actor, True, "", case.excerpt, case.attribution) for actor in rights]
    facts += [
        Fact(
            case,
            wrong.actor,
            False,
            wrong.why,
            wrong.excerpt or case.excerpt,
            wrong.attribution or case.attribution,
        )
        for wrong in case.wrong
    ]
    entries = [
        _fact_data(fact, f"{'right' if fact.right else 'wrong'}-{number}")
        for number, fact in enumerate(facts, 1)
    ]
    file_name = "quotes.yaml" if case.kind == "quote" else "claims.yaml"
    target = folder / file_name
    target.write_text(canonical_yaml(entries, ARTICLE_KINDS[file_name].model), encoding="utf-8")
    return target, facts


def run_case(case: Case, root: Path) -> tuple[list[Fact], list[Problem]]:
    """Validate a project of one case: its facts with their problems (found by line), and the
    problems of any other file (which would mean the case itself is broken)."""
    (root / "seeds").mkdir(parents=True)
    (root / "facts").mkdir()
    (root / "facts" / "actors.yaml").write_text(
        canonical_yaml(list(case.actors), REGISTRY.model), encoding="utf-8"
    )
    target, facts = _write_case(root, case)
    try:
        validate_project(Project(root), use_cache=False)
        problems: list[Problem] = []
    except FactsheetError as error:
        problems = error.problems
    starts = _entry_lines(target)
    setup = []
    for problem in problems:
        if problem.path.resolve() != target.resolve():
            setup.append(problem)
            continue
        index = max(i for i, line in enumerate(starts) if line <= problem.line)
        facts[index].problems.append(problem)
    return facts, setup


def _entry_lines(path: Path) -> list[int]:
    document = load_file(path)
    return [document.position((index,)).line for index in range(len(document.data))]


def run(cases: list[Case]) -> tuple[list[Fact], list[Problem]]:
    """Every case through the validator: its facts with their problems, and setup problems."""
    facts: list[Fact] = []
    setup: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="factsheet-attribution-") as scratch:
        for case in cases:
            found, problems = run_case(case, Path(scratch) / case.id)
            facts.extend(found)
            setup.extend(problems)
    return facts, setup


# --- the report ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Right facts and how many were accepted, wrong facts and how many were refused; facts
    a rule that does not read attribution refused are the corpus's fault and not counted."""

    right: int = 0
    accepted: int = 0
    wrong: int = 0
    refused: int = 0

    def add(self, fact: Fact) -> None:
        if fact.broken:
            return
        if fact.right:
            self.right += 1
            self.accepted += fact.accepted
        else:
            self.wrong += 1
            self.refused += not fact.accepted

    def cells(self) -> str:
        return (
            f"{self.accepted}/{self.right} accepted ({percent(self.accepted, self.right)}), "
            f"{self.refused}/{self.wrong} refused ({percent(self.refused, self.wrong)})"
        )


def right_and_wrong(facts: list[Fact], kind: str) -> tuple[list[Fact], list[Fact]]:
    """The counted facts of one kind, right ones and wrong ones."""
    counted = [fact for fact in facts if fact.case.kind == kind and not fact.broken]
    return [fact for fact in counted if fact.right], [f for f in counted if not f.right]


def tally(facts: list[Fact], kind: str) -> Tally:
    """How one kind of fact fared, the corpus's own faults left out (see Tally)."""
    found = Tally()
    for fact in facts:
        if fact.case.kind == kind:
            found.add(fact)
    return found


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _goal(part: int, whole: int, goal: float) -> str:
    if not whole:
        return ""
    return f"  goal {goal:g}%: {'met' if 100 * part / whole >= goal else 'missed'}"


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failure_line(fact: Fact) -> str:
    case = fact.case
    if fact.right:
        reasons = "; ".join(p.message for p in fact.problems)
        head = f"{case.id} [{case.construction}] {case.kind} by '{fact.actor}' refused: {reasons}"
    else:
        head = (
            f"{case.id} [{case.construction}] {case.kind} given to '{fact.actor}' ({fact.why}) "
            f"accepted; says: {case.label}"
        )
    what = case.quote if case.kind == "quote" else case.claim_type
    shown = " / ".join(what) if isinstance(what, list) else what
    lines = [f"  - {head}", f"      {case.kind}: {shown}", f"      text: {_shorten(case.text)}"]
    if fact.excerpt != case.text:
        lines.append(f"      excerpt: {fact.excerpt}")
    if fact.attribution:
        lines.append(f"      attribution: {fact.attribution}")
    return "\n".join(lines)


def report(facts: list[Fact], setup: list[Problem], show: int, seconds: float) -> str:
    cases = {fact.case.id: fact.case for fact in facts}
    lines = [
        f"Attribution corpus: {len(cases)} cases in {len({c.style for c in cases.values()})} "
        f"styles, {len(facts)} facts ({sum(f.right for f in facts)} right, "
        f"{sum(not f.right for f in facts)} wrong); validated in {seconds:.1f} s",
        f"goals: right facts accepted >= {GOAL_ACCEPTED:g}%, misattributions refused >= "
        f"{GOAL_REFUSED:g}%",
    ]
    broken = [fact for fact in facts if fact.broken]
    if setup or broken:
        lines.append("")
        lines.append(
            f"CORPUS ERRORS (not counted): {len(setup)} setup problems, {len(broken)} facts"
        )
        lines += [f"  - {p.format()}" for p in setup[:show]]
        lines += [
            f"  - {f.case.id} ({'right' if f.right else 'wrong'} '{f.actor}'): "
            + "; ".join(f"[{rule_of(p.message)}] {p.message}" for p in f.problems)
            for f in broken[:show]
        ]
    for kind in ("quote", "claim"):
        right, wrong = right_and_wrong(facts, kind)
        found = tally(facts, kind)
        accepted, refused = found.accepted, found.refused
        lines += [
            "",
            f"== {kind}s: {len({f.case.id for f in right + wrong})} cases",
            f"right facts accepted:    {accepted}/{len(right)} ({percent(accepted, len(right))})"
            + _goal(accepted, len(right), GOAL_ACCEPTED),
            f"misattributions refused: {refused}/{len(wrong)} ({percent(refused, len(wrong))})"
            + _goal(refused, len(wrong), GOAL_REFUSED),
        ]
        by_rule = Counter(rule for fact in right for rule in set(fact.rules))
        if by_rule:
            lines.append(
                "right facts refused, by rule: "
                + ", ".join(f"{rule} {count}" for rule, count in by_rule.most_common())
            )
        by_rule = Counter(rule for fact in wrong for rule in set(fact.rules))
        if by_rule:
            lines.append(
                "misattributions refused, by rule: "
                + ", ".join(f"{rule} {count}" for rule, count in by_rule.most_common())
            )
        misses = [fact for fact in right if not fact.accepted]
        lines.append(f"right facts refused ({len(misses)}, first {min(show, len(misses))}):")
        lines += [_failure_line(fact) for fact in misses[:show]]
        misses = [fact for fact in wrong if fact.accepted]
        lines.append(f"misattributions accepted ({len(misses)}, first {min(show, len(misses))}):")
        lines += [_failure_line(fact) for fact in misses[:show]]
    for title in ("style", "construction"):
        tallies: dict[str, Tally] = defaultdict(Tally)
        for fact in facts:
            tallies[getattr(fact.case, title)].add(fact)
        counts = Counter(getattr(case, title) for case in cases.values())
        lines += ["", f"== by {title}"]
        width = max(map(len, tallies))
        lines += [
            f"{name:<{width}}  {counts[name]:>3} cases  {tallies[name].cells()}"
            for name in sorted(tallies)
        ]
    whys: dict[str, Tally] = defaultdict(Tally)
    for fact in facts:
        if not fact.right:
            whys[fact.why].add(fact)
    lines += ["", "== misattributions by why the actor is wrong"]
    width = max(map(len, whys), default=0)
    lines += [
        f"{name:<{width}}  {t.refused}/{t.wrong} refused ({percent(t.refused, t.wrong)})"
        for name, t in sorted(whys.items())
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--show", type=int, default=20, help="failures listed of each type")
    parser.add_argument("--only", default="", help="styles to run, comma-separated")
    args = parser.parse_args(argv)
    cases = load_corpus(only=[s for s in args.only.split(",") if s] or None)
    if not cases:
        print("no cases found in tests/attribution/", file=sys.stderr)
        return 1
    started = time.perf_counter()
    facts, setup = run(cases)
    seconds = time.perf_counter() - started
    print(f"{datetime.date.today()}  {_commit()}")
    print(report(facts, setup, args.show, seconds))
    return 0


def _commit() -> str:
    """The commit the corpus and the validator were run at (with '+' if the tree differs)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "generator", "tests/attribution"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "commit unknown"
    return f"commit {head}{'+' if dirty else ''}" if head else "commit unknown"


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["ATTRIBUTION_RULES", "Case", "Fact", "Wrong", "load_corpus", "rule_of", "run"]
