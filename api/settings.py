"""Settings, declared once: every option of chainkg and its ``CHAINKG_*`` variable."""

from __future__ import annotations

from pathlib import Path

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

    store: Path = Field(default_factory=default_store, description="Folder of the embedded store.")
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
    update_token: str | None = Field(
        None, description="Bearer token that enables SPARQL Update; empty = updates off."
    )
    allow_network: bool = Field(
        False, description="Let SERVICE and LOAD reach other servers (off by default)."
    )
