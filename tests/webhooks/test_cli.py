"""``claims webhook`` on the command line, on SQLite and PostgreSQL."""

from __future__ import annotations


def test_webhook_add_prints_the_secret_once_and_list_shows_it_without(run_claims):
    added = run_claims(
        "webhook", "add", "https://example.org/hook", "--events", "claim.status_changed",
        "--topic", "health",
    )  # fmt: skip
    listed = run_claims("webhook", "list")

    assert added.returncode == 0, added.stderr
    secret = added.stdout.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    assert "https://example.org/hook" in listed.stdout
    assert "claim.status_changed, health" in listed.stdout
    assert secret not in listed.stdout


def test_webhook_add_refuses_loopback_and_unknown_types(run_claims):
    loopback = run_claims("webhook", "add", "http://localhost:9/hook")
    unknown = run_claims("webhook", "add", "https://example.org/h", "--events", "claim.gone")

    assert loopback.returncode == 1
    assert "url" in loopback.stderr
    assert unknown.returncode == 2  # a malformed option: usage, as README's exit codes say
    assert "events" in unknown.stderr


def test_webhook_add_names_a_non_http_url_in_the_apis_words(run_claims):
    result = run_claims("webhook", "add", "ftp://example.org/x")

    assert result.returncode == 2
    assert "url: must be an http(s) URL" in result.stderr


def test_webhook_remove_and_deliveries(run_claims):
    run_claims("webhook", "add", "https://example.org/hook")

    deliveries = run_claims("webhook", "deliveries", "1")
    removed = run_claims("webhook", "remove", "1")
    again = run_claims("webhook", "remove", "1")

    assert deliveries.returncode == 0, deliveries.stderr
    assert removed.returncode == 0
    assert again.returncode == 1
    assert "no webhook 1" in again.stderr
