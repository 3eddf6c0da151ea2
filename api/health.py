"""``/healthz``: is the store there, which version is live, how big is it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from chainkg.api.deps import ServicesDep
from chainkg.graph.home import StoreMissing

router = APIRouter(tags=["service"])


@router.get("/healthz", summary="Liveness and store status")
def healthz(services: ServicesDep) -> JSONResponse:
    """200 with the live store version and its size; 503 when there is no store."""
    try:
        store = services.live.get()
    except StoreMissing as exc:
        return JSONResponse({"status": "no-store", "detail": str(exc)}, status_code=503)
    return JSONResponse(
        {
            "status": "ok",
            "store": services.live.version,
            "quads": store.count(),
            "graphs": len(store.graphs()),
        }
    )
