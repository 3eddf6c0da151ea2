"""The same numbers on every surface: the pages (their JSON models and what they print),
the REST API and the CLI agree on how many products, links, gaps and paths there are."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from chainkg.api.cli import main

INDUSTRIES = ["xin-cai-liao", "sheng-wu-yi-yao", "xin-xing-fu-wu-ye"]


def cli(home, *args: str) -> str:
    result = CliRunner().invoke(main, ["--store", str(home.location), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    return r.json()


def test_district_counts_agree(client, built_home):
    home = get(client, "/?format=json")["chain"]
    stats = json.loads(cli(built_home, "stats", "--format", "json"))
    per_class = stats.get("classes") or stats.get("entities")
    report = get(client, "/api/gaps?top=0")
    assert home["products"] == per_class["Product"] == report["counts"]["products"]
    assert home["links"] == per_class["SupplyLink"]
    assert sum(home["status"].values()) == home["products"]
    listed = json.loads(cli(built_home, "gaps", "--format", "json", "--top", "0"))
    assert listed["counts"]["lists"] == report["counts"]["lists"]
    assert len(report["gaps"]) == sum(report["counts"]["lists"].values())


@pytest.mark.parametrize("slug", INDUSTRIES)
def test_industry_counts_agree(client, built_home, slug):
    api = get(client, f"/api/industries/{slug}")
    page = get(client, f"/explore/industry/{slug}?format=json")
    brief = get(client, f"/explore/brief/{slug}?format=json")
    report = get(client, f"/api/gaps?industry={slug}&top=0")
    listed = json.loads(cli(built_home, "gaps", "--industry", slug, "--format", "json"))
    products = len(api["products"])
    assert products == page["industry"]["counts"]["products"] == brief["products"]
    assert products == report["counts"]["products"] == listed["counts"]["products"]
    svg = client.get(f"/api/map/{slug}").text
    assert len(re.findall(r'<a class="box"', svg)) == products
    lists = report["counts"]["lists"]
    assert page["gap_counts"]["lists"] == brief["gap_counts"] == listed["counts"]["lists"] == lists
    assert len(api["enterprises"]) == len(page["industry"]["enterprises"]) == brief["enterprises"]
    chips = [c for st in brief["stages"] for g in st["groups"] for c in g["products"]]
    marked = {c["id"]: c["gap"]["rank"] for c in chips if c["gap"]}
    assert marked == {g["product"]["id"]: g["rank"] for g in report["gaps"]}


def test_path_counts_agree(client, built_home):
    api = get(client, "/api/paths?from=己二酸&to=尼龙66")
    shown = json.loads(cli(built_home, "path", "己二酸", "尼龙66", "--format", "json"))
    page = get(client, "/explore/paths?from=己二酸&to=尼龙66&format=json")
    assert api["count"] == shown["count"] == len(shown["paths"]) == len(api["paths"])
    shortest = min(len(p["nodes"]) for p in page["result"]["paths"])
    assert sum(len(p["nodes"]) == shortest for p in page["result"]["paths"]) == api["count"]
