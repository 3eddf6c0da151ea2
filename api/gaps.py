"""``/api/gaps``: the ranked, explained chain gaps (补链/强链/延链/外部依赖) as JSON, CSV or Excel.

The work is in :mod:`chainkg.queries.gaps`; this router picks the format (``format=`` or
``Accept``), names the download, and turns unknown filters into 404 (industry, park, with
suggestions) or 400 (kind, with the list of kinds).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from chainkg.api.deps import IdsDep, StoreDep
from chainkg.api.protocol import negotiate
from chainkg.api.schemas import Error, GapReport
from chainkg.queries import gaps as gap_queries
from chainkg.queries.errors import BadParameter

router = APIRouter(prefix="/api/gaps", tags=["gaps"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"json": "application/json", "csv": "text/csv", "xlsx": XLSX}
CLASSES = {"industry": "Industry", "park": "Park"}

INDUSTRY_EXAMPLES = {
    "all": {"summary": "every industry", "value": ""},
    "zh": {"summary": "Chinese name", "value": "新材料"},
    "slug": {"summary": "slug", "value": "xin-cai-liao"},
    "en": {"summary": "English name", "value": "new materials"},
}
PARK_EXAMPLES = {
    "all": {"summary": "every park", "value": ""},
    "zh": {"summary": "Chinese name", "value": "白涛新材料科技城"},
    "slug": {"summary": "slug", "value": "lin-gang-jing-ji-qu"},
}
KIND_EXAMPLES = {
    "all": {"summary": "every kind", "value": ""},
    "missing": {"summary": "补链: nothing local between local nodes", "value": "missing"},
    "two": {"summary": "补链 and 延链", "value": "missing,extension"},
}
FORMAT_EXAMPLES = {
    "json": {"summary": "JSON (default)", "value": "json"},
    "csv": {"summary": "CSV for Excel (UTF-8 with BOM)", "value": "csv"},
    "xlsx": {"summary": "Excel workbook", "value": "xlsx"},
}
RESPONSES = {
    200: {
        "description": "The gap report (JSON), or its rows as CSV or an Excel workbook.",
        "model": GapReport,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    },
    400: {"description": "Unknown kind; `choices` lists the kinds.", "model": Error},
    404: {"description": "Unknown industry or park; the answer has suggestions.", "model": Error},
}


def filename(report: dict, ext: str) -> str:
    """``gaps[-industry][-park][-kinds].ext`` from the report's filters, in ASCII."""
    f = report["filters"]
    parts = ["gaps"]
    parts += [f[k]["id"].rsplit("/", 1)[-1] for k in ("industry", "park") if f[k]]
    parts += f["kind"] or []
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts)) + "." + ext


def _download(body: str | bytes, media: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.get(
    "", summary="Ranked chain gaps with reasons, as JSON, CSV or Excel", responses=RESPONSES
)
def list_gaps(
    request: Request,
    store: StoreDep,
    ids: IdsDep,
    industry: Annotated[
        str | None,
        Query(
            description="Only this industry's products: zh or en name, slug or id.",
            openapi_examples=INDUSTRY_EXAMPLES,
        ),
    ] = None,
    park: Annotated[
        str | None,
        Query(
            description="Only products this park hosts (by its 产业布局: the product, its "
            "chain, segment or industry) or where a registry places a producer.",
            openapi_examples=PARK_EXAMPLES,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        Query(
            description="Only these kinds (comma-separated): " + ", ".join(gap_queries.KINDS) + ".",
            openapi_examples=KIND_EXAMPLES,
        ),
    ] = None,
    top: Annotated[
        int,
        Query(
            ge=0,
            le=100_000,
            description="Entries per list (attract, strengthen, risks), best first; 0 for all.",
        ),
    ] = 30,
    fmt: Annotated[
        Literal["json", "csv", "xlsx"] | None,
        Query(
            alias="format",
            description="json, csv or xlsx; else by Accept (text/csv, the xlsx media type), "
            "else JSON.",
            openapi_examples=FORMAT_EXAMPLES,
        ),
    ] = None,
):
    """Three ranked lists: ``attract`` (补链 missing and 延链 extension: firms to go and
    attract), ``strengthen`` (强链 weak: local links short of capacity or that the plan asks
    to expand) and ``risks`` (外部依赖 external inputs), each cut to ``top``. Every entry has
    its ``list`` and ``rank`` in it (−score, then kind, then product id: the same graph
    always gives the same ranking), its score ``components`` (重点引进 target, attraction
    clause, 专栏 item, the industry's 2026 growth, chain leverage, park layout; for weak
    links the strengthen clause and the capacity shortfall: each with value, weight and
    points), reasons in zh and en with the plan's words and the registry rows, the plan
    ``statements`` behind it, the capacity ``balance`` where known, the firm to attract,
    host and candidate parks, and the local firms up and downstream. ``by_industry`` gives
    the first five to attract per industry; ``targets`` checks the plan's 重点引进 list
    against the lists (confirmed / not_confirmed) and names the high-ranked attraction gaps
    the plan did not name. The criteria are in ``chainkg.queries.gap_model``. CSV and xlsx
    are downloads with Chinese headers."""
    try:
        report = gap_queries.gap_report(
            store, ids, industry=industry or None, park=park or None, kind=kind, top=top
        )
    except ValueError as exc:  # an unknown kind
        raise BadParameter("kind", str(exc), list(gap_queries.KINDS)) from None
    if fmt is None:
        best = negotiate(request.headers.get("accept"), list(MEDIA.values()), MEDIA["json"])
        fmt = next((k for k, v in MEDIA.items() if v == best), "json")
    if fmt == "csv":
        body = gap_queries.to_csv(report).encode("utf-8")
        return _download(body, "text/csv; charset=utf-8", filename(report, "csv"))
    if fmt == "xlsx":
        return _download(gap_queries.to_xlsx(report), XLSX, filename(report, "xlsx"))
    return JSONResponse(report)
