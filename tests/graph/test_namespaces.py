"""One module of IRIs: every ck: term the code uses is a term of the ontology."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from chainkg.graph.namespaces import CK, ONTOLOGY_IRI, Ids, slug
from chainkg.ontology import ontology_text

ROOT = Path(__file__).resolve().parents[2]


def declared() -> set[str]:
    g = Graph().parse(data=ontology_text(), format="turtle")
    return {
        str(s).split("#")[1]
        for s in g.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY_IRI + "#")
    }


def test_terms_used_in_code_and_queries_exist():
    used: set[str] = set()
    for folder in ("api", "graph", "loaders", "queries", "viz"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".rq"):
                text = path.read_text(encoding="utf-8")
                used |= set(re.findall(r"\bCK\.([A-Za-z]\w*)", text))
                used |= set(re.findall(r"\bck:([A-Za-z]\w*)", text))
    assert used, "expected the code to use ck: terms"
    missing = used - declared()
    assert not missing, f"used but not in the ontology: {sorted(missing)}"


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        CK.Prodcut  # noqa: B018


def test_slugs_are_stable_readable_and_bounded():
    assert slug("己二酸") == "ji-er-suan"
    assert slug("年产12GWh动力电池") == "nian-chan-12gwh-dong-li-dian-chi"
    long = slug("白涛新材料科技城规模以上战略性新兴产业产值增加值占比提升目标")
    assert len(long) <= 67 and long == slug(
        "白涛新材料科技城规模以上战略性新兴产业产值增加值占比提升目标"
    )
    assert Ids("https://example.org/kg").of("park", "临港经济区") == URIRef(
        "https://example.org/kg/park/lin-gang-jing-ji-qu"
    )
