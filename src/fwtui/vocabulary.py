"""The dataset's vocabulary: every closed set of words fwtui knows, and how each reads.

One statement of each: the schema builds its enums from these tuples, the
engine, the panes, the CLI and the summaries take their labels from here.
Nothing here validates or draws; it imports nothing of fwtui's.
"""

from __future__ import annotations

BUILTINS: tuple[str, ...] = (
    "orm",
    "migrations",
    "admin",
    "auth",
    "templating",
    "forms",
    "validation",
    "serialization",
    "openapi",
    "websockets",
    "background_tasks",
    "dependency_injection",
    "csrf",
    "sessions",
    "cli",
)
BUILTIN_LABELS: dict[str, str] = {
    "orm": "ORM",
    "migrations": "migrations",
    "admin": "admin interface",
    "auth": "authentication",
    "templating": "templating",
    "forms": "forms",
    "validation": "request validation",
    "serialization": "serialization",
    "openapi": "OpenAPI docs",
    "websockets": "WebSockets",
    "background_tasks": "background tasks",
    "dependency_injection": "dependency injection",
    "csrf": "CSRF protection",
    "sessions": "sessions",
    "cli": "CLI",
}

# How a framework provides a built-in, best first. See docs/dataset.md, "What makes a built-in cell".
BUILTIN_LEVELS: tuple[str, ...] = ("built-in", "first-party", "extension", "no")
LEVEL_GLYPHS: dict[str, str] = {"built-in": "✓", "first-party": "◐", "extension": "+", "no": "·"}
LEVEL_STYLES: dict[str, str] = {"built-in": "green", "first-party": "cyan", "extension": "yellow", "no": "dim"}
LEVEL_LABELS: dict[str, str] = {
    "built-in": "built in",
    "first-party": "first-party package",
    "extension": "community extension",
    "no": "none",
}
# Beside a cell's glyph: its package has had no release for QUIET_AFTER_MONTHS (rule R4).
QUIET_GLYPH = "~"
QUIET_LABEL = "quiet package"
# Levels that name the package providing them (builtin_packages and the note).
PACKAGED_LEVELS: tuple[str, ...] = ("first-party", "extension")

# A project's state as its maintainers or its release history show it (rule R6).
STATUSES: tuple[str, ...] = ("stable", "beta", "alpha", "inactive")

KINDS: tuple[str, ...] = ("full-stack", "micro", "api", "async-networking")
KIND_BADGES: dict[str, str] = {"full-stack": "full", "micro": "micro", "api": "api", "async-networking": "net"}
INTERFACES: tuple[str, ...] = ("wsgi", "asgi", "own-server")
LEARNING_CURVES: tuple[str, ...] = ("gentle", "moderate", "steep")
ASYNC_MODELS: tuple[str, ...] = ("native", "optional", "none")
THROUGHPUTS: tuple[str, ...] = ("high", "medium", "low")
COMMUNITY_SIZES: tuple[str, ...] = ("very-large", "large", "medium", "small")
SERVERS: tuple[str, ...] = ("gunicorn", "uwsgi", "mod_wsgi", "waitress", "uvicorn", "hypercorn", "daphne", "granian", "own")
SOURCE_GROUPS: tuple[str, ...] = ("overview", "release", "features", "servers", "community", "hello", "bench")
TEAMS: tuple[str, ...] = ("beginner", "intermediate", "senior")
YES_NO: tuple[str, ...] = ("yes", "no")
PRIORITIES: tuple[str, ...] = ("low", "medium", "high")
HORIZONS: tuple[str, ...] = ("short", "long")
CRITERIA: tuple[str, ...] = ("use_case", "need", "interface", "team", "async_comfort", "performance", "maintenance")

# The questions of Decide (criteria with one answer each): their answers, and their names in
# a sentence ("with team experience senior") and on the panel's one-line controls.
QUESTIONS: tuple[str, ...] = ("interface", "team", "async_comfort", "performance", "maintenance")
ANSWERS: dict[str, tuple[str, ...]] = {
    "interface": ("wsgi", "asgi"),
    "team": TEAMS,
    "async_comfort": YES_NO,
    "performance": PRIORITIES,
    "maintenance": HORIZONS,
}
QUESTION_LABELS: dict[str, str] = {
    "interface": "interface",
    "team": "team experience",
    "async_comfort": "async comfort",
    "performance": "performance priority",
    "maintenance": "maintenance horizon",
}
QUESTION_SHORT_LABELS: dict[str, str] = {
    "interface": "Interface",
    "team": "Team",
    "async_comfort": "Async at ease",
    "performance": "Performance",
    "maintenance": "Maintenance",
}

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "full-stack": "Full-stack framework",
        "micro": "Microframework",
        "api": "API framework",
        "async-networking": "Async networking library and framework",
    },
    "interfaces": {"wsgi": "WSGI", "asgi": "ASGI", "own-server": "own server"},
    "team": {"beginner": "a beginner team", "intermediate": "an intermediate team", "senior": "a senior team"},
}

# A release older than this many months marks a framework, or a package a cell names, as quiet (rule R4).
QUIET_AFTER_MONTHS = 24

# The least GitHub stars for each community size, largest first (rule R7).
COMMUNITY_STARS: dict[str, int] = {"very-large": 50_000, "large": 15_000, "medium": 3_000, "small": 0}


def builtin_label(name: str) -> str:
    return BUILTIN_LABELS.get(name, name.replace("_", " "))


# A built-in in a few letters, where a row has room for a word and a glyph ("orm✓ ws◐").
BUILTIN_SHORT_LABELS: dict[str, str] = {
    "orm": "orm",
    "migrations": "migr",
    "admin": "admin",
    "auth": "auth",
    "templating": "tmpl",
    "forms": "forms",
    "validation": "valid",
    "serialization": "serial",
    "openapi": "openapi",
    "websockets": "ws",
    "background_tasks": "tasks",
    "dependency_injection": "di",
    "csrf": "csrf",
    "sessions": "sess",
    "cli": "cli",
}
