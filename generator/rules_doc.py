"""The provenance rules as readers and contributors read them, made from the rules themselves.

The site's "How facts are checked" page includes this list (`--8<-- "sheets/rules.snippet"`),
so registering a rule (`generator.provenance.core.rule`) documents it: its docstring is its text.
"""

from __future__ import annotations

import inspect

from .provenance import RULES, check_header


def rules_markdown() -> str:
    """A numbered list: what each rule checks, for which kinds of fact, and its name."""
    lines = []
    for number, registered in enumerate(RULES, start=1):
        applies = ", ".join(f"{kind}s" for kind in registered.kinds) or "every fact"
        first, _, rest = inspect.cleandoc(registered.check.__doc__ or "").partition("\n")
        detail = " ".join(rest.split())
        excuse = "" if registered.excusable else "; no review can excuse it"
        lines.append(f"{number}. **{first}** ({applies}; rule `{registered.name}`{excuse})")
        if detail:
            lines.append(f"    {detail}")
    header = " ".join(inspect.cleandoc(check_header.__doc__ or "").split("\n", 1)[-1].split())
    lines.append(f"{len(RULES) + 1}. **{header}** (every article; rule `check_header`)")
    return "\n".join(lines) + "\n"
