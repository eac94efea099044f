"""factsheet: curated YAML facts, checked against their source texts, published as a static site.

The pipeline has one module per stage: load → validate → render → build.
"""

__version__ = "0.1.0"
