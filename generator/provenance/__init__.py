"""Provenance, the heart of factsheet: every fact is checked against the source text it cites.

The rules, in the order they run, and the kinds of fact each applies to. When a fact's excerpt
is not in its paragraph, the rules after the first are skipped for that fact: they would only
repeat the same problem in other words.
"""

from __future__ import annotations

from typing import Any

from ..model import Article, Claim, Event, Figure, Mention, Question, Quote
from ..seeds import Seed
from .rules import (
    Context,
    Finding,
    Rule,
    actor_named_in_excerpt,
    attribution_names_speaker,
    claim_is_reported,
    claimant_named,
    date_basis_in_excerpt,
    deadline_agrees_with_wording,
    deadline_in_excerpt,
    description_in_excerpt,
    event_date_agrees,
    excerpt_in_paragraph,
    fragment_matches_source,
    qualifier_as_written,
    quote_in_excerpt,
    quote_inside_quotation_marks,
    quote_paragraphs_consecutive,
    sources,
    speaker_is_who_speaks,
    speaker_named,
    unit_agrees_with_written,
    value_agrees_with_written,
    written_in_excerpt,
)

FACT = object  # the rules that apply to every kind of fact

RULES: tuple[tuple[type | tuple[type, ...], Rule], ...] = (
    (FACT, excerpt_in_paragraph),
    (Quote, quote_in_excerpt),
    (Quote, quote_inside_quotation_marks),
    (Quote, quote_paragraphs_consecutive),
    (Quote, speaker_named),
    (Quote, speaker_is_who_speaks),
    (Quote, fragment_matches_source),
    (Claim, claimant_named),
    (Claim, claim_is_reported),
    ((Quote, Claim), attribution_names_speaker),
    (Figure, written_in_excerpt),
    (Figure, value_agrees_with_written),
    (Figure, qualifier_as_written),
    (Figure, unit_agrees_with_written),
    (Mention, description_in_excerpt),
    (Mention, actor_named_in_excerpt),
    (Question, deadline_in_excerpt),
    (Question, deadline_agrees_with_wording),
    (Event, date_basis_in_excerpt),
    (Event, event_date_agrees),
)

__all__ = ["RULES", "Context", "Finding", "check_fact", "check_header", "sources"]


def check_fact(fact: Any, ctx: Context) -> list[Finding]:
    """Every finding of every rule for one fact; only the excerpt's, if its excerpt is wrong."""
    first = list(excerpt_in_paragraph(fact, ctx))
    if first:
        return first
    findings: list[Finding] = []
    for rule in _rules_for(type(fact)):
        findings.extend(rule(fact, ctx))
    return findings


_RULES_BY_KIND: dict[type, tuple[Rule, ...]] = {}


def _rules_for(kind: type) -> tuple[Rule, ...]:
    """The rules after the first that apply to one kind of fact, in order."""
    if kind not in _RULES_BY_KIND:
        _RULES_BY_KIND[kind] = tuple(rule for kinds, rule in RULES[1:] if issubclass(kind, kinds))
    return _RULES_BY_KIND[kind]


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
