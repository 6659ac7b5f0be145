"""Settings: every knob of the tracker, read from the environment (prefix ``CLAIMS_``).

Nothing here connects to anything at import time; ``get_settings()`` builds the settings once
per process and tests build their own ``Settings(...)`` instances.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Mapping
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
    pg_lock_timeout_ms: int = Field(
        default=5_000,
        ge=1,
        description="How long a PostgreSQL statement waits for a lock (PostgreSQL's "
        "lock_timeout) before the request is refused with 503; the server's own reads and "
        "writes give up on a database that does not answer at all one second later.",
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
    extract_timeout_s: float = Field(
        default=5.0,
        gt=0,
        le=600,
        description="Longest time one extraction (POST /v1/extract, claims extract) may run; "
        "its worker process is then stopped and the article refused (422 extract-timeout).",
    )
    extract_workers: int = Field(
        default=1,
        ge=1,
        le=16,
        description="Worker processes each server process runs extractions in (started on "
        "first use); a request waits up to the time limit for a free one, then 503.",
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
    log_key_file: str | None = Field(
        default=None,
        description="The Ed25519 private key that signs the log's checkpoints (made by "
        "`claims keys init`); default: claims-log.key beside the SQLite database file, or in "
        "the working directory on PostgreSQL. Without the file, checkpoints are unsigned.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses of trusted reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are honoured ('*' trusts all); empty trusts none.",
    )

    webhooks: bool = Field(
        default=True,
        description="Run the webhook dispatcher in this server process (deliveries are sent "
        "in the background, never on a request's path).",
    )
    webhooks_allow_private: bool = Field(
        default=False,
        description="Allow webhook URLs on loopback, private and link-local addresses (local "
        "set-ups and tests); refused by default, checked on the resolved address at each send.",
    )
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=60, description="Seconds a receiver has to answer one delivery."
    )
    webhook_retry_delays: list[float] = Field(
        default_factory=list,
        description="Seconds before each retry of a failed delivery (empty: 5 s, 5 min, 30 min, "
        "2 h, 5 h, 10 h, 10 h, about a day in all), each with ±20 % jitter.",
    )
    webhook_disable_after_days: float = Field(
        default=3.0,
        gt=0,
        description="A subscription whose deliveries have all failed for this long is disabled.",
    )
    deadline_watch: bool = Field(
        default=True,
        description="Run the deadline watcher in each server process: it writes the due_soon "
        "and overdue events (feed, stream, webhooks) at start-up, at each midnight of "
        "CLAIMS_TIMEZONE, and every CLAIMS_DEADLINE_SWEEP_S.",
    )
    deadline_sweep_s: float = Field(
        default=60.0,
        gt=0,
        description="Seconds between the deadline watcher's passes between midnights (a claim "
        "created or moved past its deadline is noticed within this time).",
    )
    webhook_poll_s: float = Field(
        default=2.0,
        gt=0,
        description="Seconds between the dispatcher's checks for due retries and changes made "
        "by other processes (changes in this process wake it at once).",
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

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        trusted_proxies(value)  # raises ValueError naming an entry that is no address
        return value

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


def trusted_proxies(value: str) -> tuple[bool, list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """Parse CLAIMS_FORWARDED_ALLOW_IPS: (trust everyone?, the trusted networks). Raises
    ValueError naming an entry that is no address or network."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    if "*" in items:
        return True, []
    return False, [ipaddress.ip_network(item, strict=False) for item in items]


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """Name each ``CLAIMS_*`` variable of ``environ`` that is no setting, with the setting it
    may be a typo of ("CLAIMS_READS_REQUIRE_TOKENS: did you mean CLAIMS_READS_REQUIRE_TOKEN?"):
    a misspelt setting is otherwise silently ignored, and a server meant to be private runs
    public. ``CLAIMS_TEST_*`` belong to the test suite."""
    prefix = Settings.model_config.get("env_prefix", "")
    known = [prefix + name.upper() for name in Settings.model_fields]
    found = []
    for name in sorted(environ):
        if name.startswith(prefix) and name not in known and not name.startswith("CLAIMS_TEST_"):
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
            found.append(f"{name}: did you mean {near[0]}?" if near else name)
    return found
