"""Generate a national-scale chain graph in the chainkg vocabulary, as N-Quads.

Provinces → districts → parks → enterprises → products, over a layered product taxonomy
with chain links (a DAG: every link goes from a lower layer to a higher one). The layout is
the product's: the taxonomy and links in a chains graph (``ck:Product``, ``ck:ChainLink``
with ``ck:upstream``, ``ck:downstream``, ``ck:evidenceKind``, ``prov:wasDerivedFrom``), and
regions, parks, enterprises and production facts (``ck:Production`` with ``ck:producer``,
``ck:product``, ``ck:inPark``, ``ck:status``, ``ck:confidence``, ``prov:wasDerivedFrom`` a
``ck:RegistryRow``) in a registry graph; zh and en ``rdfs:label`` and ``skos:altLabel``.

The size is a target triple count: the taxonomy and geography grow with it, and
enterprises are written until the target is reached (it is passed by less than one
enterprise's triples). Lines are streamed to the file; only the taxonomy and the list of
parks are held in memory. The same seed and size give byte-identical output.

    python bench/generator.py --triples 1000000 --seed 7 -o /tmp/national-1m.nq
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

BASE = "https://w3id.org/chainkg/"
CK = "https://w3id.org/chainkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SKOS_BROADER = "http://www.w3.org/2004/02/skos/core#broader"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
XSD = "http://www.w3.org/2001/XMLSchema#"
KEY = "national"
CHAINS_GRAPH = f"{BASE}graph/chains/{KEY}"
REGISTRY_GRAPH = f"{BASE}graph/registry/{KEY}"

KINDS = ("RawMaterial", "Intermediate", "Component", "EndProduct", "Equipment", "Service")
# the product kind of each taxonomy layer, from the most upstream to the most downstream
LAYER_KINDS = ("RawMaterial", "Intermediate", "Intermediate", "Component", "EndProduct")
STATUSES = ("Operating",) * 6 + ("UnderConstruction", "Signed", "Planned")
CONFIDENCES = ("Sourced",) * 3 + ("Uncertain", "Expected")
INDUSTRIES = (
    ("新材料", "new materials"),
    ("电子信息", "electronics"),
    ("新能源", "new energy"),
    ("生物医药", "biomedicine"),
    ("高端装备", "advanced equipment"),
    ("绿色化工", "green chemicals"),
    ("智能网联汽车", "connected vehicles"),
    ("现代食品", "modern food"),
)
STEMS = (
    ("硅", "silicon"),
    ("锂", "lithium"),
    ("铝", "aluminium"),
    ("聚酰胺", "polyamide"),
    ("己二酸", "adipic acid"),
    ("乙烯", "ethylene"),
    ("碳纤维", "carbon fibre"),
    ("稀土", "rare earth"),
    ("氢", "hydrogen"),
    ("玻璃", "glass"),
    ("芯片", "chip"),
    ("电池", "battery"),
    ("电机", "motor"),
    ("传感器", "sensor"),
    ("树脂", "resin"),
    ("疫苗", "vaccine"),
)
FORMS = (
    ("", ""),
    ("高纯", "high-purity "),
    ("改性", "modified "),
    ("特种", "special "),
    ("精制", "refined "),
)
TAILS = (("材料", " material"), ("组件", " module"), ("膜", " film"), ("制品", " goods"), ("", ""))
PROVINCES = (
    ("北京", "Beijing"), ("天津", "Tianjin"), ("河北", "Hebei"), ("山西", "Shanxi"),
    ("内蒙古", "Inner Mongolia"), ("辽宁", "Liaoning"), ("吉林", "Jilin"),
    ("黑龙江", "Heilongjiang"), ("上海", "Shanghai"), ("江苏", "Jiangsu"),
    ("浙江", "Zhejiang"), ("安徽", "Anhui"), ("福建", "Fujian"), ("江西", "Jiangxi"),
    ("山东", "Shandong"), ("河南", "Henan"), ("湖北", "Hubei"), ("湖南", "Hunan"),
    ("广东", "Guangdong"), ("广西", "Guangxi"), ("海南", "Hainan"), ("重庆", "Chongqing"),
    ("四川", "Sichuan"), ("贵州", "Guizhou"), ("云南", "Yunnan"), ("西藏", "Tibet"),
    ("陕西", "Shaanxi"), ("甘肃", "Gansu"), ("青海", "Qinghai"), ("宁夏", "Ningxia"),
    ("新疆", "Xinjiang"),
)  # fmt: skip
PLACE = ("东", "西", "南", "北", "新", "江", "河", "山", "湖", "港", "安", "兴", "华", "泰", "龙")
PLACE_EN = ("dong", "xi", "nan", "bei", "xin", "jiang", "he", "shan", "hu", "gang", "an",
            "xing", "hua", "tai", "long")  # fmt: skip
FIRM = ("华", "中", "宏", "瑞", "恒", "鑫", "博", "盛", "达", "远", "创", "锦", "信", "德", "宇")
FIRM_EN = ("hua", "zhong", "hong", "rui", "heng", "xin", "bo", "sheng", "da", "yuan", "chuang",
           "jin", "xin", "de", "yu")  # fmt: skip
FIRM_TAIL = (("科技", "Technology"), ("材料", "Materials"), ("化工", "Chemicals"),
             ("电子", "Electronics"), ("新能源", "New Energy"),
             ("制造", "Manufacturing"))  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """Sizes derived from the target triple count."""

    triples: int
    products: int
    links_per_product: float
    districts_per_province: int
    parks_per_district: int

    @classmethod
    def for_triples(cls, triples: int) -> Plan:
        products = max(60, min(60_000, triples // 200))
        parks = max(8, triples // 2_000)
        per_province = max(1, round((parks / len(PROVINCES)) ** 0.5))
        parks_per_district = max(1, round(parks / (len(PROVINCES) * per_province)))
        return cls(triples, products, 2.5, per_province, parks_per_district)

    @property
    def layer_size(self) -> int:
        return -(-self.products // len(LAYER_KINDS))


def iri(*parts: str) -> str:
    return "<" + BASE + "/".join(parts) + ">"


def ck(term: str) -> str:
    return f"<{CK}{term}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^<{datatype}>'
    return f'"{body}"'


def product_iri(i: int) -> str:
    return iri("product", f"p{i:06d}")


def product_names(i: int) -> tuple[str, str, str]:
    """zh label, en label and an alias of product ``i`` (unique by its number)."""
    stem_zh, stem_en = STEMS[i % len(STEMS)]
    form_zh, form_en = FORMS[(i // len(STEMS)) % len(FORMS)]
    tail_zh, tail_en = TAILS[(i // (len(STEMS) * len(FORMS))) % len(TAILS)]
    zh = f"{form_zh}{stem_zh}{tail_zh}{i}"
    en = f"{form_en}{stem_en}{tail_en} {i}".strip().capitalize()
    return zh, en, f"{stem_zh}{tail_zh}-{i}"


class Writer:
    """Counts and writes quads to a text stream."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.count = out, 0

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.out.write(f"{s} {p} {o} <{g}> .\n")
        self.count += 1


def _taxonomy(w: Writer, plan: Plan, rng: random.Random) -> None:
    g = CHAINS_GRAPH
    for k, (zh, en) in enumerate(INDUSTRIES):
        ind = iri("industry", KEY, f"i{k}")
        w.quad(ind, f"<{RDF_TYPE}>", ck("Industry"), g)
        w.quad(ind, f"<{RDFS_LABEL}>", lit(zh, "zh"), g)
        w.quad(ind, f"<{RDFS_LABEL}>", lit(en, "en"), g)
    size = plan.layer_size
    for i in range(plan.products):
        p = product_iri(i)
        zh, en, alias = product_names(i)
        w.quad(p, f"<{RDF_TYPE}>", ck("Product"), g)
        w.quad(p, f"<{RDFS_LABEL}>", lit(zh, "zh"), g)
        w.quad(p, f"<{RDFS_LABEL}>", lit(en, "en"), g)
        w.quad(p, f"<{SKOS_ALT}>", lit(alias), g)
        w.quad(p, ck("productKind"), ck(LAYER_KINDS[min(i // size, len(LAYER_KINDS) - 1)]), g)
        w.quad(p, ck("inIndustry"), iri("industry", KEY, f"i{i % len(INDUSTRIES)}"), g)
    # links: each product above layer 0 takes inputs from lower layers (a DAG)
    seen: set[tuple[int, int]] = set()
    n = 0
    for down in range(size, plan.products):
        layer = down // size
        inputs = 1 + int(rng.random() * 2 * (plan.links_per_product - 1) + 0.5)
        for _ in range(inputs):
            src_layer = layer - 1 if rng.random() < 0.75 else rng.randrange(layer)
            up = min(src_layer * size + rng.randrange(size), plan.products - 1)
            if (up, down) in seen or up // size >= layer:
                continue
            seen.add((up, down))
            n += 1
            link = iri("link", f"p{up:06d}--p{down:06d}")
            row = iri("source", "chains", f"link-{n}")
            w.quad(link, f"<{RDF_TYPE}>", ck("ChainLink"), g)
            w.quad(link, ck("upstream"), product_iri(up), g)
            w.quad(link, ck("downstream"), product_iri(down), g)
            evidence = "DomainKnowledge" if rng.random() < 0.6 else "RegistryEvidence"
            w.quad(link, ck("evidenceKind"), ck(evidence), g)
            w.quad(link, f"<{PROV_DERIVED}>", row, g)
            w.quad(row, f"<{RDF_TYPE}>", ck("RegistryRow"), g)
            w.quad(row, ck("lineNumber"), lit(str(n), datatype=XSD + "integer"), g)
            if evidence == "DomainKnowledge":
                w.quad(link, ck("reason"), lit(f"{product_names(up)[0]}是上游原料", "zh"), g)


def _place(rng: random.Random) -> tuple[str, str]:
    a, b = rng.randrange(len(PLACE)), rng.randrange(len(PLACE))
    return PLACE[a] + PLACE[b], (PLACE_EN[a] + PLACE_EN[b]).capitalize()


def _geography(w: Writer, plan: Plan, rng: random.Random) -> list[str]:
    g, parks = REGISTRY_GRAPH, []
    for a, (pzh, pen) in enumerate(PROVINCES):
        prov = iri("region", f"r{a:02d}")
        w.quad(prov, f"<{RDF_TYPE}>", ck("Region"), g)
        w.quad(prov, f"<{RDFS_LABEL}>", lit(pzh + "省", "zh"), g)
        w.quad(prov, f"<{RDFS_LABEL}>", lit(pen + " Province", "en"), g)
        for b in range(plan.districts_per_province):
            dist = iri("region", f"r{a:02d}", f"d{b:03d}")
            zh, en = _place(rng)
            w.quad(dist, f"<{RDF_TYPE}>", ck("Region"), g)
            w.quad(dist, f"<{RDFS_LABEL}>", lit(f"{pzh}{zh}区{b}", "zh"), g)
            w.quad(dist, f"<{RDFS_LABEL}>", lit(f"{pen} {en} District {b}", "en"), g)
            w.quad(dist, f"<{SKOS_BROADER}>", prov, g)
            for c in range(plan.parks_per_district):
                park = iri("park", f"r{a:02d}", f"d{b:03d}", f"k{c:02d}")
                zh2, en2 = _place(rng)
                w.quad(park, f"<{RDF_TYPE}>", ck("Park"), g)
                w.quad(park, f"<{RDFS_LABEL}>", lit(f"{zh}{zh2}经济开发区{a}-{b}-{c}", "zh"), g)
                w.quad(park, f"<{RDFS_LABEL}>", lit(f"{en2} Economic Zone {a}-{b}-{c}", "en"), g)
                w.quad(park, f"<{SKOS_ALT}>", lit(f"{zh2}园区{a}-{b}-{c}"), g)
                w.quad(park, ck("inRegion"), dist, g)
                parks.append(park)
    return parks


def _enterprises(w: Writer, plan: Plan, parks: list[str], rng: random.Random) -> int:
    g, n, line = REGISTRY_GRAPH, 0, 0
    gyear = XSD + "gYear"
    while w.count < plan.triples:
        n += 1
        ent = iri("enterprise", f"e{n:07d}")
        name = "".join(rng.choice(FIRM) for _ in range(2))
        tail_zh, tail_en = rng.choice(FIRM_TAIL)
        syll = "".join(FIRM_EN[FIRM.index(c)] for c in name).capitalize()
        park = parks[int(len(parks) * rng.random() ** 1.5)]  # a few parks host many firms
        w.quad(ent, f"<{RDF_TYPE}>", ck("Enterprise"), g)
        w.quad(ent, f"<{RDFS_LABEL}>", lit(f"{name}{tail_zh}有限公司{n}", "zh"), g)
        w.quad(ent, f"<{RDFS_LABEL}>", lit(f"{syll} {tail_en} Co., Ltd. {n}", "en"), g)
        if n % 3 == 0:
            w.quad(ent, f"<{SKOS_ALT}>", lit(f"{name}{tail_zh}{n}"), g)
        w.quad(ent, ck("inPark"), park, g)
        for prod in rng.sample(range(plan.products), 1 + int(rng.random() ** 2 * 4)):
            line += 1
            row = iri("source", "registry", KEY, f"line-{line}")
            fact = iri("production", KEY, f"e{n:07d}", f"p{prod:06d}")
            w.quad(row, f"<{RDF_TYPE}>", ck("RegistryRow"), g)
            w.quad(row, f"<{RDFS_LABEL}>", lit(f"{KEY}.csv:{line}"), g)
            w.quad(row, ck("sourceFile"), lit(f"{KEY}.csv"), g)
            w.quad(row, ck("lineNumber"), lit(str(line), datatype=XSD + "integer"), g)
            w.quad(ent, f"<{PROV_DERIVED}>", row, g)
            w.quad(ent, ck("makesProduct"), product_iri(prod), g)
            w.quad(fact, f"<{RDF_TYPE}>", ck("Production"), g)
            w.quad(fact, ck("producer"), ent, g)
            w.quad(fact, ck("product"), product_iri(prod), g)
            w.quad(fact, ck("inPark"), park, g)
            w.quad(fact, ck("status"), ck(rng.choice(STATUSES)), g)
            w.quad(fact, ck("confidence"), ck(rng.choice(CONFIDENCES)), g)
            w.quad(fact, ck("asOf"), lit(str(2018 + rng.randrange(8)), datatype=gyear), g)
            w.quad(fact, f"<{PROV_DERIVED}>", row, g)
    return n


def generate(out: TextIO, triples: int, seed: int = 7) -> dict[str, int]:
    """Write about ``triples`` quads to ``out``; returns counts of what was written."""
    plan = Plan.for_triples(triples)
    rng = random.Random(seed)
    w = Writer(out)
    _taxonomy(w, plan, rng)
    parks = _geography(w, plan, rng)
    enterprises = _enterprises(w, plan, parks, rng)
    return {
        "triples": w.count,
        "products": plan.products,
        "parks": len(parks),
        "enterprises": enterprises,
    }


def write(path: Path, triples: int, seed: int = 7) -> dict[str, int]:
    """Generate into ``path`` (UTF-8, LF line ends, 1 MiB buffered writes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
        return generate(fh, triples, seed)


def sample_products(triples: int) -> Iterator[str]:
    """IRIs (without brackets) of the most downstream products, last first."""
    plan = Plan.for_triples(triples)
    for i in range(plan.products - 1, -1, -1):
        yield product_iri(i)[1:-1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="target triple count")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Quads file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    counts = write(args.output, args.triples, args.seed)
    secs = time.perf_counter() - start
    print(
        f"wrote {counts['triples']:,} quads ({counts['products']:,} products, "
        f"{counts['parks']:,} parks, {counts['enterprises']:,} enterprises) "
        f"to {args.output} in {secs:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
