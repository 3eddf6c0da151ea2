"""A plan of the genre other than Fuling becomes a graph that conforms to the shapes."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS

from chainkg.graph.home import StoreHome, StoreMissing
from chainkg.graph.namespaces import CK
from chainkg.graph.validation import shacl_report
from chainkg.loaders.build import build
from chainkg.loaders.dataset import Manifest
from chainkg.loaders.errors import LoadError
from chainkg.loaders.plan import parse_plan
from chainkg.loaders.plan_rdf import plan_graph


@pytest.fixture(scope="module")
def sample_graph(fixtures, ids):
    plan = parse_plan((fixtures / "plan-sample.txt").read_text(encoding="utf-8"))
    return plan, plan_graph(plan, ids)


def test_made_up_plan_maps_with_its_own_keys(sample_graph):
    plan, g = sample_graph
    assert plan.region == "青溪区"
    industries = set(g.subjects(RDF.type, CK.Industry))
    assert len(industries) == 4
    assert all("/industry/qing-xi-qu-2023-2027/" in str(i) for i in industries)
    levels = {g.value(c, CK.clusterLevel) for c in g.subjects(RDF.type, CK.Cluster)}
    assert levels == {CK.NationalLevel, CK.MunicipalLevel}
    # every node but the sections and the plan names its source section
    for s in set(g.subjects(RDF.type, None)):
        if (s, RDF.type, CK.Plan) in g or g.value(s, CK.inPlan):
            continue
        source = g.value(s, PROV.wasDerivedFrom)
        assert source is not None and g.value(source, CK.inPlan), s


def test_made_up_plan_builds_and_conforms(fixtures, ids, tmp_path):
    (tmp_path / "plan.txt").write_text((fixtures / "plan-sample.txt").read_text("utf-8"), "utf-8")
    (tmp_path / "dataset.yaml").write_text("plan: plan.txt\n", "utf-8")
    home = StoreHome(tmp_path / "store")
    build(home, Manifest.read(tmp_path / "dataset.yaml"), ids)
    store = home.open()
    conforms, text = shacl_report(store)
    assert conforms, text[:3000]
    parks = store.select(
        "SELECT ?l WHERE { ?p a <https://w3id.org/chainkg/ontology#Park> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
    )
    assert [str(r["l"]) for r in parks] == sorted(["青溪经济开发区", "滨江化工园区", "北山物流园"])
    store.close()


def test_layout_lines_link_only_what_they_name(store):
    rows = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        SELECT ?label ?host WHERE { ?l a ck:ParkLayout ; ck:hostedLabel ?label ; ck:hosts ?host }"""
    )
    hosts: dict[str, set[str]] = {}
    for r in rows:
        hosts.setdefault(str(r["label"]), set()).add(str(r["host"]).split("/", 4)[-1])
    assert "chain/polyester" in hosts["聚酯新材料"]
    assert "chain/polyester" in hosts["PTA聚酯新材料"]
    assert not any(h.startswith("industry/") for h in hosts["PTA聚酯新材料"])
    assert "chain/polyamide" in hosts["聚酰胺新材料"]
    # a line that names nothing known: the park hosts the box's industry
    assert hosts["场景应用示范基地"] == {"industry/fu-ling-qu-2022-2026/qing-jie-neng-yuan"}
    segments = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/chainkg/ontology#IndustrySegment> }"
    )
    assert int(segments[0]["n"]) < 33


def test_item_product_links(store):
    rows = store.select(
        """PREFIX ck: <https://w3id.org/chainkg/ontology#>
        SELECT ?text ?p WHERE { ?i ck:itemText ?text ; ck:makesProduct ?p }"""
    )
    made: dict[str, set[str]] = {}
    for r in rows:
        made.setdefault(str(r["text"]), set()).add(str(r["p"]).rsplit("/", 1)[1])
    assert "shale-gas" not in made.get("页岩气制氢技术", set())
    assert made["年产30万吨BDO—PBAT一体化项目"] >= {"bdo", "pbat"}
    assert "ccl" in made["原材料（铜箔、树脂、覆铜板）"]


def test_store_home_refuses_a_folder_it_does_not_own(tmp_path, ids, fixtures):
    (tmp_path / "videos").mkdir()
    (tmp_path / "dataset.yaml").write_text("plan: plan.txt\n", "utf-8")
    (tmp_path / "plan.txt").write_text((fixtures / "plan-sample.txt").read_text("utf-8"), "utf-8")
    with pytest.raises(StoreMissing, match="not a chainkg store folder"):
        build(StoreHome(tmp_path), Manifest.read(tmp_path / "dataset.yaml"), ids)
    assert (tmp_path / "videos").is_dir()


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("plan: missing.txt\n", "no such file"),
        ("plan: plan.txt\nregistries: firms.csv\n", "list of CSV files"),
        ("plan: plan.txt\nchain: c.yaml\n", "unknown key"),
        ("chains: c.yaml\n", "names no plan"),
    ],
)
def test_manifest_mistakes(tmp_path, manifest, message):
    (tmp_path / "plan.txt").write_text("x", "utf-8")
    (tmp_path / "dataset.yaml").write_text(manifest, "utf-8")
    with pytest.raises(LoadError, match=message):
        Manifest.read(tmp_path / "dataset.yaml")


def test_labels_are_zh_tagged(sample_graph):
    _, g = sample_graph
    for label in g.objects(None, RDFS.label):
        assert isinstance(label, Literal) and label.language == "zh", label
    chapters = {str(c).rsplit("/", 1)[1] for c in g.subjects(RDF.type, CK.Chapter)}
    assert chapters and all(c.startswith("ch") and "." not in c for c in chapters)
