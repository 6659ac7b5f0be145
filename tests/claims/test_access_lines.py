"""The access log's lines: the JSON line is the fields' JSON, and the handler loses none."""

from __future__ import annotations

import asyncio
import io
import json
import threading

import orjson
from hypothesis import example, given
from hypothesis import strategies as st

from claims import logs

TEXT = st.text(max_size=40)


def _request(path="/v1/claims/7", token=None, method="GET", seconds=0.000123):
    return ("req-1", method, "/v1/claims/{ref}", path, 200, seconds, token)


def _on_a_fresh_thread(work) -> None:
    """Run ``work`` where no event loop runs (a browser test's loop may run on this thread)."""
    failed = []

    def run():
        try:
            work()
        except BaseException as exc:  # re-raised below, on the test's thread
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


@given(
    path=TEXT,
    token=st.none() | TEXT,
    method=TEXT,
    request_id=TEXT,
    status=st.integers(100, 599),
    seconds=st.floats(0, 3600),
)
def test_json_line_is_the_fields_as_json(path, token, method, request_id, status, seconds):
    request = (request_id, method, "/v1/claims/{ref}", path, status, seconds, token)
    created = 1_790_000_000.123

    fields = {"time": logs._stamp(created), "level": "info", **logs.access_fields(*request)}

    assert logs.access_json(request, created) == orjson.dumps(fields).decode()


# Strings that look like the seam between two lines' objects, and quotes to escape.
TRICKY = st.text(alphabet='},{"time:\\\n ab', max_size=30) | TEXT


@given(
    st.lists(
        st.tuples(TRICKY, TRICKY, TRICKY, st.none() | TRICKY, st.floats(0, 3600)),
        min_size=1,
        max_size=6,
    )
)
@example([("a},{b", "/r", '},{"time":"x"}', "},{", 0.5), ("id", "/r", "/p", None, 0.0)])
def test_a_batch_of_json_lines_is_each_request_as_json_on_its_own_line(requests):
    created = 1_790_000_000.123
    items = [
        (created + n, (request_id, "GET", route, path, 200, seconds, token))
        for n, (request_id, route, path, token, seconds) in enumerate(requests)
    ]

    text = logs.access_json_lines(items)

    expected = [
        orjson.dumps(
            {"time": logs._stamp(created), "level": "info", **logs.access_fields(*request)}
        ).decode()
        for created, request in items
    ]
    assert text.endswith("\n")
    assert text[:-1].split("\n") == expected


@given(seconds=st.floats(0, 3600))
def test_duration_is_milliseconds_to_two_decimals(seconds):
    duration = logs.access_fields(*_request(seconds=seconds))["duration_ms"]

    assert abs(duration - seconds * 1000) <= 0.005 + 1e-9 * seconds * 1000


def test_lines_added_on_a_loop_are_all_written_in_order():
    handler = logs.AccessLines("json", interval=0.01)
    handler.stream = io.StringIO()

    async def serve():
        for n in range(250):  # more than one chunk of the loop's formatting
            handler.add(_request(path=f"/v1/claims/{n}"))
        await asyncio.sleep(0.05)

    _on_a_fresh_thread(lambda: asyncio.run(serve()))
    handler.flush()

    lines = [json.loads(line) for line in handler.stream.getvalue().splitlines()]
    assert [line["path"] for line in lines] == [f"/v1/claims/{n}" for n in range(250)]


def test_lines_pending_when_the_loop_stops_are_written_by_flush():
    handler = logs.AccessLines("text", interval=60)
    handler.stream = io.StringIO()

    async def serve():
        handler.add(_request(token="desk-7"))

    _on_a_fresh_thread(lambda: asyncio.run(serve()))
    assert handler.stream.getvalue() == ""
    handler.flush()

    assert "token=desk-7 path=/v1/claims/7" in handler.stream.getvalue()


def test_a_line_added_with_no_loop_running_is_formatted_at_once():
    handler = logs.AccessLines("json", interval=60)
    handler.stream = io.StringIO()

    _on_a_fresh_thread(lambda: handler.add(_request()))
    handler._write()

    assert json.loads(handler.stream.getvalue())["route"] == "/v1/claims/{ref}"
