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

    store: Path = Field(
        default_factory=default_store, description="Folder of the embedded store (CHAINKG_STORE)."
    )
    base_iri: str = Field(DEFAULT_BASE, description="Base of data IRIs (CHAINKG_BASE_IRI).")
    dataset: Path | None = Field(
        None, description="Dataset manifest; empty = built-in Fuling plan (CHAINKG_DATASET)."
    )
