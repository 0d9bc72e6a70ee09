"""The baselines: each workload written against the bare server interface, no framework.

`raw-asgi` is an ASGI app under uvicorn, `raw-wsgi` a WSGI app under
gunicorn's sync worker, served with the same flags as the dataset's recipes
use for those servers. Measured in the same run as the frameworks, they turn
each result into an overhead: a framework's figure as a share of its
server's bare figure. Nothing here starts servers.
"""

from __future__ import annotations

from typing import NamedTuple

from fwtui.model import BenchRecipe

ASGI_SERVER = "uvicorn app:app --host 127.0.0.1 --port {port} --workers 1 --no-access-log --log-level warning"
WSGI_SERVER = "gunicorn --workers 1 --bind 127.0.0.1:{port} app:app"

_ASGI = '''
import json


async def read_body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    status, content_type, body = handle(scope, await read_body(receive))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
'''

_WSGI = '''
import json


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    scope = {"method": environ["REQUEST_METHOD"], "path": environ.get("PATH_INFO", "/"),
             "query_string": environ.get("QUERY_STRING", "").encode("latin-1")}
    status, content_type, answer = handle(scope, body)
    start_response(f"{status} {'OK' if status == 200 else 'Unprocessable Entity'}",
                   [("Content-Type", content_type.decode()), ("Content-Length", str(len(answer)))])
    return [answer]
'''

_JSON = '''

def handle(scope, body):
    return 200, b"application/json", json.dumps({"message": "Hello, World!"}).encode()
'''

_PLAINTEXT = '''

def handle(scope, body):
    return 200, b"text/plain; charset=utf-8", b"Hello, World!"
'''

_PARAMS = '''
from urllib.parse import parse_qs


def handle(scope, body):
    parts = scope["path"].split("/")
    query = parse_qs(scope["query_string"].decode("latin-1"))
    try:
        if scope["method"] != "POST" or len(parts) != 3 or parts[1] != "items":
            raise ValueError
        item = json.loads(body)
        name, price = item["name"], item["price"]
        if not isinstance(name, str) or isinstance(price, bool) or not isinstance(price, (int, float)) or "q" not in query:
            raise ValueError
        echo = {"id": int(parts[2]), "q": query["q"][0], "name": name, "price": price}
    except (ValueError, KeyError, TypeError):
        return 422, b"application/json", b'{"detail": "invalid"}'
    return 200, b"application/json", json.dumps(echo).encode()
'''


class Baseline(NamedTuple):
    id: str
    name: str
    recipe: BenchRecipe


def _recipe(interface: str, package: str, server: str) -> BenchRecipe:
    return BenchRecipe((package,), interface + _JSON, server, plaintext=interface + _PLAINTEXT, params=interface + _PARAMS)


BASELINES = (
    Baseline("raw-asgi", "raw ASGI (uvicorn)", _recipe(_ASGI, "uvicorn", ASGI_SERVER)),
    Baseline("raw-wsgi", "raw WSGI (gunicorn)", _recipe(_WSGI, "gunicorn", WSGI_SERVER)),
)
IDS = tuple(b.id for b in BASELINES)


def baseline_for(server: str) -> str:
    """The baseline a recipe's figures read against: gunicorn's sync worker's for a WSGI app under gunicorn, else raw ASGI."""
    words = server.split()
    sync_gunicorn = bool(words) and words[0] == "gunicorn" and not any(w in ("-k", "--worker-class") or w.startswith("--worker-class=") for w in words)
    return "raw-wsgi" if sync_gunicorn else "raw-asgi"
