"""Turn a parsed :class:`~chainkg.loaders.plan.Plan` into RDF.

Every node carries ``prov:wasDerivedFrom`` the section it was read from; the
sections themselves carry their text, number, title and order, so a fact can
always be shown with the words of the plan behind it.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from chainkg.graph.namespaces import CK, QUDT, Ids, slug
from chainkg.loaders.items import NATURES, Curated, ItemFile
from chainkg.loaders.plan import Plan
from chainkg.loaders.plan_facts import Industry, Layout
from chainkg.loaders.text import Lexicon, Quantity, detail_items, name_and_detail, split_top

TIER = {
    "advantage": CK.AdvantagePillarTier,
    "distinctive": CK.DistinctivePillarTier,
    "service": CK.ProducerServiceTier,
    "cultivated": CK.CultivatedTier,
}
SECTION_CLASS = {
    "box": CK.Box,
    "table": CK.Table,
    "chapter": CK.Chapter,
    "section": CK.PlanSection,
    "subsection": CK.PlanSection,
}
NATURE = {"预期性": CK.Expected, "约束性": CK.Binding}
LEVEL = {
    "国家级": CK.NationalLevel,
    "省级": CK.ProvincialLevel,
    "市级": CK.MunicipalLevel,
    "区级": CK.DistrictLevel,
    "县级": CK.DistrictLevel,
}
ATTRACT_WORDS = ("引进", "引育", "招引", "引入", "引培", "招商")
STRENGTHEN_WORDS = (
    "扩大",
    "扩能",
    "扩产",
    "扩建",
    "技改",
    "技术改造",
    "做大",
    "做强",
    "壮大",
    "强链",
)
CLAUSE = re.compile(r"[^，。；：,;:！？\n]+")
PROJECT_WORDS = ("项目", "工程", "基地", "产业园", "装置", "生产线", "一体化", "电站", "风电场")


def products_made(text: str, products: Lexicon) -> list[object]:
    """What an item makes: the products named anywhere in its text, longest name first.

    Nothing is cut by characters, so 血液制品, 化学仿制药 and 高频微波印制电路板 match
    whole when the lexicon knows them. The one exception is a name followed by 制 and
    another known name (``A制B``: B is made from A): A is an input, not an output, so
    ``页岩气制乙二醇`` makes 乙二醇 only. Items the rule cannot read are reviewed in the
    dataset's item file (:mod:`chainkg.loaders.items`).
    """
    spans, at = [], 0
    for name, value in products.scan(text):
        start = text.find(name, at)
        at = start + len(name)
        spans.append((start, at, value))
    out: list[object] = []
    for i, (_, end, value) in enumerate(spans):
        if i + 1 < len(spans) and text[end : spans[i + 1][0]] == "制":
            continue  # A制B: A is what B is made from
        if value not in out:
            out.append(value)
    return out


def _intents(clause: str) -> list[URIRef]:
    return [
        intent
        for intent, words in (
            (CK.AttractIntent, ATTRACT_WORDS),
            (CK.StrengthenIntent, STRENGTHEN_WORDS),
        )
        if any(w in clause for w in words)
    ]


def _word_at(text: str, words: tuple[str, ...], last: bool = False) -> int:
    hits = [text.rfind(w) if last else text.find(w) for w in words]
    hits = [h for h in hits if h >= 0]
    return (max(hits) if last else min(hits)) if hits else -1


def _governed(clause: str, products: Lexicon) -> list[str]:
    """The parts of a clause an intent word governs: the whole clause when the word opens
    the 、 list before its first name (积极引育A、B企业) or closes it after the last
    (A、B等技术突破和引进); else each part on its own (a 专栏 line A项目、B扩建项目:
    only B is expanded)."""
    parts = split_top(clause, "、")
    if len(parts) < 2:
        return [clause]
    words = ATTRACT_WORDS + STRENGTHEN_WORDS
    first, last = parts[0], parts[-1]
    names = [n for n, _ in products.scan(first)]
    opens = _word_at(first, words)
    if opens >= 0 and (not names or opens < first.find(names[0])):
        return [clause]
    names = [n for n, _ in products.scan(last)]
    closes = _word_at(last, words, last=True)
    if closes >= 0 and (not names or closes > last.rfind(names[-1])):
        return [clause]
    return parts


def _chain_of(text: str, products: Lexicon) -> str:
    """Blank a name that only qualifies a chain (壮大页岩气深度利用产业链: the chain is
    meant, not 页岩气): one followed within six characters by 产业链."""
    at = 0
    for name, _ in products.scan(text):
        start = text.find(name, at)
        at = start + len(name)
        if "产业链" in text[at : at + 9]:
            text = text[:start] + "□" * len(name) + text[at:]
    return text


def plan_slug(plan: Plan) -> str:
    """Stable id of a plan: its region and period, e.g. ``fu-ling-qu-2022-2026``."""
    return f"{slug(plan.region)}-{plan.period[0]}-{plan.period[1]}"


def park_iri(ids: Ids, plan: Plan, name: str) -> URIRef:
    """A park of the plan's region, e.g. ``park/fu-ling-qu/lin-gang-jing-ji-qu``: parks of two
    districts may share a name (高新区), so a park's IRI names its region."""
    return ids.of("park", name, slug(plan.region))


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class PlanMapper:
    """Builds the plan's graph; ``products`` maps product names and aliases to IRIs."""

    def __init__(
        self,
        plan: Plan,
        ids: Ids,
        products: Lexicon | None = None,
        chains: Lexicon | None = None,
        curated: ItemFile | None = None,
    ) -> None:
        self.plan, self.ids = plan, ids
        self.products = products or Lexicon()
        self.chains = chains or Lexicon()
        self.curated = curated
        self.key = plan_slug(plan)
        self.g = Graph()
        self.plan_iri = ids.iri("plan", self.key)
        self.names = Lexicon()  # everything a layout may host, in order of preference
        self.segments: dict[tuple[str, str], URIRef] = {}
        self.platforms = Lexicon()

    # -- helpers ---------------------------------------------------------------------------
    def sec(self, sid: str) -> URIRef:
        return self.ids.iri("plan", self.key, sid)

    def node(self, iri: URIRef, cls: URIRef, label: str, sid: str | None) -> URIRef:
        self.g.add((iri, RDF.type, cls))
        self.g.add((iri, RDFS.label, zh(label)))
        if sid:
            self.g.add((iri, PROV.wasDerivedFrom, self.sec(sid)))
        return iri

    def industry_iri(self, name: str) -> URIRef:
        return self.ids.of("industry", name, self.key)

    def segment(self, industry: str, name: str, sid: str, detail: str | None = None) -> URIRef:
        key = (industry, name)
        if key not in self.segments:
            iri = self.ids.iri("segment", self.key, slug(industry), slug(name))
            self.node(iri, CK.IndustrySegment, name, sid)
            self.g.add((iri, SKOS.prefLabel, zh(name)))
            self.g.add((iri, CK.inIndustry, self.industry_iri(industry)))
            self.g.add((iri, SKOS.broader, self.industry_iri(industry)))
            if detail:
                self.g.add((iri, CK.detail, zh(detail)))
                for p in products_made(detail, self.products):  # 生物技术药（蛋白类药物开发）
                    self.g.add((iri, CK.aboutProduct, URIRef(str(p))))
            self.segments[key] = iri
            self.names.add(name, iri)
        return self.segments[key]

    def capacity(self, owner: URIRef, q: Quantity, products: list[URIRef], sid: str) -> None:
        iri = URIRef(str(owner) + "/capacity")
        self.g.add((iri, PROV.wasDerivedFrom, self.sec(sid)))
        self.g.add((owner, CK.hasCapacity, iri))
        self.g.add((iri, RDF.type, CK.Capacity))
        self.g.add((iri, QUDT.numericValue, Literal(q.value, datatype=XSD.decimal)))
        self.g.add((iri, CK.unitText, Literal(q.unit)))
        self.g.add((iri, CK.perYear, Literal(q.per_year)))
        self.g.add((iri, RDFS.label, zh(q.text)))
        for p in products[:1]:
            self.g.add((iri, CK.product, p))

    # -- the parts -------------------------------------------------------------------------
    def build(self) -> Graph:
        """The whole plan as one graph."""
        self.sections()
        self.region_and_parks()
        for ind in self.plan.industries:
            self.industry(ind)
        for plat in self.plan.platforms:
            iri = self.node(
                self.ids.of("platform", plat.name, slug(self.plan.region)),
                CK.InnovationPlatform,
                plat.name,
                plat.section,
            )
            if plat.industry:
                self.g.add((iri, CK.inIndustry, self.industry_iri(plat.industry)))
            self.names.add(plat.name, iri)
            self.platforms.add(plat.name, iri)
        self.items()
        for layout in self.plan.layouts:
            self.layout(layout)
        self.indicators()
        self.targets()
        self.statements()
        self.clusters()
        for name, sid in self.plan.future:
            self.node(
                self.ids.iri("future-industry", self.key, slug(name)), CK.FutureIndustry, name, sid
            )
        return self.g

    def sections(self) -> None:
        p, g = self.plan, self.g
        g.add((self.plan_iri, RDF.type, CK.Plan))
        g.add((self.plan_iri, RDFS.label, zh(p.title)))
        g.add((self.plan_iri, DCTERMS.title, zh(p.title)))
        if p.issued:
            g.add((self.plan_iri, DCTERMS.issued, Literal(p.issued, datatype=XSD.date)))
        for s in p.sections:
            iri = self.sec(s.id)
            g.add((self.plan_iri, CK.section, iri))
            g.add((iri, RDF.type, SECTION_CLASS.get(s.kind, CK.PlanSection)))
            g.add((iri, RDFS.label, zh(" ".join(x for x in (s.number, s.title) if x) or "前言")))
            if s.title:
                g.add((iri, DCTERMS.title, zh(s.title)))
            g.add((iri, CK.sectionNumber, Literal(s.number or s.id)))
            g.add((iri, CK.sectionText, zh(s.text)))
            g.add((iri, CK.sectionOrder, Literal(s.order)))
            g.add((iri, CK.inPlan, self.plan_iri))
            if s.parent:
                g.add((iri, DCTERMS.isPartOf, self.sec(s.parent)))

    def region_and_parks(self) -> None:
        region = self.node(
            self.ids.of("region", self.plan.region), CK.Region, self.plan.region, "preamble"
        )
        self.g.add((self.plan_iri, CK.planRegion, region))
        for park in self.plan.parks:
            sids = [lay.section for lay in self.plan.layouts if lay.park == park]
            iri = self.node(park_iri(self.ids, self.plan, park), CK.Park, park, None)
            for sid in dict.fromkeys(sids):
                self.g.add((iri, PROV.wasDerivedFrom, self.sec(sid)))
            self.g.add((iri, CK.inRegion, region))

    def industry(self, ind: Industry) -> None:
        iri = self.node(self.industry_iri(ind.name), CK.Industry, ind.name, ind.section)
        self.g.add((iri, SKOS.prefLabel, zh(ind.name)))
        if ind.tier in TIER:
            self.g.add((iri, CK.tier, TIER[ind.tier]))
        if ind.tier_text:
            self.g.add((iri, CK.tierName, zh(ind.tier_text)))
        if ind.narrative:
            self.g.add((iri, PROV.wasDerivedFrom, self.sec(ind.narrative)))
        self.names.add(ind.name, iri)
        for seg in ind.segments:
            self.segment(ind.name, seg.name, seg.section, seg.detail)

    def items(self) -> None:
        seen: set[URIRef] = set()
        for item in self.plan.items:
            iri = self.ids.iri("item", self.key, item.section, slug(item.text))
            while iri in seen:
                iri = URIRef(str(iri) + "-2")
            seen.add(iri)
            is_project = item.capacity or any(w in item.text for w in PROJECT_WORDS)
            self.node(iri, CK.Project if is_project else CK.PlanItem, item.text, item.section)
            self.g.add((iri, CK.itemText, zh(item.text)))
            self.g.add((iri, CK.inIndustry, self.industry_iri(item.industry)))
            if item.segment:
                self.g.add(
                    (iri, CK.inSegment, self.segment(item.industry, item.segment, item.section))
                )
            made = [URIRef(str(p)) for p in products_made(item.text, self.products)]
            entry = self.curated.get(item.section, item.text) if self.curated else None
            if entry is not None:
                made = self.reviewed(iri, entry, made)
            for p in made:
                self.g.add((iri, CK.makesProduct, p))
            for part in item.parts:
                self.g.add((iri, CK.detail, zh(part)))
            if item.capacity:
                self.capacity(iri, item.capacity, made, item.section)

    def reviewed(self, item: URIRef, entry: Curated, made: list[URIRef]) -> list[URIRef]:
        """Apply the item file's entry: its products replace the scanned ones, its nature
        is stated, and the item is linked to the file row (``prov:wasInfluencedBy``, so
        ``prov:wasDerivedFrom`` keeps naming only the plan section)."""
        assert self.curated is not None
        row = self.ids.iri("source", "items", self.key, f"line-{entry.line}")
        self.g.add((row, RDF.type, CK.RegistryRow))
        self.g.add((row, CK.sourceFile, Literal(self.curated.path.name)))
        self.g.add((row, CK.lineNumber, Literal(entry.line)))
        self.g.add((row, CK.note, Literal(entry.note, lang="en")))
        self.g.add((item, PROV.wasInfluencedBy, row))
        if entry.nature:
            self.g.add((item, CK.itemNature, NATURES[entry.nature]))
        if entry.products is None:
            return made
        return [self.ids.iri("product", p) for p in entry.products]

    def resolve_host(self, label: str, industry: str | None) -> list[URIRef]:
        """What a layout line names: industry, segment, platform, chain or products.

        Only what the line clearly names is linked; text that names nothing known
        stays in ``ck:hostedLabel`` and the park hosts the box's industry.
        """
        name, detail = name_and_detail(label)
        name = re.sub(r"(产业园区|产业园|园区|产业|基地)$", "", name) or name
        found = self._known(name, industry)
        for part in detail_items(detail) if not industry else []:
            found += [f for f in self._known(part, None) if f not in found]
        if not found and industry:
            found = [self.industry_iri(industry)]
        return found

    def _known(self, name: str, industry: str | None) -> list[URIRef]:
        if name in {i.name for i in self.plan.industries}:
            return [self.industry_iri(name)]
        segs = Lexicon()
        for (ind, seg), iri in self.segments.items():
            if industry in (None, ind):
                segs.add(seg, iri)
        for cand in (segs, self.platforms):
            hits = [n for n in cand.names() if n == name or n.endswith(name)]
            if industry and cand is segs:
                hits += [n for n in cand.names() if len(n) >= 3 and n in name]
            if hits:
                return [URIRef(str(cand.get(max(hits, key=len))))]
        out = [URIRef(str(c)) for c in self.chains.values_in(name)]
        out += [URIRef(str(p)) for p in self.products.values_in(name) if URIRef(str(p)) not in out]
        return out

    def layout(self, lay: Layout) -> None:
        park = park_iri(self.ids, self.plan, lay.park)
        for label in lay.hosts:
            iri = self.ids.iri("layout", self.key, lay.section, slug(lay.park), slug(label))
            self.g.add((iri, RDF.type, CK.ParkLayout))
            self.g.add((iri, RDFS.label, zh(f"{lay.park}：{label}")))
            self.g.add((iri, CK.park, park))
            self.g.add((iri, CK.hostedLabel, zh(label)))
            self.g.add((iri, PROV.wasDerivedFrom, self.sec(lay.section)))
            for host in self.resolve_host(label, lay.industry):
                self.g.add((iri, CK.hosts, host))
                self.g.add((host, CK.inPark, park))

    def indicators(self) -> None:
        for ind in self.plan.indicators:
            iri = self.node(
                self.ids.iri(
                    "indicator", self.key, *[slug(n) for n in (ind.parent, ind.name) if n]
                ),
                CK.Indicator,
                ind.name,
                ind.section,
            )
            group = self.ids.iri("indicator-group", self.key, slug(ind.group))
            self.node(group, CK.IndicatorGroup, ind.group, ind.section)
            self.g.add((iri, CK.indicatorGroup, group))
            self.g.add((iri, CK.nature, NATURE.get(ind.nature, CK.Expected)))
            self.g.add((iri, CK.unitText, Literal(ind.unit)))
            for prop, value in ((CK.baselineValue, ind.baseline), (CK.targetValue, ind.target)):
                if value is not None:
                    self.g.add((iri, prop, Literal(value, datatype=XSD.decimal)))
            self.g.add((iri, CK.baselineYear, Literal(str(ind.baseline_year), datatype=XSD.gYear)))
            self.g.add((iri, CK.targetYear, Literal(str(ind.target_year), datatype=XSD.gYear)))
            if ind.target_text:
                self.g.add((iri, CK.targetText, zh(ind.target_text)))
            if ind.number:
                self.g.add((iri, CK.sectionNumber, Literal(ind.number)))
            if ind.parent:
                self.g.add(
                    (iri, CK.parentIndicator, self.ids.iri("indicator", self.key, slug(ind.parent)))
                )
            if ind.industry:
                self.g.add((iri, CK.measuresIndustry, self.industry_iri(str(ind.industry))))
            if ind.park:
                self.g.add((iri, CK.measuresPark, park_iri(self.ids, self.plan, ind.park)))

    def targets(self) -> None:
        for t in self.plan.targets:
            iri = self.node(
                self.ids.iri("target", self.key, t.section, slug(t.text)),
                CK.AttractionTarget,
                t.text,
                t.section,
            )
            self.g.add((iri, CK.firmKind, zh(t.text)))
            self.g.add((iri, CK.inIndustry, self.industry_iri(t.industry)))
            for p in self.products.values_in(t.text):
                self.g.add((iri, CK.aboutProduct, URIRef(str(p))))
            for (ind, seg), seg_iri in self.segments.items():
                if ind == t.industry and seg in t.text:
                    self.g.add((iri, CK.aboutSegment, seg_iri))

    def statements(self) -> None:
        """Clauses that ask to attract (引进/引育 …) or to strengthen (扩大/做强 …) products.

        A clause is the text between Chinese punctuation; its products are read with the
        same whole-name rule as items (:func:`products_made`, so 页岩气制乙炔 names 乙炔).
        One statement per clause that names a product and an intent word, wherever it
        stands in the plan (prose, 专栏 or table)."""
        blank = sorted((i.name for i in self.plan.industries), key=len, reverse=True)
        for sec in self.plan.sections:
            n = 0
            for clause in (
                c for whole in CLAUSE.findall(sec.text) for c in _governed(whole, self.products)
            ):
                intents = _intents(clause)
                if not intents:  # most clauses: no product scan needed
                    continue
                text = clause
                for name in blank:  # 新能源与智能网联汽车 is an industry, not the product
                    text = text.replace(name, "□" * len(name))
                made = products_made(_chain_of(text, self.products), self.products)
                if not made:
                    continue
                n += 1
                iri = self.ids.iri("statement", self.key, sec.id, str(n))
                self.g.add((iri, RDF.type, CK.PlanStatement))
                self.g.add((iri, CK.statementText, zh(clause.strip())))
                self.g.add((iri, PROV.wasDerivedFrom, self.sec(sec.id)))
                for intent in intents:
                    self.g.add((iri, CK.intent, intent))
                for p in made:
                    self.g.add((iri, CK.aboutProduct, URIRef(str(p))))

    def clusters(self) -> None:
        for c in self.plan.clusters:
            iri = self.node(
                self.ids.iri("cluster", self.key, slug(c.industry)),
                CK.Cluster,
                f"{c.industry}{c.level}产业集群",
                c.section,
            )
            self.g.add((iri, CK.clusterOf, self.industry_iri(c.industry)))
            self.g.add((iri, CK.clusterLevel, LEVEL[c.level]))
            if c.scale:
                self.g.add((iri, CK.scaleText, zh(c.scale)))
                self.g.add((iri, PROV.wasDerivedFrom, self.sec(c.scale_section or c.section)))
            if c.scale_value is not None:
                self.g.add((iri, CK.scaleValue, Literal(c.scale_value, datatype=XSD.decimal)))


def plan_graph(
    plan: Plan,
    ids: Ids,
    products: Lexicon | None = None,
    chains: Lexicon | None = None,
    curated: ItemFile | None = None,
) -> Graph:
    """The RDF of ``plan``; ``products`` and ``chains`` map names to IRIs for linking;
    ``curated`` is the dataset's reviewed item file, if any."""
    return PlanMapper(plan, ids, products, chains, curated).build()
