"""Parks: a list, one page per park, and park × segment / park × product matrices.

Only what the graph links is shown: the plan's 产业布局 entries (``ck:ParkLayout``,
each with the hosted words, what they resolve to and the section that says so),
enterprises and production facts placed in the park (``ck:inPark``), and the
indicators that measure the park (``ck:measuresPark``). All plain dicts and lists.
"""

from __future__ import annotations

from chainkg.graph.namespaces import Ids
from chainkg.queries.indicators import indicators, measuring, number, summary
from chainkg.queries.industries import first, productions, sources
from chainkg.queries.rows import grouped, run, text, unique
from chainkg.queries.search import class_name, entity_id, pick, ref

AXES = {"segment": ("Industry", "IndustrySegment"), "product": ("Product",)}
HOSTED = {
    "Industry": "industries",
    "IndustrySegment": "segments",
    "IndustryChain": "chains",
    "Product": "products",
    "InnovationPlatform": "platforms",
}


def parks(store, ids: Ids | None = None) -> list[dict]:
    """Every park with region, layout and enterprise counts and its indicator's values."""
    measured = indicators(store, ids)
    out = []
    for iri, rows in grouped(run(store, "parks"), "park").items():
        row = rows[0]
        found = measuring(measured, "park", iri)
        out.append(
            {
                "iri": iri,
                "id": entity_id(iri, ids),
                "label": text(row.get("label")),
                "label_en": text(row.get("label_en")),
                "region": ref(row.get("region"), row.get("region_label"), ids),
                "layouts": number(row.get("layouts")),
                "enterprises": number(row.get("enterprises")),
                "indicator": summary(found[0] if found else None),
            }
        )
    return out


def park(store, key: str, ids: Ids | None = None) -> dict | None:
    """The page of the park named by ``key`` (slug, id, IRI, zh or en label), or None."""
    entry = pick(parks(store, ids), key)
    if entry is None:
        return None
    iri = entry["iri"]
    plan = layouts(store, iri, ids)
    hosted: dict[str, list[dict]] = {name: [] for name in HOSTED.values()}
    for layout in plan:
        for thing in layout["hosts"]:
            group = hosted.get(HOSTED.get(thing["class"] or "", ""))
            if group is not None and all(t["iri"] != thing["iri"] for t in group):
                group.append(thing)
    return entry | {
        "counts": {"layouts": entry["layouts"], "enterprises": entry["enterprises"]},
        "layouts": plan,
        "hosts": hosted,
        "enterprises": enterprises(store, iri, ids),
        "indicators": [summary(i) for i in measuring(indicators(store, ids), "park", iri)],
        "sources": sources(store, iri, ids),
    }


def layouts(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """The park's layout entries: hosted words, what they resolve to, source section."""
    out = []
    for layout, rows in grouped(run(store, "park-layouts", park=iri), "layout").items():
        out.append(
            {
                "iri": layout,
                "id": entity_id(layout, ids),
                "hosted_label": first(rows, "hosted_label"),
                "hosts": unique(
                    ref(
                        r["hosts"],
                        r.get("hosts_label"),
                        ids,
                        label_en=text(r.get("hosts_label_en")),
                        **{"class": class_name(r.get("hosts_class"))},
                    )
                    for r in rows
                    if r.get("hosts") is not None
                ),
                "section": ref(first(rows, "section"), first(rows, "section_label"), ids),
            }
        )
    return out


def enterprises(store, iri: str, ids: Ids | None = None) -> list[dict]:
    """Enterprises placed in the park, each with its production facts there."""
    out = []
    for firm, rows in grouped(run(store, "park-enterprises", park=iri), "enterprise").items():
        out.append(
            ref(firm, first(rows, "enterprise_label"), ids)
            | {
                "label_en": first(rows, "enterprise_label_en"),
                "productions": productions(rows, ids, park="production_park"),
            }
        )
    return out


def _source(row: dict, ids: Ids | None) -> dict:
    """One reason a park hosts something: a layout entry or a registry production fact."""
    kind = str(row["kind"])
    out = {
        "kind": kind,
        "via": entity_id(str(row["via"]), ids),
        "source": ref(row.get("source"), row.get("source_label"), ids),
    }
    if kind == "layout":
        out["hosted_label"] = text(row.get("hosted_label"))
    else:
        out["enterprise"] = ref(row.get("enterprise"), row.get("enterprise_label"), ids)
        out["status"] = ref(row.get("status"), row.get("status_label"), ids)
    return out


def matrix(store, axis: str = "segment", ids: Ids | None = None) -> dict:
    """Park × segment (``axis="segment"``) or park × product matrix with the reasons per cell.

    Segment columns are the segments and whole industries that layouts host; product
    columns are products hosted by layouts or produced in the park by registry facts.
    Returns ``{"axis", "parks", "segments"|"products", "cells"}``, each cell
    ``{"park", "segment"|"product", "sources": [...]}`` with ids for park and column.
    """
    if axis not in AXES:
        raise ValueError(f"axis must be one of {', '.join(AXES)}, not {axis!r}")
    order = {str(r["industry"]): i for i, r in enumerate(run(store, "industries"))}
    columns: dict[str, dict] = {}
    places: dict[str, int] = {}
    cells: dict[tuple[str, str], list[dict]] = {}
    for row in run(store, "park-hosting"):
        cls = class_name(row["class"])
        if cls not in AXES[axis]:
            continue
        iri = str(row["entity"])
        industry = row.get("industry")
        if cls == "Industry":
            industry = row["entity"]
        column = columns.setdefault(
            iri,
            ref(iri, row.get("label"), ids, label_en=text(row.get("label_en")))
            | {"class": cls, "industry": None},
        )
        if column["industry"] is None and industry is not None:
            column["industry"] = entity_id(str(industry), ids)
            places[iri] = order.get(str(industry), len(order))
        reasons = cells.setdefault((str(row["park"]), iri), [])
        reason = _source(row, ids)
        if reason not in reasons:
            reasons.append(reason)
    rank = {c: i for i, c in enumerate(AXES[axis])}
    ordered = sorted(
        columns.values(),
        key=lambda c: (
            places.get(c["iri"], len(order)),
            rank[c["class"]],
            c["label"] or "",
            c["iri"],
        ),
    )
    park_list = [{k: p[k] for k in ("iri", "id", "label", "label_en")} for p in parks(store, ids)]
    at = {c["iri"]: i for i, c in enumerate(ordered)}
    park_at = {p["iri"]: i for i, p in enumerate(park_list)}
    cell_list = [
        {"park": entity_id(p, ids), axis: entity_id(c, ids), "sources": reasons}
        for (p, c), reasons in sorted(
            cells.items(), key=lambda kv: (park_at[kv[0][0]], at[kv[0][1]])
        )
    ]
    return {"axis": axis, "parks": park_list, f"{axis}s": ordered, "cells": cell_list}
