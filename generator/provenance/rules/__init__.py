"""The provenance rules, one small function each, split by the kind of fact they check.

Each module registers its rules with `@rule(...)` where they are defined. The modules are
imported in the order below, which is the order in which the rules run (and are listed on the
site's "How facts are checked" page): the rules for every fact first, then each kind's.
"""

from __future__ import annotations

import importlib

MODULES = (
    "common",
    "quotes",
    "claims",
    "statements",
    "figures",
    "mentions",
    "questions",
    "events",
)

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
