"""The Jinja2 environment of the pages: autoescaping, strict undefined names, display helpers.

A stored URL becomes a link only through the test ``http_url`` (``{% if u is http_url %}<a
href="{{ u }}">``): autoescaping stops markup, not a ``javascript:`` address, and rows written
before the API checked URLs, or by hand, may hold one.
"""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.templating import Jinja2Templates

from claims.models import is_http_url
from claims.profiles import claimant_slug
from web import TEMPLATES_DIR, assets, present


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        static_url=assets.url,
        status_label=present.status_label,
        status_hints=present.STATUS_HINTS,
        open_statuses=present.OPEN_STATUSES,
        verdict_statuses=present.VERDICT_STATUSES,
        certainty_labels=present.CERTAINTY_LABELS,
        quote_kind_labels=present.QUOTE_KIND_LABELS,
        stance_labels=present.STANCE_LABELS,
        kind_labels=present.KIND_LABELS,
        sort_labels=present.SORT_LABELS,
    )
    env.filters.update(
        day=present.day,
        weekday=present.weekday,
        topic=present.topic_label,
        field=present.field_label,
        value=present.value_text,
        claimant_slug=claimant_slug,
    )
    env.tests["http_url"] = is_http_url
    return env


templates = Jinja2Templates(env=_environment())
