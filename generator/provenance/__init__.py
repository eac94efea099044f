"""Provenance, the heart of factsheet: every fact is checked against the source text it cites.

The rules live in `generator.provenance.rules`, one module per kind of fact, each registered
where it is defined with the kinds it applies to (see `generator.provenance.core`). The
readers they rest on are beside them: `passages` (quoted and unquoted stretches), `attribution`
(who a clause says spoke), `numbers` (written numbers) and `dates` (written and relative dates).
"""

from __future__ import annotations

from typing import Any

from ..model import Article
from ..seeds import Seed
from . import rules  # noqa: F401  (registers the rules, in order)
from .core import RULES, Context, Finding, RegisteredRule, kind_of, rules_for, sources

__all__ = [
    "RULES",
    "Context",
    "Finding",
    "RegisteredRule",
    "check_fact",
    "check_header",
    "rules_for",
    "sources",
]


def check_fact(fact: Any, ctx: Context) -> list[Finding]:
    """Every finding of every rule for one fact; only a gate's, if a gate finds a problem.

    A fact with a `review` is excused from the one rule it names: that rule's findings are
    dropped, provided the rule applies to the kind, may be excused, and does refuse the fact.
    """
    kind = kind_of(fact)
    gates, others = rules_for(kind)
    for gate in gates:
        found = list(gate.check(fact, ctx))
        if found:
            return found
    review = getattr(fact, "review", None)
    findings: list[Finding] = []
    for registered in others:
        found = list(registered.check(fact, ctx))
        if review is not None and registered.name == review.rule and registered.excusable:
            if not found:
                findings.append(
                    Finding(
                        ("review", "rule"),
                        f"the fact passes '{review.rule}': there is nothing to excuse",
                        "remove review: the rules verify this fact",
                    )
                )
            continue
        findings.extend(found)
    if review is not None and not any(
        registered.name == review.rule and registered.excusable for registered in others
    ):
        findings.append(_not_excusable(kind, review.rule, (*gates, *others)))
    return findings


def _not_excusable(kind: str, name: str, applying: tuple[RegisteredRule, ...]) -> Finding:
    excusable = ", ".join(registered.name for registered in applying if registered.excusable)
    if any(registered.name == name for registered in applying):
        message = f"'{name}' checks that the words are the source's own: no review can excuse it"
    else:
        message = f"no rule '{name}' applies to {kind}s"
    return Finding(
        ("review", "rule"),
        message,
        f"a {kind} may be excused from one of: {excusable}" if excusable else "",
    )


def check_header(article: Article, folder: str, seed: Seed) -> list[Finding]:
    """The article file against its seed and its folder: the checksum, and one date for all.

    The seed's sha256 must match, so that facts are checked against the text they were
    curated from; the article's date must equal the seed's date line and the date that starts
    the folder name.
    """
    findings = []
    if seed.sha256 != article.sha256:
        findings.append(
            Finding(
                ("sha256",),
                f"sha256 does not match seeds/{seed.name}",
                f"the seed's sha256 is {seed.sha256}; if the seed changed on purpose, "
                "re-check every fact against it and update sha256",
            )
        )
    if seed.date is not None and seed.date != article.date:
        findings.append(
            Finding(
                ("date",),
                f"date {article.date} differs from the seed's date line ({seed.date})",
                f"write date: '{seed.date}'",
            )
        )
    if not folder.startswith(article.date + "-"):
        findings.append(
            Finding(
                ("date",),
                f"date {article.date} differs from the date in the folder name '{folder}'",
                "the folder name starts with the article's date: rename the folder or fix date",
            )
        )
    return findings
