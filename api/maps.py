"""``/api/map/{industry}``: the industry's 产业链全景图 as SVG (:mod:`chainkg.viz.panorama`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.errors import ApiError
from chainkg.queries.errors import Unknown
from chainkg.queries.industries import industries
from chainkg.queries.search import suggestions
from chainkg.viz import panorama

router = APIRouter(prefix="/api/map", tags=["maps"])

SVG = "image/svg+xml"
PNG = "image/png"
DISTRICT = ("all", "district", "全区")


@router.get(
    "/{industry}",
    summary="An industry's chain panorama (产业链全景图) as SVG",
    responses={
        200: {
            "content": {
                SVG: {"schema": {"type": "string"}},
                PNG: {"schema": {"type": "string", "format": "binary"}},
            }
        },
        404: {},
        503: {"description": "PNG asked for where the cairo library is missing."},
    },
)
def industry_map(
    request: Request,
    industry: str,
    store: StoreDep,
    ids: IdsDep,
    lang: Annotated[Literal["zh", "en"], Query(description="Label language.")] = "zh",
    download: Annotated[bool, Query(description="Send as a file to save.")] = False,
    fmt: Annotated[
        Literal["svg", "png"], Query(alias="format", description="svg, or png (2× scale).")
    ] = "svg",
):
    """Stage columns (上游 → 中游 → 下游, services and equipment in a band) of labelled
    boxes coloured by local status, with local firm and project counts, the gap mark and
    rank, supply links (plan-stated solid, domain dashed); every box links to its product
    page. ``industry`` is a zh or en name, slug or id, or ``all`` for every industry of the
    district, one under the other."""
    root = request.scope.get("root_path", "")
    if industry in DISTRICT:
        body, slug = panorama.district_svg(store, ids, lang, root), "district"
    else:
        ind = panorama.find(store, ids, industry)
        if ind is None:
            hints = suggestions(store, industry, ["Industry"], industries(store, ids), ids)
            raise Unknown("industry", industry, hints, ["Industry"])
        body, slug = panorama.svg(store, ids, ind["iri"], lang, root), ind["id"].rsplit("/", 1)[-1]
    media, content = SVG, body
    if fmt == "png":
        try:
            media, content = PNG, panorama.png(body)
        except panorama.PngUnavailable as exc:
            raise ApiError(503, "unavailable", str(exc)) from None
    headers = {}
    if download:
        name = f"panorama-{slug}-{lang}.{fmt}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(content, media_type=media, headers=headers)
