"""``chainkg brief INDUSTRY``: the industry's one-page brief written as an HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from chainkg.api.options import lang_option, output_option, plan_option

if TYPE_CHECKING:
    from chainkg.api.cli import Context


@click.command("brief")
@click.argument("industry")
@output_option()
@lang_option()
@plan_option()
@click.pass_obj
def brief_cmd(
    obj: Context, industry: str, output: Path | None, lang: str, plan: str | None
) -> None:
    """The one-page brief of INDUSTRY (zh or en name, slug or id) as a self-contained
    HTML page (style inline, nothing fetched) that prints to one A4 page: the output
    indicator, a compact chain panorama, the top gaps with reasons, parks and key firms."""
    from chainkg.api import cli  # imported here: cli registers this command
    from chainkg.api.pages import render
    from chainkg.queries.industries import industries
    from chainkg.viz import models

    store = cli._view(obj, plan)
    link = models.Links("", lang)
    model = models.brief_page(store, obj.ids, industry, link)
    if model is None:
        names = ", ".join(i["label"] for i in industries(store, obj.ids))
        cli.fail(LookupError(f"no industry {industry!r}; choose one of: {names}"))
    html = render("brief", model, link, online=False)
    if output is None:
        click.echo(html)
        return
    output.write_text(html, encoding="utf-8")
    cli.progress(f"wrote the {model['industry']['label']} brief to {output}")
