"""``chainkg map INDUSTRY``: the industry's 产业链全景图 written as an SVG file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from chainkg.api.cli import Context


@click.command("map")
@click.argument("industry")
@click.option("--format", "fmt", type=click.Choice(["svg"]), default="svg", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Label language.")
@click.pass_obj
def map_cmd(obj: Context, industry: str, fmt: str, output: Path | None, lang: str) -> None:
    """The chain panorama of INDUSTRY (zh or en name, slug or id; ``all`` for every
    industry of the district): stage columns of labelled boxes coloured by local status,
    with gap marks and supply links."""
    from chainkg.api import cli  # imported here: cli registers this command
    from chainkg.queries.industries import industries
    from chainkg.viz import panorama

    store = cli._open(obj)
    if industry in ("all", "district", "全区"):
        body = panorama.district_svg(store, obj.ids, lang)
        if output is None:
            click.echo(body)
        else:
            output.write_text(body, encoding="utf-8")
            cli.progress(f"wrote the district panorama ({fmt}) to {output}")
        return
    found = panorama.find(store, obj.ids, industry)
    if found is None:
        names = ", ".join(i["label"] for i in industries(store, obj.ids))
        cli.fail(LookupError(f"no industry {industry!r}; choose one of: {names}"))
    body = panorama.svg(store, obj.ids, found["iri"], lang)
    if output is None:
        click.echo(body)
        return
    output.write_text(body, encoding="utf-8")
    cli.progress(f"wrote the {found['label']} panorama ({fmt}) to {output}")
