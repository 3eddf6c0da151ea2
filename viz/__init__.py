"""Visual explorers (pyvis networks inside server-rendered pages)."""
