"""Settings: every knob of the tracker, read from the environment (prefix ``CLAIMS_``).

Nothing here connects to anything at import time; ``get_settings()`` builds the settings once
per process and tests build their own ``Settings(...)`` instances.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """The tracker's configuration; each field is documented in the README."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///claims.db",
        description="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://USER@HOST:PORT/DB.",
    )
    timezone: str = Field(
        default="UTC", description="IANA time zone in which a deadline day ends (for overdue)."
    )
    reads_require_token: bool = Field(
        default=False, description="When true, every read needs a token (any role)."
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest request body accepted; larger is 413."
    )
    body_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="How long a request body may pause before it is refused with 408 (a "
        "client whose Content-Length promised more than it sends).",
    )
    due_soon_days: int = Field(
        default=14, ge=0, description="A claim is due soon when due_by is within this many days."
    )
    review_stale_days: int = Field(
        default=30,
        ge=1,
        description="The review queue lists open claims nobody has touched for this many days.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins allowed by CORS, as a JSON list (["https://example.org"]).',
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5_000, ge=0, description="How long an SQLite writer waits for the write lock."
    )
    max_streams: int = Field(
        default=500, ge=1, description="Open SSE streams each server process accepts (then 503)."
    )
    heartbeat_seconds: float = Field(
        default=10.0, gt=0, le=15, description="Seconds between SSE heartbeat comments."
    )
    poll_interval_ms: int = Field(
        default=100,
        ge=10,
        description="How often each process re-reads the latest seq, as a safety net for "
        "wake-ups (SQLite: how writes of other processes are noticed).",
    )
    pool_size: int = Field(
        default=10, ge=1, description="Database connections each server process keeps open."
    )
    publisher_name: str = Field(
        default="Claim tracker",
        min_length=1,
        description="The publishing organisation: author of ClaimReview and of the Atom feed.",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public base URL of the tracker, for links in ClaimReview and the feed.",
    )
    fast_path: bool = Field(
        default=True,
        description="Answer the claim, summary and change-feed endpoints before FastAPI's "
        "routing (same declarations and answers either way, faster); false routes them "
        "through FastAPI.",
    )
    extract_backend: Literal["duckling", "dateparser", "rules"] | None = Field(
        default=None,
        description="Date normaliser of `claims extract`: unset or duckling tries Duckling, "
        "then dateparser, then plain calendar rules; dateparser or rules forces that one.",
    )

    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Format of the server's log lines: text (readable) or json (one object "
        "per line).",
    )
    metrics: bool = Field(
        default=False, description="Serve Prometheus metrics at /metrics (off by default)."
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="When set, /metrics answers only requests with 'Authorization: Bearer "
        "<this value>'.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses of trusted reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are honoured ('*' trusts all); empty trusts none.",
    )

    @field_validator("extract_backend", mode="before")
    @classmethod
    def _backend_name(cls, value: object) -> object:
        # An empty variable means "not set"; names are case-insensitive.
        if isinstance(value, str):
            return value.strip().lower() or None
        return value

    @field_validator("public_url")
    @classmethod
    def _http_base_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/?#]+[^\s?#]*$", value, re.IGNORECASE):
            raise ValueError(f"public_url must be an http(s) URL, not {value!r}")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment once."""
    return Settings()
