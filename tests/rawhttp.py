"""Raw HTTP/1.1 over a socket, for requests no HTTP client would send (a broken
Content-Length): the answer is read up to its Content-Length or until the server closes."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit


def raw_exchange(url: str, request: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send raw bytes to the server at ``url``; return the status, headers and body it sends."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as conn:
        conn.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received or not _complete(received):
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
    return int(status_line.split()[1]), headers, body


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False
