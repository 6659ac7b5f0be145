"""`claims seed`: the curated claims, idempotent, all or nothing."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
import yaml

from claims import seeding, storage
from claims.storage.sequence import NOTIFY_CHANNEL
from tests.conftest import claims_process

SEEDS = seeding.default_seeds_dir()


def claim_slugs(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(storage.claim_t.c.slug)).scalars())


def test_seed_twice_leaves_exactly_the_curated_claims(run_claims, engine):
    curated = sorted(
        c["slug"] for c in yaml.safe_load((SEEDS / "claims.yaml").read_text())["claims"]
    )

    first = run_claims("seed")
    second = run_claims("seed")

    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert claim_slugs(engine) == curated
    assert len(curated) >= 9
    assert "0 new" in second.stdout


def test_every_seed_quote_is_verbatim_in_the_article():
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    article = (SEEDS / raw["source"]["text_file"]).read_text(encoding="utf-8")

    missing = [c["slug"] for c in raw["claims"] if c["quote"] not in article]

    assert missing == []


def test_seed_dates_match_the_article_calendar():
    claims = {c.data.slug: c.data for c in seeding.load_seeds(SEEDS / "claims.yaml").claims}

    # "on Thursday" in the quote's own paragraph (the tour's), published Sunday 26 Oct 2025.
    meeting = claims["trump-xi-meet-in-south-korea-thursday"]
    assert (str(meeting.due_from), str(meeting.due_by)) == ("2025-10-30", "2025-10-30")
    assert meeting.due_text == "on Thursday"
    assert meeting.due_text in meeting.quote
    beijing = claims["trump-beijing-visit-before-lunar-new-year"]
    assert (str(beijing.due_from), str(beijing.due_by)) == ("2026-01-01", "2026-02-16")
    assert str(claims["us-100-percent-tariffs-nov-1-averted"].due_by) == "2025-11-01"
    # Due before the G20 summit it precedes (14 Dec 2026), not at the start of the fall.
    assert str(claims["xi-reciprocal-washington-meeting-before-g20"].due_by) == "2026-12-13"


def test_seed_quotes_in_quotation_marks_are_direct_and_the_articles_own_words_reported():
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    article = (SEEDS / raw["source"]["text_file"]).read_text(encoding="utf-8")

    def opens_a_quotation(quote: str) -> bool:
        return article[article.index(quote) - 1] in '“"'

    kinds = {c["slug"]: (c["quote_kind"], opens_a_quotation(c["quote"])) for c in raw["claims"]}

    assert {slug: kind for slug, (kind, _) in kinds.items()} == {
        slug: "direct" if quoted else "reported" for slug, (_, quoted) in kinds.items()
    }
    assert sorted(slug for slug, (kind, _) in kinds.items() if kind == "reported") == [
        "trump-beijing-visit-before-lunar-new-year",
        "trump-xi-meet-in-south-korea-thursday",
        "xi-g20-visit-fall-2026",
        "xi-reciprocal-washington-meeting-before-g20",
    ]


def test_seed_averted_tariffs_are_conditional_on_the_deferral():
    seeds = seeding.load_seeds(SEEDS / "claims.yaml").claims
    by_slug = {c.data.slug: c for c in seeds}

    tariffs = by_slug["us-100-percent-tariffs-nov-1-averted"]

    assert tariffs.data.certainty == "conditional"
    assert tariffs.condition_slug == "china-defers-rare-earth-export-controls"


def test_seed_discussion_claims_ask_for_a_discussion_not_a_commitment():
    claims = {c.data.slug: c.data for c in seeding.load_seeds(SEEDS / "claims.yaml").claims}

    for slug in ("china-soybean-agriculture-purchases-discussed",
                 "china-help-on-fentanyl-crisis-discussed"):  # fmt: skip
        assert " discuss " in claims[slug].statement
        assert "commitment" not in claims[slug].statement


def test_seed_source_and_venues_are_recorded(run_claims, engine):
    run_claims("seed")

    with engine.connect() as conn:
        source = conn.execute(sa.select(storage.source_t)).one()
        notes = dict(
            conn.execute(
                sa.select(storage.claim_t.c.slug, storage.event_t.c.note)
                .join(storage.event_t, storage.event_t.c.claim_id == storage.claim_t.c.id)
                .where(storage.event_t.c.kind == "created", storage.event_t.c.note.is_not(None))
            ).all()
        )
    assert source.url.startswith("https://news.meaww.com/")
    assert source.publisher == "MEAWW"
    assert "tour" in notes["trump-xi-meet-in-south-korea-thursday"]
    assert "This Week" in notes["us-100-percent-tariffs-nov-1-averted"]


def test_seed_links_a_conditional_claim(run_claims, engine, tmp_path: Path):
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    raw["claims"][2].update(
        certainty="conditional",
        condition="China defers its controls",
        condition_slug="china-defers-rare-earth-export-controls",
    )
    (tmp_path / "claims.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    (tmp_path / raw["source"]["text_file"]).write_text(
        (SEEDS / raw["source"]["text_file"]).read_text(encoding="utf-8"), encoding="utf-8"
    )

    result = run_claims("seed", "--file", str(tmp_path / "claims.yaml"))

    assert result.returncode == 0, result.stderr
    with engine.connect() as conn:
        rows = {r.slug: r for r in conn.execute(sa.select(storage.claim_t))}
    linked = rows[raw["claims"][2]["slug"]]
    assert linked.condition_claim_id == rows["china-defers-rare-earth-export-controls"].id


def test_seed_run_again_on_a_database_seeded_before_the_source_url_adds_no_source(
    run_claims, engine
):
    run_claims("seed")
    with engine.begin() as conn:
        conn.execute(sa.update(storage.source_t).values(url=None, publisher=None))

    again = run_claims("seed")

    assert again.returncode == 0, again.stderr
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.source_t)).scalar() == 1


def test_invalid_seeds_file_names_claim_and_field_and_writes_nothing(
    run_claims, engine, tmp_path: Path
):
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    raw["claims"][3]["due_by"] = "2025-02-30"
    bad = tmp_path / "claims.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    (tmp_path / raw["source"]["text_file"]).write_text(
        (SEEDS / raw["source"]["text_file"]).read_text(encoding="utf-8"), encoding="utf-8"
    )

    result = run_claims("seed", "--file", str(bad))

    assert result.returncode == 1
    assert raw["claims"][3]["slug"] in result.stderr
    assert "due_by" in result.stderr
    assert "Traceback" not in result.stderr
    assert claim_slugs(engine) == []


def test_seed_quote_not_in_article_is_refused(run_claims, engine, tmp_path: Path):
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    raw["claims"][0]["quote"] = "words nobody said"
    (tmp_path / "claims.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    (tmp_path / raw["source"]["text_file"]).write_text(
        (SEEDS / raw["source"]["text_file"]).read_text(encoding="utf-8"), encoding="utf-8"
    )

    result = run_claims("seed", "--file", str(tmp_path / "claims.yaml"))

    assert result.returncode == 1
    assert "quote" in result.stderr
    assert raw["claims"][0]["slug"] in result.stderr
    assert claim_slugs(engine) == []


def seeds_pointing_at(folder: Path, text_file: str) -> Path:
    """A copy of the curated seeds in ``folder`` whose source.text_file is ``text_file``."""
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    raw["source"]["text_file"] = text_file
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "claims.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["dotdot", "absolute", "symlink"])
def test_seed_text_file_outside_the_seeds_folder_is_refused(tmp_path: Path, where: str):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the public source text", encoding="utf-8")
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "link.txt").symlink_to(secret)
    text_file = {"dotdot": "../secret.txt", "absolute": str(secret), "symlink": "link.txt"}[where]

    with pytest.raises(seeding.SeedError) as refused:
        seeding.load_seeds(seeds_pointing_at(folder, text_file))

    assert "source.text_file" in str(refused.value)
    assert "must be a relative path to a file in" in str(refused.value)


def test_seed_text_file_in_a_subfolder_is_read(tmp_path: Path):
    raw = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    article = (SEEDS / raw["source"]["text_file"]).read_text(encoding="utf-8")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "article.txt").write_text(article, encoding="utf-8")

    seeds = seeding.load_seeds(seeds_pointing_at(tmp_path, "texts/article.txt"))

    assert seeds.source.text == article


def test_claims_seed_with_text_file_outside_its_folder_exits_1_naming_it(
    run_claims_once, tmp_path: Path
):
    result = run_claims_once("seed", "--file", str(seeds_pointing_at(tmp_path, "/etc/passwd")))

    assert result.returncode == 1
    assert "source.text_file '/etc/passwd'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_claims_process_on_postgresql_announces_its_writes_before_it_ends(pg_database):
    # PostgreSQL only: SQLite's servers poll the file, PostgreSQL's listen.
    dsn = pg_database.url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as listener:
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")

        seeded = claims_process(pg_database.url, "seed")

        assert seeded.returncode == 0, seeded.stderr
        heard = {
            int(seq)
            for note in listener.notifies(timeout=5, stop_after=50)
            for seq in note.payload.split(",")
        }
        with listener.cursor() as cur:
            written = {row[0] for row in cur.execute("SELECT seq FROM event")}
    assert written
    assert written <= heard
