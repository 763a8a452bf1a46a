"""Request limits in front of Gradio: bounded request bodies, and no file uploads."""

from __future__ import annotations

import asyncio
import json

# Gradio routes that store files the client sends; this app takes none (uploads landed in
# /tmp/gradio, were never cleaned up, and could be downloaded again)
FILE_ROUTES = ("/upload", "/process_recording")
DRAIN_S = 2.0  # seconds a refused request's body is read and dropped (50 MB on loopback: 0.1 s)


class LimitRequests:
    """ASGI middleware: a request body over `max_bytes` is answered 413 before Gradio reads any
    of it (Gradio's own handling of a 4 MB question took a minute), and the upload routes 403.

    The body is read here (it is small by then) and handed on whole.
    """

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].rstrip("/").endswith(FILE_ROUTES):
            return await _refuse(receive, send, 403, "this app accepts no files")
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        too_large = f"request body over {self.max_bytes} bytes"
        if not declared.isdigit() or int(declared) > self.max_bytes:
            return await _refuse(receive, send, 413, too_large)
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:  # a chunked body with no declared length
                return await _refuse(receive, send, 413, too_large)
            if not message.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        return await self.app(scope, replay, send)


async def _refuse(receive, send, status: int, detail: str) -> None:
    """Answer `status` after reading (and dropping) what the client still sends, for up to
    DRAIN_S: closing on unread data resets the connection, and the client would see a reset
    instead of the answer. Reading without parsing costs next to nothing."""
    deadline = asyncio.get_running_loop().time() + DRAIN_S
    try:
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            message = await asyncio.wait_for(receive(), left)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
    except TimeoutError:
        pass
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
