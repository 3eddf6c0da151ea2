"""Options that several ``chainkg`` commands share, declared once."""

from __future__ import annotations

from pathlib import Path

import click


def output_option(help: str = "File to write (default: standard output)."):
    """``-o/--output FILE``."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help=help
    )


def lang_option(help: str = "Language."):
    """``--lang zh|en`` (zh by default)."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help=help)


def plan_option():
    """``--plan KEY``: the district plan to read (key, id, region or title) in a store of
    several districts (``chainkg plans`` lists them); the default plan by default."""
    return click.option(
        "--plan",
        default=None,
        help="District plan to read (key, id, region or title; see `chainkg plans`). "
        "Default: the store's default plan.",
    )
