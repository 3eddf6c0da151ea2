"""``chainkg parse PLAN``: what the plan reader understood of a plan, for the person who
loads it — the facts per section, every line it did not place (with its number and why),
and whether the plan was fully understood."""

from __future__ import annotations

import json
from pathlib import Path

import click

from chainkg.api.options import output_option


@click.command("parse")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The whole report as JSON.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any line is not placed.")
@output_option()
def parse_cmd(plan: Path, as_json: bool, strict: bool, output: Path | None) -> None:
    """Read PLAN (a plan's text) and report what was found and what was left."""
    from chainkg.api import cli  # imported here: cli registers this command
    from chainkg.loaders.plan import PlanError, parse_plan
    from chainkg.loaders.plan_report import report

    try:
        review = report(parse_plan(plan.read_text(encoding="utf-8")))
    except (PlanError, UnicodeDecodeError) as exc:
        cli.fail(ValueError(f"{plan}: {exc}"))
    text = json.dumps(review, ensure_ascii=False, indent=2) if as_json else _table(review, plan)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        cli.progress(f"wrote the review of {plan} to {output}")
    else:
        click.echo(text)
    if strict and review["unplaced"]:
        raise SystemExit(1)


def _table(review: dict, plan: Path) -> str:
    head = review["plan"]
    period = "—".join(str(y) for y in head["period"])
    lines = [f"{head['title']} ({head['region']}, {period})", "", "Found per section"]
    for sec in review["sections"]:
        what = ", ".join(f"{n} {k}" for k, n in sec["found"].items())
        title = f"{sec['number']} {sec['title']}".strip() or sec["id"]
        lines.append(f"  {title} (lines {sec['lines'][0]}–{sec['lines'][1]}): {what}")
    lines += ["", f"Not placed ({len(review['unplaced'])})"]
    for u in review["unplaced"]:
        lines.append(f"  {plan.name}:{u['line']}: {u['why']}")
        lines.append(f"      {u['text'][:60]}")
    if not review["unplaced"]:
        lines.append("  none")
    return "\n".join([*lines, "", review["summary"]])
