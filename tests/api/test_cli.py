"""The chainkg command, run as a user would, on a temporary store (on both backends)."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from chainkg.api.cli import main
from chainkg.queries.gap_model import WEIGHTS


@pytest.fixture(scope="module")
def cli_store(backend):
    path = backend.location()
    result = CliRunner().invoke(main, ["--store", str(path), "build"])
    assert result.exit_code == 0, result.output
    assert "built" in result.stdout
    assert "parsing plan" in result.stderr
    return path


def run(store, *args):
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    return result


def test_stats_reports_entities_per_class(cli_store):
    result = run(cli_store, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    classes = stats["classes"]
    assert classes["Industry"] == 7
    assert classes["Park"] == 3
    assert classes["PlanItem"] + classes["Project"] == 136
    assert classes["Indicator"] == 25
    assert classes["Cluster"] == 6
    assert classes["FutureIndustry"] == 4
    assert classes["InnovationPlatform"] == 11
    assert classes["AttractionTarget"] == 17
    assert classes["Box"] == 13
    assert any("/graph/plan/" in g for g in stats["graphs"])
    assert any("/graph/registry/" in g for g in stats["graphs"])
    table = run(cli_store, "stats")
    assert "Entities per class" in table.stdout and "Industry" in table.stdout


def test_query_formats(cli_store):
    q = (
        "PREFIX ck: <https://w3id.org/chainkg/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?name WHERE { ?p a ck:Park ; rdfs:label ?name } ORDER BY ?name"
    )
    out = run(cli_store, "query", q, "--format", "csv")
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows == [["name"], ["临港经济区"], ["涪陵高新区"], ["白涛新材料科技城"]]
    js = json.loads(run(cli_store, "query", q, "--format", "json").stdout)
    assert len(js["results"]["bindings"]) == 3
    assert js["results"]["bindings"][0]["name"] == {
        "type": "literal",
        "value": "临港经济区",
        "xml:lang": "zh",
    }
    assert "(3 rows)" in run(cli_store, "query", q).stdout
    assert run(cli_store, "query", "ASK { ?s ?p ?o }").stdout.strip() == "true"
    ask = json.loads(run(cli_store, "query", "ASK { ?s ?p ?o }", "--format", "json").stdout)
    assert ask["boolean"] is True


def test_query_from_file_and_bad_query(cli_store, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    out = run(cli_store, "query", "-f", str(f), "--format", "json")
    assert int(json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"]) > 5000
    bad = run(cli_store, "query", "SELEC nothing")
    assert bad.exit_code == 2
    assert "error" in bad.stderr


def test_export_formats(cli_store, tmp_path):
    for fmt in ("nq", "ttl", "jsonld"):
        out = tmp_path / f"dump.{fmt}"
        result = run(cli_store, "export", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100_000
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(tmp_path / "dump.nq", format="nquads")
    assert len(list(ds.graphs())) >= 5


def test_load_commands(cli_store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "enterprise_zh,product,status,confidence,source_url\n"
        "甲公司,尼龙六六,operating,sourced,https://example.org/a\n",
        encoding="utf-8",
    )
    out = run(cli_store, "load", str(bad), "--kind", "enterprises")
    assert out.exit_code == 2
    assert "bad.csv:2" in out.stderr and "product" in out.stderr
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
    ok = run(cli_store, "load", str(ttl), "--kind", "rdf")
    assert ok.exit_code == 0, ok.output
    assert "graph/import/extra" in ok.stdout


def test_missing_store_is_a_clear_error(tmp_path):
    out = run(tmp_path / "none", "stats")
    assert out.exit_code == 2
    assert "chainkg build" in out.stderr


def test_path_command(cli_store):
    out = run(cli_store, "path", "页岩气", "PET")
    assert out.exit_code == 0, out.output
    assert "页岩气 → 乙二醇 → PET" in out.stdout
    assert "三（一）1 新材料" in out.stdout
    answer = json.loads(run(cli_store, "path", "jiersuan", "尼龙66", "--format", "json").stdout)
    assert answer["paths"][0]["labels"] == ["己二酸", "尼龙66盐", "尼龙66"]
    bad = run(cli_store, "path", "页岩气", "尼龙六六")
    assert bad.exit_code == 2 and "尼龙66" in bad.stderr


def test_gaps_command(cli_store, tmp_path):
    out = run(cli_store, "gaps", "--industry", "新材料", "--format", "json", "--top", "0")
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    for name in ("attract", "strengthen", "risks"):
        ranks = [g["rank"] for g in report["gaps"] if g["list"] == name]
        assert ranks == list(range(1, len(ranks) + 1)) and ranks, name
    table = run(cli_store, "gaps", "--industry", "新材料", "--kind", "missing")
    assert "招引企业" in table.stdout and "补链" in table.stdout
    assert "强链" not in table.stdout and "供应风险" not in table.stdout
    top = json.loads(run(cli_store, "gaps", "--top", "3", "--format", "json").stdout)
    assert max(g["rank"] for g in top["gaps"]) == 3
    assert top["counts"]["lists"]["attract"] > 3 and top["filters"]["top"] == 3
    csv_out = run(cli_store, "gaps", "--industry", "新材料", "--format", "csv", "--top", "0")
    rows = list(csv.reader(io.StringIO(csv_out.stdout.lstrip("\ufeff"))))
    assert len(rows) == len(report["gaps"]) + 1
    xlsx = tmp_path / "gaps.xlsx"
    ok = run(cli_store, "gaps", "--format", "xlsx", "-o", str(xlsx))
    assert ok.exit_code == 0 and xlsx.read_bytes()[:2] == b"PK"
    bad = run(cli_store, "gaps", "--industry", "新材")
    assert bad.exit_code == 2 and "新材料" in bad.stderr


def test_gaps_robustness_command(cli_store):
    out = run(cli_store, "gaps", "--robustness", "--format", "json")
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["top"] == 30 and len(result["base"]) == 30
    assert len(result["changes"]) == 2 * len(WEIGHTS)
    assert {(c["weight"], c["factor"]) for c in result["changes"]} == {
        (k, f) for k in WEIGHTS for f in (0.5, 1.5)
    }
    for c in result["changes"]:
        assert 0 <= c["overlap"] <= 1 and len(c["entered"]) == len(c["left"])
    # the model, not its weights, sets the order: most of the top 30 stays under ±50%
    assert result["mean_overlap"] >= 0.85 and result["min_overlap"] >= 0.6
    table = run(cli_store, "gaps", "--robustness")
    assert "overlap min" in table.stdout and "target_product" in table.stdout


def test_validate_command(cli_store):
    out = run(cli_store, "validate")
    assert out.exit_code == 0, out.output
    assert "Conforms: True" in out.stdout
    assert "are consistent" in out.stdout


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
        "PREFIX ex: <http://example.org/>\n# drop a\nDELETE WHERE { ex:a ?p ?o }",
        "base <http://example.org/> load <data.ttl>",
    ],
)
def test_query_refuses_an_update_and_says_how_to_run_one(cli_store, update):
    out = run(cli_store, "query", update)
    assert out.exit_code == 2
    assert "chainkg query runs SPARQL queries only" in out.stderr
    assert "is a SPARQL Update" in out.stderr
    assert "chainkg load FILE --kind rdf" in out.stderr
    assert "CHAINKG_UPDATE_TOKEN" in out.stderr
    assert "POST it to /sparql" in out.stderr and "Authorization: Bearer" in out.stderr
    assert "expected CONSTRUCT" not in out.stderr


def test_map_command_writes_the_panorama(cli_store, tmp_path):
    out = tmp_path / "panorama.svg"
    ok = run(cli_store, "map", "新材料", "-o", str(out))
    assert ok.exit_code == 0, ok.output
    root = ElementTree.fromstring(out.read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len([a for a in root.iter("{http://www.w3.org/2000/svg}a")]) > 50
    english = run(cli_store, "map", "xin-cai-liao", "--lang", "en")
    assert english.exit_code == 0 and "adipic acid" in english.stdout
    bad = run(cli_store, "map", "新才料")
    assert bad.exit_code == 2 and "新材料" in bad.stderr
    picture = tmp_path / "panorama.png"
    ok = run(cli_store, "map", "生物医药", "--format", "png", "-o", str(picture))
    assert ok.exit_code == 0, ok.output
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run(cli_store, "map", "生物医药", "--format", "png").exit_code == 2  # needs -o


def test_brief_command_writes_a_self_contained_page(cli_store, tmp_path):
    out = tmp_path / "brief.html"
    ok = run(cli_store, "brief", "新材料", "-o", str(out))
    assert ok.exit_code == 0, ok.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "新材料 产业链简报" in html
    assert "href=" not in html and "<script" not in html
    assert html.count('class="chip') >= 60
    english = run(cli_store, "brief", "sheng-wu-yi-yao", "--lang", "en")
    assert english.exit_code == 0 and "industry chain brief" in english.stdout
    bad = run(cli_store, "brief", "新才料")
    assert bad.exit_code == 2 and "新材料" in bad.stderr
