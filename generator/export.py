"""Part of the render stage: the data files readers download, and the JSON-LD of each page.

Everything here is generated from the validated corpus at build time, never kept by hand.
`facts.json` holds every fact with its id and source and loads back into the same models.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from .model import FACT_KINDS, Actor, Article, json_schemas
from .validate import ArticleFacts, Corpus

FORMAT_VERSION = 1


def facts_document(corpus: Corpus) -> dict[str, Any]:
    """Everything in the corpus as plain JSON data, in the shapes of the YAML files."""
    return {
        "format": "factsheet",
        "version": FORMAT_VERSION,
        "actors": [
            actor.model_dump(mode="json", by_alias=True, exclude_unset=False)
            for actor in corpus.actors.values()
        ],
        "articles": [
            {
                "id": facts.id,
                "seed": facts.seed.name,
                "article": facts.article.model_dump(
                    mode="json", by_alias=True, exclude_unset=False
                ),
                **{
                    kind.plural: [
                        fact.model_dump(mode="json", by_alias=True, exclude_unset=False)
                        for fact in getattr(facts, kind.plural)
                    ]
                    for kind in FACT_KINDS
                },
            }
            for facts in corpus.articles
        ],
    }


def facts_json(corpus: Corpus) -> str:
    # Compact: json's C encoder is only used without indentation, and it is ten times faster.
    return json.dumps(facts_document(corpus), ensure_ascii=False, separators=(",", ":")) + "\n"


def load_facts_json(text: str) -> tuple[dict[str, Actor], list[dict[str, Any]]]:
    """Read facts.json back into the models, as a reuser would; used to prove the round trip."""
    data = json.loads(text)
    actors = {entry["id"]: Actor.model_validate(entry) for entry in data["actors"]}
    articles = []
    for entry in data["articles"]:
        loaded: dict[str, Any] = {
            "id": entry["id"],
            "article": Article.model_validate(entry["article"]),
        }
        for kind in FACT_KINDS:
            loaded[kind.plural] = [kind.model.model_validate(fact) for fact in entry[kind.plural]]
        articles.append(loaded)
    return actors, articles


def _flatten(prefix: str, value: Any, row: dict[str, Any]) -> None:
    """Nested fields become underscored columns (source_excerpt); lists are joined with '; ',
    and a source in a list (a quote's `continued`) reads '¶6: excerpt'."""
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}{key}_", inner, row)
    elif isinstance(value, list):
        row[prefix.rstrip("_")] = "; ".join(_list_item(item) for item in value)
    else:
        row[prefix.rstrip("_")] = value


def _list_item(item: Any) -> str:
    if isinstance(item, dict):
        if "paragraph" in item and "excerpt" in item:
            return f"\u00b6{item['paragraph']}: {item['excerpt']}"
        return ", ".join(f"{key}: {inner}" for key, inner in item.items())
    return str(item)


def _cell(value: Any) -> Any:
    """Keep spreadsheet programs from running a text cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _cell(row.get(column)) for column in columns})
    return out.getvalue()


def _columns(model: type[BaseModel], lead: list[str]) -> list[str]:
    """The CSV header of a model: its fields, nested models expanded, after the lead columns."""
    row: dict[str, Any] = {}
    _flatten("", _field_tree(model), row)
    return lead + [column for column in row if column not in lead]


def _field_tree(model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        nested = next(
            (
                candidate
                for candidate in getattr(annotation, "__args__", (annotation,))
                if isinstance(candidate, type) and issubclass(candidate, BaseModel)
            ),
            None,
        )
        out[field.alias or name] = _field_tree(nested) if nested is not None else None
    return out


def csv_files(corpus: Corpus) -> dict[str, str]:
    """One CSV per kind of fact, each row carrying its article id."""
    files = {}
    actor_rows = []
    for actor in corpus.actors.values():
        row: dict[str, Any] = {}
        _flatten("", actor.model_dump(mode="json", by_alias=True, exclude_unset=False), row)
        actor_rows.append(row)
    files["actors.csv"] = _csv(actor_rows, _columns(Actor, []))
    article_rows = []
    for facts in corpus.articles:
        row = {"id": facts.id}
        _flatten("", facts.article.model_dump(mode="json", by_alias=True, exclude_unset=False), row)
        article_rows.append(row)
    files["articles.csv"] = _csv(article_rows, _columns(Article, ["id"]))
    for kind in FACT_KINDS:
        rows = []
        for facts in corpus.articles:
            for fact in getattr(facts, kind.plural):
                row = {"article": facts.id}
                _flatten("", fact.model_dump(mode="json", by_alias=True, exclude_unset=False), row)
                rows.append(row)
        files[f"{kind.plural}.csv"] = _csv(rows, _columns(kind.model, ["article"]))
    return files


def download_files(corpus: Corpus) -> dict[str, str]:
    """Every download, keyed by its path under the generated folder."""
    files = {"downloads/facts.json": facts_json(corpus)}
    files.update({f"downloads/{name}": text for name, text in csv_files(corpus).items()})
    files.update({f"downloads/schema/{name}": text for name, text in json_schemas().items()})
    return files


def _agent(actor: Actor) -> dict[str, Any]:
    return {
        "@type": "Person" if actor.kind == "person" else "Organization",
        "name": actor.name,
        **({"alternateName": actor.aliases} if actor.aliases else {}),
    }


def article_jsonld(facts: ArticleFacts, actors: dict[str, Actor]) -> dict[str, Any]:
    """schema.org Article with its quotations, each created by its speaker, based on the seed."""
    article = facts.article
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "datePublished": article.date,
        "abstract": article.summary,
        "keywords": article.tags,
        "isBasedOn": {
            "@type": "CreativeWork",
            "name": facts.seed.name,
            "identifier": f"sha256:{article.sha256}",
            "datePublished": facts.seed.date or article.date,
        },
        "mentions": [
            _agent(actors[actor_id]) for actor_id in dict.fromkeys(m.actor for m in facts.mentions)
        ],
        "hasPart": [
            {
                "@type": "Quotation",
                "@id": f"#quote-{quote.id}",
                "text": " … ".join(quote.parts),
                "creator": _agent(actors[quote.speaker]),
                "isBasedOn": {
                    "@type": "CreativeWork",
                    "name": facts.seed.name,
                    "position": quote.source.paragraph,
                },
            }
            for quote in facts.quotes
        ],
    }


def jsonld_script(data: dict[str, Any]) -> Markup:
    """A <script> element safe to put in a page: `<`, `>` and `&` are escaped inside the JSON,
    so no string can close the element ("</script>") or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(f'<script type="application/ld+json">{text}</script>')
