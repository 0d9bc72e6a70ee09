"""A package index served from 127.0.0.1 for the refresh tests: recorded answers and the failures
(errors, bad JSON, slow, dripping and oversized answers, mixed date formats, redirects).

Shared by tests/test_refresh.py, tests/test_refresh_app.py and tests/test_hardening3.py; a module of its own, since test
modules do not import each other.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fwtui import index
from helpers import MINIMAL, TESTS

RECORDED = TESTS / "data" / "index"


def recorded(package: str) -> bytes:
    return (RECORDED / f"{package}.json").read_bytes()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # fwtui hangs up on slow, dripping and oversized answers by design: expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Index:
    """A package index on 127.0.0.1: recorded answers, and named packages that fail in one way each."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None]] = []  # (package, If-None-Match)
        self.github: list[tuple[str, str | None]] = []  # (path, Authorization)
        self.release = threading.Event()
        self.max_bytes = index.MAX_ANSWER_BYTES
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/repos/"):
                    outer.github.append((self.path, self.headers.get("Authorization")))
                    return outer.answer_github(self, self.path.removeprefix("/repos/"))
                match = re.fullmatch(r"/pypi/([^/]+)/json", self.path)
                package = match[1] if match else ""
                outer.requests.append((package, self.headers.get("If-None-Match")))
                outer.answer(self, package)

        self.server = _Server(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/pypi"
        # The same server under another name: another origin, as a browser (and fwtui) compares them.
        self.other_origin = f"http://localhost:{port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, handler: BaseHTTPRequestHandler, package: str) -> None:
        def send(status: int, body: bytes = b"", **headers: str) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                handler.send_header(name.replace("_", "-"), value)
            handler.end_headers()
            handler.wfile.write(body)

        if (RECORDED / f"{package.lower()}.json").is_file():  # names compare case-insensitively, as on PyPI
            body = recorded(package.lower())
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if handler.headers.get("If-None-Match") == etag:
                send(304, ETag=etag)
            else:
                send(200, body, ETag=etag)
        elif package == "slow":
            self.release.wait(10)
            send(200, recorded("django"))
        elif package == "broken":
            send(503, b"<html>Service Unavailable</html>")
        elif package == "badjson":
            send(200, b'{"info": {"name": "badjson",')
        elif package == "huge":
            send(200, b" " * (self.max_bytes + 1) + b"{}")
        elif package == "control":
            document = json.loads(recorded("django"))
            document["info"]["license_expression"] = "BSD-3-Clause\x1b[2J"
            send(200, json.dumps(document).encode())
        elif package in ("endless", "trickle"):
            # No Content-Length: the body ends when the connection closes (HTTP/1.0).
            handler.send_response(200)
            handler.end_headers()
            if package == "endless":
                handler.wfile.write(b" " * (self.max_bytes + 1))
            for _ in range(60 if package == "trickle" else 0):  # a byte every 50 ms for 3 s, then `{}`
                if self.release.wait(0.05):
                    return
                handler.wfile.write(b" ")
                handler.wfile.flush()
            handler.wfile.write(b"{}")
        elif package in ("newline", "badname"):
            document = json.loads(recorded("django"))
            if package == "newline":
                document["releases"]["6.1.3"][0]["requires_python"] = ">=3.12\n[tool.evil]"
            else:
                document["info"]["name"] = "../../admin"
            send(200, json.dumps(document).encode())
        elif package == "drip":
            # The status line and headers one byte every 0.3 s: each read is quick, the answer never ends.
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Padding: " + b"x" * 200 + b"\r\n\r\n"
            for byte in head:
                if self.release.wait(0.3):
                    return
                try:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                except OSError:  # the client gave up, as it should
                    return
        elif package == "mixedzones":
            # Older files carry `upload_time` without a zone, newer ones `upload_time_iso_8601` with a Z.
            document = json.loads(recorded("django"))
            for files in document["releases"].values():
                for number, file in enumerate(files):
                    stamp = file.pop("upload_time_iso_8601")[:19]
                    if number % 2:
                        file["upload_time"] = stamp
                    else:
                        file["upload_time_iso_8601"] = stamp + "Z"
            send(200, json.dumps(document).encode())
        elif package.startswith("redirect-"):
            # redirect-ftp, -file, -escape: a 302 to another scheme; redirect-loop: to itself.
            target = {
                "ftp": "ftp://127.0.0.1/pypi/django/json",
                "file": "file:///etc/passwd",
                "escape": "gopher://evil.example/\x1b]52;c;ZXZpbA==\x07\x1b[2J",  # a clipboard write and a screen clear
            }.get(package[9:], handler.path)
            send(302, Location=target)
        elif package in ("badadvisory", "advisoryflood", "advisorynotlist"):
            # The health facts' part of an answer, broken: an id that clears the screen, too many entries, the wrong type.
            document = json.loads(recorded("advised"))
            if package == "badadvisory":
                document["vulnerabilities"][0]["id"] = "PYSEC-1\x1b[2J"
            elif package == "advisoryflood":
                document["vulnerabilities"] = [document["vulnerabilities"][0]] * (index.MAX_ADVISORIES + 1)
            else:
                document["vulnerabilities"] = "none"
            send(200, json.dumps(document).encode())
        elif package == "zipped":
            send(200, gzip.compress(recorded("django")), Content_Encoding="gzip")
        elif package == "bomb":
            send(200, gzip.compress(b"[" + b" " * (self.max_bytes + 10) + b"]"), Content_Encoding="gzip")
        else:
            send(404, b'{"message": "Not Found"}')

    def answer_github(self, handler: BaseHTTPRequestHandler, slug: str) -> None:
        """Trimmed answers of GitHub's GET /repos/{owner}/{repo}: only the fields fwtui reads."""
        repositories = {
            "example/alpha": {"full_name": "example/alpha", "stargazers_count": 1234, "archived": False, "pushed_at": "2026-11-01T09:00:00Z"},
            "example/beta": {"full_name": "example/beta", "stargazers_count": 50, "archived": True, "pushed_at": "2023-01-05T10:00:00Z"},
        }
        moved = {"example/moved": f"{self.other_origin}/repos/example/alpha", "example/renamed": "/repos/example/alpha"}
        if slug in moved:
            handler.send_response(301)
            handler.send_header("Location", moved[slug])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        status, body = (200, json.dumps(repositories[slug]).encode()) if slug in repositories else (403, b'{"message": "API rate limit exceeded"}')
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def count(self, package: str) -> int:
        return sum(1 for name, _ in self.requests if name == package)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def make_dataset(tmp_path: Path, packages: dict[str, str], release_page: str | None = None, **edits: tuple[str, str]) -> Path:
    """minimal.toml with the frameworks' packages replaced; `release_page` gives alpha a release source on the index."""
    text = MINIMAL.read_text(encoding="utf-8")
    for framework_id, package in packages.items():
        text = text.replace(f'package = "{framework_id}-web"', f'package = "{package}"')
    for old, new in edits.values():
        text = text.replace(old, new, 1)
    if release_page:
        text = text.replace(
            'sources = [{ group = "overview", url = "https://example.org/alpha", checked = 2026-01-01 }]',
            'sources = [\n  { group = "overview", url = "https://example.org/alpha", checked = 2026-01-01 },\n'
            f'  {{ group = "release", url = "{release_page}6.0/", checked = 2026-01-01, note = "6.0 was the latest" }},\n]',
        )
    path = tmp_path / "frameworks.toml"
    path.write_text("# A comment the edit must keep.\n" + text, encoding="utf-8")
    return path
