"""``chainkg map INDUSTRY``: the industry's 产业链全景图 written as an SVG file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from chainkg.api.options import lang_option, output_option, plan_option

if TYPE_CHECKING:
    from chainkg.api.cli import Context


@click.command("map")
@click.argument("industry")
@click.option(
    "--format", "fmt", type=click.Choice(["svg", "png"]), default="svg", show_default=True
)
@output_option()
@lang_option("Label language.")
@plan_option()
@click.pass_obj
def map_cmd(
    obj: Context, industry: str, fmt: str, output: Path | None, lang: str, plan: str | None
) -> None:
    """The chain panorama of INDUSTRY (zh or en name, slug or id; ``all`` for every
    industry of the district): stage columns of labelled boxes coloured by local status,
    with gap marks and supply links."""
    from chainkg.api import cli  # imported here: cli registers this command
    from chainkg.queries.industries import industries
    from chainkg.viz import panorama

    store = cli._view(obj, plan)
    if industry in ("all", "district", "全区"):
        body, what = panorama.district_svg(store, obj.ids, lang), "district"
    else:
        found = panorama.find(store, obj.ids, industry)
        if found is None:
            names = ", ".join(i["label"] for i in industries(store, obj.ids))
            cli.fail(LookupError(f"no industry {industry!r}; choose one of: {names}"))
        body, what = panorama.svg(store, obj.ids, found["iri"], lang), found["label"]
    if fmt == "png":
        if output is None:
            cli.fail(click.UsageError("--format png needs -o FILE.png"))
        try:
            output.write_bytes(panorama.png(body))
        except panorama.PngUnavailable as exc:
            cli.fail(exc)
    elif output is None:
        click.echo(body)
        return
    else:
        output.write_text(body, encoding="utf-8")
    cli.progress(f"wrote the {what} panorama ({fmt}) to {output}")
