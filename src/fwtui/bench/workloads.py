"""What a bench app is asked to do: the workloads, their requests and the answers they must give.

- `json`: GET / answers JSON {"message": "Hello, World!"}.
- `plaintext`: GET / answers `Hello, World!` as text/plain.
- `params`: POST /items/{id}?q=... with a small JSON body: the path
  parameter as an integer, the query parameter and the body's `name` (text)
  and `price` (number) are validated and echoed as JSON; a body that does
  not validate is refused with a 4xx. That is what every real endpoint does.

A recipe gives one app per workload (BenchRecipe.code, .plaintext, .params)
or says why it cannot (BenchRecipe.unsupported). Nothing here starts
servers or generates load.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fwtui.model import BenchRecipe

JSON_HELLO = {"message": "Hello, World!"}
PLAIN_HELLO = b"Hello, World!"
PARAMS_BODY = {"name": "widget", "price": 9.5}
PARAMS_ECHO = {"id": 42, "q": "blue", "name": "widget", "price": 9.5}
PARAMS_INVALID_BODY = {"name": "widget", "price": "cheap"}


class Workload(NamedTuple):
    name: str
    method: str
    path: str
    body: bytes = b""  # sent as application/json when there is one

    def answer_problem(self, status: int, content_type: str, body: bytes) -> str:
        """'' when this is the answer the workload asks for, else what it was instead."""
        if status != 200:
            return f"answered HTTP {status} instead of 200"
        if self.name == "plaintext":
            if body != PLAIN_HELLO:
                return f"answered {body[:60]!r} instead of {PLAIN_HELLO!r}"
            if not content_type.lower().startswith("text/plain"):
                return f"answered with Content-Type {content_type[:60]!r} instead of text/plain"
            return ""
        expected = PARAMS_ECHO if self.name == "params" else JSON_HELLO
        try:
            found = json.loads(body)
        except ValueError:
            return f"answered {body[:60]!r}, which is not JSON"
        if found != expected:
            return f"answered {json.dumps(found)[:80]} instead of {json.dumps(expected)}"
        return ""


JSON = Workload("json", "GET", "/")
PLAINTEXT = Workload("plaintext", "GET", "/")
PARAMS = Workload("params", "POST", "/items/42?q=blue", json.dumps(PARAMS_BODY).encode())
# The same endpoint with a body that must be refused: the app validates, not only echoes.
PARAMS_INVALID = Workload("params", "POST", "/items/42?q=blue", json.dumps(PARAMS_INVALID_BODY).encode())

WORKLOADS = {w.name: w for w in (JSON, PLAINTEXT, PARAMS)}
NAMES = tuple(WORKLOADS)


def code_for(recipe: BenchRecipe, workload: str) -> str:
    """The recipe's app for the workload ('' when it has none)."""
    return {"json": recipe.code, "plaintext": recipe.plaintext, "params": recipe.params}[workload]


def why_not(recipe: BenchRecipe, workload: str) -> str:
    """Why the recipe has no app for the workload, as it says, or that it says nothing; '' when it has one."""
    if code_for(recipe, workload):
        return ""
    reason = recipe.unsupported.get(workload, "")
    return f"cannot do the {workload} workload: {reason}" if reason else f"the recipe has no code for the {workload} workload"
