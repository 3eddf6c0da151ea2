"""Settings, declared once: every option of chainkg and its ``CHAINKG_*`` variable."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chainkg.graph.namespaces import DEFAULT_BASE


def default_store() -> Path:
    """The store's home in the user's data folder (e.g. ``~/.local/share/chainkg/store``)."""
    return Path(user_data_dir("chainkg")) / "store"


class Settings(BaseSettings):
    """chainkg's settings; each field can be set by ``CHAINKG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="CHAINKG_", extra="ignore")

    store: str = Field(
        default_factory=lambda: str(default_store()),
        description="Folder of the embedded store, or a SPARQL server: "
        "`sparql+http://host:8890/sparql` (its query endpoint; `sparql+https://` too; "
        "`#IRI` after it names the control graph, as `store_graph` does).",
    )
    store_update: str | None = Field(
        None, description="SPARQL Update URL of a remote store (default: its query URL)."
    )
    store_graph_store: str | None = Field(
        None,
        description="Graph Store Protocol URL of a remote store, for fast loads "
        "(default: none, loads use INSERT DATA).",
    )
    store_user: str | None = Field(None, description="User name for a remote store's writes.")
    store_password: str | None = Field(None, description="Password for a remote store.")
    store_graph: str | None = Field(
        None,
        description="IRI of a remote store's control graph, also the prefix of its graph "
        "names there (default: `{base_iri}store`); lets several stores share a server.",
    )
    store_auth: Literal["digest", "basic"] = Field(
        "digest", description="HTTP authentication of a remote store (Virtuoso: digest)."
    )
    base_iri: str = Field(DEFAULT_BASE, description="Base of data IRIs.")
    dataset: Path | None = Field(
        None, description="Dataset manifest to build; empty = the built-in Fuling plan."
    )
    host: str = Field("127.0.0.1", description="Address `chainkg serve` listens on.")
    port: int = Field(8000, description="Port `chainkg serve` listens on.")
    query_timeout: float = Field(30.0, gt=0, description="Seconds a SPARQL query may run.")
    max_rows: int = Field(10000, gt=0, description="Most result rows (or triples) returned.")
    max_body: int = Field(1_000_000, gt=0, description="Largest request body in bytes.")
    workers: int = Field(2, ge=1, description="SPARQL worker processes.")
    queue_wait: float = Field(
        2.0,
        ge=0,
        description="Seconds a SPARQL query waits for a free worker; then 503 with "
        "`Retry-After` (the time until a running query must end) instead of a long queue.",
    )
    worker_memory: int = Field(
        2048,
        ge=0,
        description="MiB of memory (heap) a SPARQL worker or update process may use; a "
        "query that needs more is stopped with 503. 0 = no cap.",
    )
    update_token: str | None = Field(
        None, description="Bearer token that enables SPARQL Update; empty = updates off."
    )
    allow_network: bool = Field(
        False, description="Let SERVICE and LOAD reach other servers (off by default)."
    )
    access_log: bool = Field(
        False,
        description="Log every request on the console (`chainkg serve`); off by default, "
        "as a line per request costs about a fifth of a millisecond.",
    )
    public_url: str | None = Field(
        None,
        pattern=r"^(https?://[^\s/?#<>\"{}|\\^`]+(/[^\s?#<>\"{}|\\^`]*)?)?$",
        description="Public base URL of the service, as clients reach it "
        "(`https://kg.example.org/chainkg`); the service description names its `/sparql`. "
        "Empty = `http://{host}:{port}`. The request's Host header is never trusted for it: "
        "set this when serving on 0.0.0.0 or behind a proxy.",
    )


# where a store lives and how to open it is the graph layer's business
from chainkg.graph.home import REMOTE, home_for, is_remote  # noqa: E402

__all__ = ["REMOTE", "Settings", "home_for", "is_remote"]
