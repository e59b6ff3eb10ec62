"""Responses for the busiest, cached bodies, compressed once instead of on every request."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response


@dataclass(frozen=True)
class Packed:
    """A body and its gzip form."""

    body: bytes
    gz: bytes

    @classmethod
    def of(cls, body: bytes) -> Packed:
        return cls(body, gzip.compress(body, compresslevel=6, mtime=0))

    def response(self, request: Request, media_type: str) -> Response:
        """The compressed body when the client accepts gzip (the GZip middleware passes an
        already encoded answer through), else the plain one."""
        headers = {"vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["content-encoding"] = "gzip"
            return Response(self.gz, media_type=media_type, headers=headers)
        return Response(self.body, media_type=media_type, headers=headers)
