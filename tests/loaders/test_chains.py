"""The curated chain file: checked against the plan it cites; mistakes name file and line."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from chainkg.graph.namespaces import CK
from chainkg.loaders.chains import load_chains
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.loaders.errors import LoadError

GOOD = """\
chains:
  - {id: polyamide, zh: 聚酰胺产业链, industry: 新材料, source: ch3.1.1, quote: 巩固提升聚酰胺}
products:
  - id: adn
    zh: 己二腈
    aliases: [ADN]
    kind: intermediate
    industry: 新材料
    chains: [polyamide]
    source: ch3.1.1
    quote: "ADN（己二腈）"
  - id: hda
    zh: 己二胺
    kind: intermediate
    industry: 新材料
    source: ch3.1.1
    quote: "HDA（己二胺）"
links:
  - {from: adn, to: hda, type: material-input, chain: polyamide, source: ch3.1.1,
     quote: "ADN（己二腈）—HDA（己二胺）"}
"""


def load(tmp_path, text, plan, ids):
    path = tmp_path / "chains.yaml"
    path.write_text(text, encoding="utf-8")
    return path, lambda: load_chains(path, plan, ids)


def test_builtin_chain_file_loads_with_evidence(fuling_plan, ids):
    catalogue = load_chains(Manifest.read(builtin_manifest()).chains, fuling_plan, ids)
    g = catalogue.graph
    links = list(g.subjects(None, CK.ChainLink))
    assert len(links) > 250
    kinds = {g.value(link, CK.evidenceKind) for link in links}
    assert kinds == {CK.PlanTextEvidence, CK.DomainKnowledge}
    for link in links:
        if g.value(link, CK.evidenceKind) == CK.DomainKnowledge:
            assert g.value(link, CK.reason)
        else:
            assert g.value(link, CK.evidenceText)
    adn = URIRef("https://w3id.org/chainkg/product/adiponitrile")
    assert (adn, SKOS.altLabel, Literal("ADN")) in g
    assert (adn, RDFS.label, Literal("adiponitrile", lang="en")) in g
    assert catalogue.lexicon.get("HMDA") == URIRef(
        "https://w3id.org/chainkg/product/hexamethylenediamine"
    )
    industries = set(g.objects(None, CK.inIndustry))
    assert len(industries) == 7


def test_small_file_loads(tmp_path, fuling_plan, ids):
    _, run = load(tmp_path, GOOD, fuling_plan, ids)
    cat = run()
    assert cat.lexicon.get("ADN") == URIRef("https://w3id.org/chainkg/product/adn")
    assert cat.chains.get("聚酰胺") == URIRef("https://w3id.org/chainkg/chain/polyamide")


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        ('quote: "HDA（己二胺）"', 'quote: "HDA(己二胺)"', 12, "quote", "not found in section"),
        (
            'source: ch3.1.1\n    quote: "HDA',
            'source: ch9.9\n    quote: "HDA',
            12,
            "source",
            "unknown plan section",
        ),
        (
            'industry: 新材料\n    source: ch3.1.1\n    quote: "HDA',
            'industry: 新材料料\n    source: ch3.1.1\n    quote: "HDA',
            12,
            "industry",
            "unknown industry",
        ),
        ("aliases: [ADN]", "aliases: ADN", 4, "aliases", "list of names"),
        (
            "kind: intermediate\n    industry: 新材料\n    chains",
            "kind: solid\n    industry: 新材料\n    chains",
            4,
            "kind",
            "unknown product kind",
        ),
        ("links:", "link:", 1, "link", "unknown section"),
        ("{from: adn, to: hda,", "{from: adn, to: hdx,", 19, "to", "unknown product id"),
        ("type: material-input", "type: feeds", 19, "type", "unknown or missing relation type"),
        ("type: material-input, ", "", 19, "type", "unknown or missing relation type"),
    ],
    ids=[
        "quote",
        "section",
        "industry",
        "aliases",
        "kind",
        "section-typo",
        "link-end",
        "link-type",
        "no-type",
    ],
)
def test_mistakes_name_file_line_and_key(
    tmp_path, fuling_plan, ids, old, new, line, column, message
):
    assert old in GOOD
    path, run = load(tmp_path, GOOD.replace(old, new), fuling_plan, ids)
    with pytest.raises(LoadError) as err:
        run()
    problem = next(p for p in err.value.problems if p.column == column)
    assert problem.file == str(path)
    assert problem.line == line
    assert message in problem.message


def test_domain_links_need_a_reason_and_cycles_are_refused(tmp_path, fuling_plan, ids):
    text = GOOD + "  - {from: hda, to: adn, type: material-input, basis: domain}\n"
    _, run = load(tmp_path, text, fuling_plan, ids)
    with pytest.raises(LoadError) as err:
        run()
    messages = [p.message for p in err.value.problems]
    assert "a domain-knowledge entry needs a reason" in messages
    assert any(m.startswith("supply links form a cycle") for m in messages)


def test_relation_types_supply_and_category(tmp_path, fuling_plan, ids):
    """Supply links are typed SupplyLink with a ck:supplies shortcut; a category link is
    not supply and states skos:broader; a non-supply link may close a loop of supply."""
    text = GOOD + (
        "  - {from: hda, to: adn, type: complement, basis: domain, reason: used together}\n"
        "  - {from: hda, to: nylon, type: category, basis: domain, reason: a kind of}\n"
    )
    text = text.replace(
        "links:",
        "  - {id: nylon, zh: 尼龙, kind: intermediate, industry: 新材料, basis: domain,"
        " reason: a polymer}\nlinks:",
    )
    _, run = load(tmp_path, text, fuling_plan, ids)
    g = run().graph
    p = "https://w3id.org/chainkg/product/"
    adn, hda, nylon = (URIRef(p + x) for x in ("adn", "hda", "nylon"))
    link = URIRef("https://w3id.org/chainkg/link/adn--hda")
    assert (link, CK.relationType, CK.MaterialInput) in g
    assert set(g.objects(link, RDF.type)) == {CK.ChainLink, CK.SupplyLink}
    assert set(g.objects(None, CK.supplies)) == {hda} and (adn, CK.supplies, hda) in g
    back = URIRef("https://w3id.org/chainkg/link/hda--adn")
    assert (back, CK.relationType, CK.ComplementRelation) in g
    assert (back, RDF.type, CK.SupplyLink) not in g
    assert (hda, SKOS.broader, nylon) in g and (hda, CK.supplies, nylon) not in g


def test_local_presence_quotes_the_plan(tmp_path, fuling_plan, ids):
    presence = (
        "presence:\n"
        "  - {product: adn, kind: upgrade, park: 白涛新材料科技城, source: ch3.1.1,"
        ' quote: "ADN（己二腈）"}\n'
    )
    _, run = load(tmp_path, GOOD + presence, fuling_plan, ids)
    g = run().graph
    (node,) = g.subjects(RDF.type, CK.LocalPresence)
    assert g.value(node, CK.product) == URIRef("https://w3id.org/chainkg/product/adn")
    assert g.value(node, CK.presenceKind) == CK.ExistingUnitUpgrade
    assert g.value(node, CK.evidenceText) == Literal("ADN（己二腈）", lang="zh")
    park = "/park/fu-ling-qu/bai-tao-xin-cai-liao-ke-ji-cheng"
    assert str(g.value(node, CK.inPark)).endswith(park)
    bad = (
        presence.replace("kind: upgrade", "kind: rumour")
        + "  - {product: adn, kind: built, basis: domain, reason: I think so}\n"
        + '  - {product: adn, kind: built, park: 月球, source: ch3.1.1, quote: "ADN"}\n'
    )
    _, run = load(tmp_path, GOOD + bad, fuling_plan, ids)
    with pytest.raises(LoadError) as err:
        run()
    found = {(p.line, p.column, p.message) for p in err.value.problems}
    assert found == {
        (22, "kind", "unknown presence kind"),
        (23, "quote", "local presence must quote the plan"),
        (24, "park", "unknown park"),
    }
