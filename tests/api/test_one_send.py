"""`claims serve`'s HTTP protocol sends the writes of one turn of the event loop at once."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from uvicorn.config import Config
from uvicorn.server import ServerState

from api.protocol import ProblemProtocol, _OneSendPerTurn

T = TypeVar("T")


class Recorder(asyncio.Protocol):
    """The far end of a socket pair: what arrived, and in how many reads."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)


async def _pair() -> tuple[asyncio.Transport, Recorder, list[bytes]]:
    """A real transport over a socket pair whose sends are counted, and its far end."""
    loop = asyncio.get_running_loop()
    near, far = socket.socketpair()
    transport, _ = await loop.create_connection(asyncio.Protocol, sock=near)
    recorder = Recorder()
    await loop.create_connection(lambda: recorder, sock=far)
    sent: list[bytes] = []
    write = transport.write

    def counting(data: bytes) -> None:
        sent.append(bytes(data))
        write(data)

    transport.write = counting  # type: ignore[method-assign]
    return transport, recorder, sent


def _run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``main()`` on a loop of its own, in a thread of its own: this process's main thread
    may hold a running loop (Playwright's, when a page test ran here first)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


async def _turns(n: int = 3) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


def test_an_answers_head_and_body_go_out_in_one_send():
    async def main() -> list[bytes]:
        transport, recorder, sent = await _pair()
        joined = _OneSendPerTurn(transport, asyncio.get_running_loop())
        joined.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        joined.write(b"{}")
        await _turns()
        await asyncio.sleep(0.05)
        transport.close()
        assert b"".join(recorder.chunks) == b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"
        return sent

    assert _run(main) == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]


def test_writes_of_later_turns_go_out_in_order():
    async def main() -> tuple[list[bytes], bytes]:
        transport, recorder, sent = await _pair()
        joined = _OneSendPerTurn(transport, asyncio.get_running_loop())
        for event in (b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n"):
            joined.write(event)
            await _turns()
        await asyncio.sleep(0.05)
        transport.close()
        return sent, b"".join(recorder.chunks)

    sent, received = _run(main)
    assert sent == [b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n"]
    assert received == b"data: 1\n\ndata: 2\n\ndata: 3\n\n"


def test_close_sends_what_is_queued_first():
    async def main() -> bytes:
        transport, recorder, _ = await _pair()
        joined = _OneSendPerTurn(transport, asyncio.get_running_loop())
        joined.write(b"last words")
        joined.close()
        await _turns()
        await asyncio.sleep(0.05)
        return b"".join(recorder.chunks)

    assert _run(main) == b"last words"


def test_the_protocol_of_claims_serve_writes_through_the_joining_transport():
    async def main() -> object:
        async def app(scope: dict, receive: object, send: object) -> None:
            """Never called: no request is made."""

        config = Config(app, http=ProblemProtocol, lifespan="off")
        config.load()
        protocol = ProblemProtocol(config=config, server_state=ServerState(), app_state={})
        transport, _, _ = await _pair()
        protocol.connection_made(transport)
        joined = protocol.transport
        protocol.connection_lost(None)
        transport.close()
        return joined

    assert isinstance(_run(main), _OneSendPerTurn)
