"""Addresses that cannot be reached, without touching the internet.

A closed port on 127.0.0.1 refuses the connection at once. A `.invalid` host name never
resolves (RFC 6761), but on a machine whose resolver is slow offline asking could take a
while, so tests ask `resolves_offline_fast` first and skip the DNS case rather than hang.
"""

from __future__ import annotations

import asyncio
import socket

INVALID_HOST = "research-feed.invalid"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def resolves_offline_fast(name: str = INVALID_HOST) -> bool:
    """Whether this machine's resolver says "no such host" for `name` within two seconds."""
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.getaddrinfo(name, 80), 2)
    except socket.gaierror:
        return True
    except TimeoutError:
        return False
    return False  # a resolver that answers for .invalid (RFC 6761 says it must not)
