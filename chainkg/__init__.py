"""chainkg: a knowledge graph of the industry chains in district development plans."""

__version__ = "0.1.0"
