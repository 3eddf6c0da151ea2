"""Industries of the plan's industry system: a list and one page per industry.

Both are plain dicts and lists (one JSON model for the API and the HTML page),
built from the named queries ``industries.rq`` and ``industry-*.rq``, each with
the industry bound as an RDF term. Every fact keeps the section it comes from.
"""

from __future__ import annotations

from chainkg.graph.namespaces import Ids
from chainkg.queries.indicators import indicators, measuring, number, summary, year
from chainkg.queries.rows import grouped, run, text, unique
from chainkg.queries.search import class_name, code, entity_id, local_name, pick, ref


def sections(rows: list[dict], ids: Ids | None, key: str = "section") -> list[dict]:
    """The distinct source sections named in ``rows`` (``section`` and ``section_label``)."""
    return unique(ref(r.get(key), r.get(f"{key}_label"), ids) for r in rows)


def first(rows: list[dict], key: str) -> str | None:
    """The first bound value of ``key`` in ``rows``, as text."""
    return next((str(r[key]) for r in rows if r.get(key) is not None), None)


def capacity(row: dict) -> dict | None:
    """``{"value", "unit", "per_year", "label"}`` from a row's capacity columns."""
    if row.get("value") is None and row.get("unit") is None:
        return None
    per_year = row.get("per_year")
    return {
        "value": number(row.get("value")),
        "unit": text(row.get("unit")),
        "per_year": None if per_year is None else str(per_year) == "true",
        "label": text(row.get("capacity_label")),
    }


def industries(store, ids: Ids | None = None) -> list[dict]:
    """Every industry in plan order with tier, counts and its indicator's 2021 value and target."""
    measured = indicators(store, ids)
    out = []
    for iri, rows in grouped(run(store, "industries"), "industry").items():
        row = rows[0]
        found = measuring(measured, "industry", iri)
        out.append(
            {
                "iri": iri,
                "id": entity_id(iri, ids),
                "label": text(row.get("label")),
                "label_en": text(row.get("label_en")),
                "tier": code(row, "tier"),
                "tier_name": text(row.get("tier_name")),
                "segments": number(row.get("segments")),
                "products": number(row.get("products")),
                "indicator": summary(found[0] if found else None),
            }
        )
    return out


def industry(store, key: str, ids: Ids | None = None) -> dict | None:
    """The page of the industry named by ``key`` (slug, id, IRI, zh or en label), or None."""
    entry = pick(industries(store, ids), key)
    if entry is None:
        return None
    iri = entry["iri"]
    return entry | {
        "segments": segments(store, iri, ids),
        "chains": chains(store, iri, ids),
        "products": products(store, iri, ids),
        "items": items(store, iri, ids),
        "targets": targets(store, iri, ids),
        "clusters": clusters(store, iri, ids),
        "platforms": platforms(store, iri, ids),
        "parks": parks(store, iri, ids),
        "enterprises": enterprises(store, iri, ids),
        "sources": sources(store, iri, ids),
        "counts": {"segments": entry["segments"], "products": entry["products"]},
    }


def segments(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The industry's segments with details, broader segment and source sections."""
    out = []
    for seg, rows in grouped(run(store, "industry-segments", industry=iri), "segment").items():
        out.append(
            ref(seg, first(rows, "label"), ids)
            | {
                "label_en": first(rows, "label_en"),
                "details": unique(text(r.get("detail")) for r in rows),
                "broader": ref(first(rows, "broader"), None, ids),
                "sections": sections(rows, ids),
            }
        )
    return out


def chains(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The industry's named chains with the plan's words, product count and sections."""
    out = []
    for chain, rows in grouped(run(store, "industry-chains", industry=iri), "chain").items():
        out.append(
            ref(chain, first(rows, "label"), ids)
            | {
                "label_en": first(rows, "label_en"),
                "quotes": unique(text(r.get("quote")) for r in rows),
                "products": number(rows[0].get("products")),
                "sections": sections(rows, ids),
            }
        )
    return out


def products(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The industry's chain products with kind, aliases and chains."""
    out = []
    for product, rows in grouped(run(store, "industry-products", industry=iri), "product").items():
        kind = first(rows, "kind")
        out.append(
            ref(product, first(rows, "label"), ids)
            | {
                "label_en": first(rows, "label_en"),
                "kind": None
                if kind is None
                else {
                    "iri": kind,
                    "name": local_name(kind),
                    "label": first(rows, "kind_label"),
                    "label_en": first(rows, "kind_label_en"),
                },
                "aliases": unique(text(r.get("alias")) for r in rows),
                "chains": unique(entity_id(str(r["chain"]), ids) for r in rows if r.get("chain")),
            }
        )
    return out


def items(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The industry's plan items and projects, in plan order, with capacity and section."""
    out = []
    for item, rows in grouped(run(store, "industry-items", industry=iri), "item").items():
        classes = unique(class_name(r.get("class")) for r in rows)
        out.append(
            {
                "iri": item,
                "id": entity_id(item, ids),
                "class": "Project" if "Project" in classes else "PlanItem",
                "text": first(rows, "text"),
                "segment": ref(first(rows, "segment"), first(rows, "segment_label"), ids),
                "products": unique(
                    ref(r.get("product"), r.get("product_label"), ids) for r in rows
                ),
                "capacity": next((c for c in map(capacity, rows) if c), None),
                "sections": sections(rows, ids),
            }
        )
    return out


def targets(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The kinds of firm to attract (重点引进) for the industry, with what each is about."""
    out = []
    for target, rows in grouped(run(store, "industry-targets", industry=iri), "target").items():
        out.append(
            ref(target, first(rows, "label"), ids)
            | {
                "firm_kind": first(rows, "firm_kind"),
                "about": unique(
                    ref(
                        r.get("about"),
                        r.get("about_label"),
                        ids,
                        **{"class": class_name(r.get("about_class"))},
                    )
                    for r in rows
                ),
                "sections": sections(rows, ids),
            }
        )
    return out


def clusters(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The industry's clusters with level and scale."""
    out = []
    for cluster, rows in grouped(run(store, "industry-clusters", industry=iri), "cluster").items():
        level = first(rows, "level")
        out.append(
            ref(cluster, first(rows, "label"), ids)
            | {
                "level": None
                if level is None
                else {
                    "iri": level,
                    "name": local_name(level),
                    "label": first(rows, "level_label"),
                    "label_en": first(rows, "level_label_en"),
                },
                "scale_text": first(rows, "scale_text"),
                "scale_value": number(rows[0].get("scale_value")),
                "sections": sections(rows, ids),
            }
        )
    return out


def platforms(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The industry's innovation platforms, with park when known."""
    out = []
    rows_by = grouped(run(store, "industry-platforms", industry=iri), "platform")
    for platform, rows in rows_by.items():
        out.append(
            ref(platform, first(rows, "label"), ids)
            | {
                "label_en": first(rows, "label_en"),
                "park": ref(first(rows, "park"), first(rows, "park_label"), ids),
                "sections": sections(rows, ids),
            }
        )
    return out


def parks(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """Parks hosting the industry (or its segments, products, platforms), one per park."""
    out = []
    for park, rows in grouped(run(store, "industry-parks", industry=iri), "park").items():
        layouts = []
        for layout, lrows in grouped(rows, "layout").items():
            layouts.append(
                {
                    "iri": layout,
                    "id": entity_id(layout, ids),
                    "hosted_label": first(lrows, "hosted_label"),
                    "hosts": unique(
                        ref(
                            r["via"],
                            r.get("via_label"),
                            ids,
                            **{"class": class_name(r.get("via_class"))},
                        )
                        for r in lrows
                    ),
                    "section": ref(first(lrows, "section"), first(lrows, "section_label"), ids),
                }
            )
        out.append(ref(park, first(rows, "park_label"), ids) | {"layouts": layouts})
    return out


def productions(rows: list[dict], ids: Ids | None, park: str = "park") -> list[dict]:
    """Production facts (registry rows) from ``industry-enterprises``/``park-enterprises`` rows.

    ``park`` names the column holding the production's park.
    """
    out = []
    placed = (r for r in rows if r.get("production"))
    for production, prows in grouped(placed, "production").items():
        row = prows[0]
        out.append(
            {
                "iri": production,
                "id": entity_id(production, ids),
                "product": ref(row.get("product"), row.get("product_label"), ids),
                "status": ref(row.get("status"), row.get("status_label"), ids),
                "confidence": ref(row.get("confidence"), row.get("confidence_label"), ids),
                "park": ref(row.get(park), row.get(f"{park}_label"), ids),
                "as_of": year(row.get("as_of")),
                "capacity": capacity(row),
                "source": None
                if row.get("row") is None
                else {
                    "iri": str(row["row"]),
                    "file": text(row.get("file")),
                    "line": number(row.get("line")),
                    "url": text(row.get("url")),
                },
            }
        )
    return out


def enterprises(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """Enterprises producing the industry's products, each with its production facts."""
    out = []
    rows_by = grouped(run(store, "industry-enterprises", industry=iri), "enterprise")
    for enterprise, rows in rows_by.items():
        out.append(
            ref(enterprise, first(rows, "enterprise_label"), ids)
            | {
                "label_en": first(rows, "enterprise_label_en"),
                "productions": productions(rows, ids),
            }
        )
    return out


def sources(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The plan sections and file rows an entity is derived from, plan sections first."""
    out = []
    for row in run(store, "sources", entity=iri):
        out.append(
            ref(row["source"], row.get("label"), ids)
            | {
                "number": text(row.get("number")),
                "order": number(row.get("order")),
                "file": text(row.get("file")),
                "line": number(row.get("line")),
                "url": text(row.get("url")),
            }
        )
    out.sort(key=lambda s: (s["order"] is None, s["order"] or 0, s["file"] or "", s["line"] or 0))
    return out
