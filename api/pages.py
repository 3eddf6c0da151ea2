"""The explorer pages: home, industry, park, product, path finder, gap map, SPARQL.

A thin router: each page's JSON model is built in :mod:`chainkg.viz.models` and given
as JSON (``?format=json``) or rendered with ``api/templates/pages/*.html`` in Chinese or
English (``?lang=en``). The maps are drawn by vis-network, served from pyvis's own copy
at ``/static/vis-network.min.js`` with the explorer's script and style: nothing is fetched
from another server.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from chainkg.api.deps import IdsDep, ServicesDep, StoreDep, templates
from chainkg.api.errors import ApiError
from chainkg.api.protocol import ProtocolError, check_network, keywords
from chainkg.api.sparql import endpoint_url
from chainkg.graph.executor import Job, QueryError
from chainkg.graph.namespaces import PREFIXES
from chainkg.queries import gaps as gap_model
from chainkg.queries import paths as path_model
from chainkg.queries import plans as plan_queries
from chainkg.queries.errors import BadParameter, Unknown
from chainkg.queries.industries import industries
from chainkg.queries.parks import parks
from chainkg.queries.search import search
from chainkg.viz import examples, models
from chainkg.viz.views import CAP, DEPTH, MAX_CAP, MAX_DEPTH

router = APIRouter(tags=["explorer pages"], include_in_schema=True)
VIS = "lib/vis-9.1.2/"
STATIC = {
    "vis-network.min.js": ("pyvis", VIS + "vis-network.min.js", "text/javascript"),
    "vis-network.css": ("pyvis", VIS + "vis-network.css", "text/css"),
    "explorer.js": ("chainkg.viz", "static/explorer.js", "text/javascript"),
    "explorer.css": ("chainkg.viz", "static/explorer.css", "text/css"),
    "sparql.js": ("chainkg.viz", "static/sparql.js", "text/javascript"),
}
FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    b'<circle cx="3" cy="8" r="2.5" fill="#2e9e5b"/><circle cx="13" cy="8" r="2.5" fill="#e0a526"/>'
    b'<path d="M5.5 8h5" stroke="#1f5fae" stroke-width="2"/></svg>'
)
Cap = Annotated[int, Query(ge=1, le=MAX_CAP, description="Most nodes drawn on the map.")]
Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Links up and down the map goes.")]


def links(request: Request) -> models.Links:
    lang = "en" if request.query_params.get("lang") == "en" else "zh"
    plan = request.query_params.get("plan") or None
    return models.Links(request.scope.get("root_path", ""), lang, plan)


def here(request: Request, **change) -> str:
    """This page's path and query with some parameters changed (or removed, with None)."""
    params = dict(request.query_params)
    for key, value in change.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


def render(name: str, model: dict, link: models.Links, **extra) -> str:
    """The page ``pages/{name}.html`` of ``model`` in ``link.lang`` (``extra`` context)."""
    lang = link.lang
    context = {
        "m": model,
        "lang": lang,
        "root": link.root,
        "q": link.q,
        "t": lambda zh, en: en if lang == "en" else zh,
        "name": lambda x: (
            ((x or {}).get("label_en") if lang == "en" else None) or (x or {}).get("label")
        ),
        "href": link.of,
        "url": link.url,
        "online": True,
    } | extra
    return templates.get_template(f"pages/{name}.html").render(**context)


def page(
    request: Request, name: str, model: dict, status: int = 200, online: bool = True
) -> Response:
    """The model as JSON (``?format=json``) or as the page ``pages/{name}.html``
    (``online=False``: without links back to this server, for a saved file)."""
    if request.query_params.get("format") == "json":
        return JSONResponse(model, status_code=status)
    link = links(request)
    net = model.get("network")
    html = render(
        name,
        model,
        link,
        districts=districts(request, link),
        switch_href=here(request, lang=None if link.lang == "en" else "en"),
        more_href=here(request, cap=min(MAX_CAP, net["total"])) if net and net["more"] else None,
        wide=bool(net) or name in ("gaps", "sparql"),
        online=online,
    )
    return HTMLResponse(html, status_code=status)


def districts(request: Request, link: models.Links) -> list[dict]:
    """The district plans of a store of several, each with the URL of its home page and
    ``current`` on the one this page reads (empty for a store of one plan)."""
    services = request.app.state.services
    store = services.live.get()
    held = plan_queries.plans(store, services.ids)
    if len(held) < 2:
        return []
    try:
        here_ = plan_queries.find(store, services.ids, link.plan)["iri"]
    except Unknown:
        here_ = None
    return [
        {k: p[k] for k in ("key", "label", "region")}
        | {"current": p["iri"] == here_, "href": link.url("/", plan=p["key"])}
        for p in held
    ]


def missing(request: Request, what: str, key: str, suggestions: list[dict]) -> Response:
    """A 404 page naming what was not found, with the suggestions."""
    model = {"page": "notfound", "what": what, "key": key, "suggestions": suggestions}
    return page(request, "notfound", model, 404)


@router.get("/", summary="Home: the industry system, indicators and parks")
def home(request: Request, store: StoreDep, ids: IdsDep) -> Response:
    """The plan's industries by tier, the 表1 indicators with the growth each target needs,
    the parks, and the chain's local status at a glance."""
    return page(request, "home", models.home(store, ids))


@router.get("/explore/industry/{key:path}", summary="Industry page with its chain map")
def industry_page(request: Request, key: str, store: StoreDep, ids: IdsDep, cap: Cap = CAP):
    """The industry's chain map, segments, chains, projects, enterprises and gaps."""
    model = models.industry_page(store, ids, key, links(request), cap)
    if model is None:
        found = search(store, key.rsplit("/", 1)[-1], limit=5, classes=["Industry"], ids=ids)
        return missing(request, "industry", key, found or industries(store, ids)[:7])
    return page(request, "industry", model)


@router.get("/explore/brief/{key:path}", summary="One-page industry brief, printable to A4")
def brief_page(request: Request, key: str, store: StoreDep, ids: IdsDep, download: bool = False):
    """The industry's brief on one A4 page: output indicator, compact chain panorama, the
    top gaps with their reasons, parks and key firms. A self-contained page (its style
    inline); ``download=true`` saves it as a file without links back to this server."""
    model = models.brief_page(store, ids, key, links(request))
    if model is None:
        found = search(store, key.rsplit("/", 1)[-1], limit=5, classes=["Industry"], ids=ids)
        return missing(request, "industry", key, found or industries(store, ids)[:7])
    response = page(request, "brief", model, online=not download)
    if download:
        name = model["industry"]["id"].rsplit("/", 1)[-1]
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-brief.html"'
    return response


@router.get("/explore/park/{key:path}", summary="Park page with its slice of the chain map")
def park_page(request: Request, key: str, store: StoreDep, ids: IdsDep, cap: Cap = CAP):
    """What the park hosts, its chain slice, projects, enterprises, 2021 value and target."""
    model = models.park_page(store, ids, key, links(request), cap)
    if model is None:
        found = search(store, key.rsplit("/", 1)[-1], limit=5, classes=["Park"], ids=ids)
        return missing(request, "park", key, found or parks(store, ids))
    return page(request, "park", model)


@router.get("/explore/product/{key:path}", summary="Product page with its neighbourhood map")
def product_page(
    request: Request, key: str, store: StoreDep, ids: IdsDep, depth: Depth = DEPTH, cap: Cap = CAP
):
    """Upstream and downstream of the product, its producers, projects, parks and evidence."""
    try:
        model = models.product_page(store, ids, key, links(request), depth, cap)
    except Unknown as exc:
        return missing(request, "product", key, exc.suggestions or path_model.hubs(store, ids))
    return page(request, "product", model)


@router.get("/explore/paths", summary="Path finder")
def paths_page(
    request: Request,
    store: StoreDep,
    ids: IdsDep,
    start: Annotated[str, Query(alias="from", max_length=200)] = "",
    to: Annotated[str, Query(max_length=200)] = "",
    cap: Cap = CAP,
):
    """The shortest chain path between two products (or a product and an industry or park),
    highlighted on the map, each step explained; alternatives listed. An unknown name is
    answered on the page itself (200), with suggestions."""
    try:
        model = models.paths_page(store, ids, start.strip(), to.strip(), links(request), cap)
    except Unknown as exc:
        model = {"page": "paths", "from": start, "to": to, "result": None, "network": None}
        model["unknown"] = {"key": exc.key, "what": exc.what, "suggestions": exc.suggestions}
    return page(request, "paths", model)


@router.get("/explore/gaps", summary="Gap map and ranked gap table")
def gaps_page(
    request: Request,
    store: StoreDep,
    ids: IdsDep,
    industry: str = "",
    park: str = "",
    kind: str = "",
    top: Annotated[int, Query(ge=0, le=10_000, description="Rows per list; 0 for all.")] = 30,
    cap: Cap = CAP,
):
    """The chain with its gaps marked, beside the three ranked lists and their exports."""
    try:
        model = models.gaps_page(
            store, ids, links(request), cap, top, industry=industry, park=park, kind=kind
        )
    except Unknown as exc:
        return missing(request, exc.what, exc.key, exc.suggestions)
    except ValueError as exc:  # an unknown kind
        raise BadParameter("kind", str(exc), list(gap_model.KINDS)) from None
    return page(request, "gaps", model)


@router.get("/explore/sparql", summary="SPARQL page with the named queries as examples")
async def sparql_page(
    request: Request,
    services: ServicesDep,
    store: StoreDep,
    ids: IdsDep,
    query: Annotated[str, Query(max_length=100_000)] = "",
    example: str = "",
):
    """An editor with every named query as a one-click example (parameters bound to an
    example value), the results of ``query`` as a table, and downloads in every format."""
    found = await run_in_threadpool(examples.examples, store, ids)
    chosen = next((e for e in found if e["name"] == example), None)
    text = query or (chosen or found[0])["sparql"]
    model = {"page": "sparql", "query": text, "examples": found, "result": None, "error": None}
    if query:
        kind = examples.form(query)
        job = Job(
            query,
            "json",
            "application/n-triples",
            union="FROM" not in keywords(query),
            max_rows=services.settings.max_rows,
            prefixes=PREFIXES,
            base_iri=endpoint_url(services.settings),
        )
        try:
            check_network(query, services.settings.allow_network)
            answer = await services.pool.arun(job)
            model["result"] = examples.table(kind, answer.body) | {"form": kind}
        except (QueryError, ProtocolError) as exc:
            model["error"] = str(exc)
    model["downloads"] = examples.downloads(links(request).root, text)
    return page(request, "sparql", model, 400 if model["error"] else 200)


@router.get("/explore/search", summary="Search, then go to the best match's page")
def search_page(
    request: Request, store: StoreDep, ids: IdsDep, q: Annotated[str, Query(max_length=200)] = ""
):
    """The page of the entity ``q`` names (an exact match), else a list of matches."""
    hits = search(store, q, limit=20, ids=ids) if q.strip() else []
    if hits and hits[0]["score"] >= 0.9 and request.query_params.get("format") != "json":
        target = links(request).of(hits[0])
        if target:
            return RedirectResponse(target, status_code=303)
    return page(request, "search", {"page": "search", "q": q, "results": hits})


@router.get("/explore", include_in_schema=False)
def explore(request: Request) -> Response:
    return RedirectResponse(links(request).url("/"), status_code=307)


@lru_cache(maxsize=len(STATIC))
def static_file(name: str) -> bytes:
    """The bytes of a static file: vis-network from pyvis, the explorer's own from chainkg.viz."""
    package, path, _media = STATIC[name]
    return resources.files(package).joinpath(path).read_bytes()


@router.get("/static/{name}", summary="Static files of the explorer pages (served locally)")
def static(name: str) -> Response:
    """vis-network (from the installed pyvis), the explorer's script, style and icon."""
    headers = {"Cache-Control": "public, max-age=3600"}
    if name == "favicon.svg":
        return Response(FAVICON, media_type="image/svg+xml", headers=headers)
    if name not in STATIC:
        raise ApiError(404, "unknown", f"no static file {name!r}", files=sorted(STATIC))
    return Response(static_file(name), media_type=STATIC[name][2], headers=headers)
