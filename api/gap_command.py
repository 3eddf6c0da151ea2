"""``chainkg gaps``: the three ranked lists (firms to attract, links to strengthen, supply
risks) as a table, CSV, Excel or JSON, and ``--robustness``: how the attraction top N moves
when each weight of the model is halved or raised by half."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from chainkg.api.options import lang_option, output_option, plan_option

if TYPE_CHECKING:
    from chainkg.api.cli import Context


@click.command("gaps")
@click.option("--industry", default=None, help="Industry name, alias or id (e.g. 新材料).")
@click.option("--park", default=None, help="Park name or id (e.g. 临港经济区).")
@click.option(
    "--kind",
    type=click.Choice(["missing", "weak", "extension", "external"]),
    multiple=True,
    help="Gap kinds to keep (repeatable).",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Entries per list; 0 for all.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "xlsx", "json"]), default="table"
)
@output_option("File to write (required for xlsx).")
@lang_option("Table language.")
@click.option(
    "--robustness",
    is_flag=True,
    help="Instead of the report: the attraction top N under ±50% of each weight.",
)
@plan_option()
@click.pass_obj
def gaps_cmd(
    obj: Context,
    industry: str | None,
    park: str | None,
    kind: tuple[str, ...],
    top: int,
    fmt: str,
    output: Path | None,
    lang: str,
    robustness: bool,
    plan: str | None,
) -> None:
    """Firms to attract (补链, 延链), links to strengthen (强链) and supply risks (外部依赖),
    ranked with reasons and parks; the criteria are in the README."""
    from chainkg.api import cli  # imported here: cli registers this command
    from chainkg.queries.gaps import Unknown, gap_report, to_csv, to_xlsx

    store = cli._view(obj, plan)
    if robustness:
        _robustness(store, obj, top or 30, fmt)
        return
    try:
        report = gap_report(store, obj.ids, industry, park, list(kind) or None, top=top)
    except Unknown as exc:
        names = ", ".join(c.get("label", "") for c in exc.suggestions)
        cli.fail(LookupError(f"{exc}; did you mean: {names}"))
    if fmt == "xlsx":
        if output is None:
            cli.fail(click.UsageError("--format xlsx needs -o FILE.xlsx"))
        output.write_bytes(to_xlsx(report))
        cli.progress(f"wrote {len(report['gaps'])} gaps to {output}")
        return
    if fmt in ("csv", "json"):
        text = to_csv(report) if fmt == "csv" else json.dumps(report, ensure_ascii=False, indent=1)
        if output:
            output.write_text(text, encoding="utf-8")
            cli.progress(f"wrote {len(report['gaps'])} gaps to {output}")
        else:
            click.echo(text, nl=False)
        return
    for name in report["scoring"]["lists"]:
        found = [g for g in report["gaps"] if g["list"] == name]
        if not found:
            continue
        click.echo(f"\n{found[0]['list_label'][lang]} ({report['counts']['lists'][name]})")
        rows = [
            {
                "rank": g["rank"],
                "kind": g["kind_label"][lang],
                "product": g["product"]["label"],
                "industry": g["product"]["industry"],
                "score": f"{g['score']:.1f}",
                "reason": g["headline"][lang][:70],
            }
            for g in found
        ]
        cli.print_rows(rows, ["rank", "kind", "product", "industry", "score", "reason"], "table")
    c = report["counts"]
    click.echo(
        f"\n{c['gaps']} gaps among {c['products']} products "
        f"(attract {c['lists']['attract']}, strengthen {c['lists']['strengthen']}, "
        f"risks {c['lists']['risks']}); 重点引进 targets confirmed {c['confirmed']}, "
        f"not confirmed {c['not_confirmed']}; high-ranked gaps the plan did not name "
        f"{c['not_named']}"
    )


def _robustness(store, obj: Context, top: int, fmt: str) -> None:
    from chainkg.api import cli
    from chainkg.queries.gap_robustness import robustness

    result = robustness(store, obj.ids, top)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    rows = [
        {
            "weight": r["weight"],
            "factor": r["factor"],
            "overlap": f"{r['overlap']:.0%}",
            "tau": "" if r["tau"] is None else f"{r['tau']:.2f}",
            "entered": "、".join(r["entered"][:4]),
        }
        for r in result["changes"]
    ]
    cli.print_rows(rows, ["weight", "factor", "overlap", "tau", "entered"], "table")
    click.echo(
        f"top {top}: overlap min {result['min_overlap']:.0%}, mean {result['mean_overlap']:.0%};"
        f" Kendall τ min {result['min_tau']}"
    )
