"""``chainkg parse`` (the plan reader's review report) and what ``chainkg build`` says
about the plan it read, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from chainkg.api.cli import main
from chainkg.loaders.dataset import Manifest, builtin_manifest

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


def test_parse_reports_what_was_found_and_the_summary():
    result = CliRunner().invoke(main, ["parse", str(PLANS / "c-nanhu.txt")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("南湖区战略性新兴产业发展规划（2021—2025年）")
    assert "Not placed (0)" in out
    assert out.rstrip().endswith(
        "plan fully understood: 5 industries, 12 items, 6 capacities, 6 indicators, 3 layouts, "
        "3 parks, 5 targets, 0 platforms, 0 clusters, 0 future industries"
    )


def test_parse_json_of_the_builtin_plan_lists_each_line_it_leaves_and_why():
    plan = Manifest.read(builtin_manifest()).plan
    result = CliRunner().invoke(main, ["parse", str(plan), "--json"])
    assert result.exit_code == 0, result.output
    review = json.loads(result.stdout)
    assert review["counts"]["items"] == 136 and review["counts"]["indicators"] == 25
    assert review["understood"] is False
    left = review["unplaced"]
    assert len(left) == 9
    assert left[0]["line"] == 619 and left[0]["text"].startswith("领军企业。")
    assert "programme 「领军企业」" in left[0]["why"]
    by_id = {s["id"]: s["found"] for s in review["sections"]}
    assert by_id["box2"]["items"] == 32 and by_id["table1"] == {"indicators": 25}


def test_parse_strict_fails_on_unplaced_lines_and_refuses_a_text_that_is_no_plan(tmp_path):
    plan = Manifest.read(builtin_manifest()).plan
    strict = CliRunner().invoke(main, ["parse", str(plan), "--strict"])
    assert strict.exit_code == 1
    assert f"{plan.name}:619: 专栏11: programme" in strict.stdout
    clean = CliRunner().invoke(main, ["parse", str(PLANS / "a-huabin.txt"), "--strict"])
    assert clean.exit_code == 0
    notes = tmp_path / "minutes.txt"
    notes.write_text("会议纪要\n\n一、议题\n\n讨论了年度工作。\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["parse", str(notes)])
    assert refused.exit_code != 0
    assert f"{notes}: not a plan: no plan title" in refused.output


def test_build_says_what_it_understood_and_strict_refuses_leftovers(tmp_path):
    """A plan-only dataset of another layout builds; --strict stops on an unplaced line
    and names the file and line, leaving no store behind."""
    text = (PLANS / "b-xishan.txt").read_text(encoding="utf-8")
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    (tmp_path / "dataset.yaml").write_text("plan: plan.txt\n", encoding="utf-8")
    store = tmp_path / "store"
    args = ["--store", str(store), "build", "--dataset", str(tmp_path / "dataset.yaml")]
    built = CliRunner().invoke(main, [*args, "--strict"])
    assert built.exit_code == 0, built.output
    assert "plan: plan fully understood: 3 industries, 11 items" in built.stderr
    # a box row the reader cannot place: a paragraph before any row label
    broken = text.replace("\t重大项目\n", "\t本专栏说明。以下为重大项目。\n\t重大项目\n", 1)
    (tmp_path / "plan.txt").write_text(broken, encoding="utf-8")
    other = tmp_path / "other"
    refused = CliRunner().invoke(
        main,
        ["--store", str(other), "build", "--dataset", str(tmp_path / "dataset.yaml"), "--strict"],
    )
    assert refused.exit_code != 0
    assert "plan.txt:" in refused.output and "not placed" in refused.output
    assert not (other / "current").exists()
    lenient = CliRunner().invoke(main, args)
    assert lenient.exit_code == 0, lenient.output
    assert "1 line(s) not placed" in lenient.stderr
