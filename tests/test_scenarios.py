"""Judged scenarios: `fwtui recommend` arguments and the answers an experienced engineer would sign.

Each scenario names the acceptable first places, frameworks that must (or must not)
be in the top three or five, pairs that must keep their order, a one-line
justification and where that judgement comes from: the seed article's use-case
table (its picks stay first), the frameworks' own documentation, or the PSF /
JetBrains Python Developers Survey. Run with every change of weights or data:
a failure here means the ranking, not the test, needs a second look.
"""

from __future__ import annotations

import json
import shlex
from typing import NamedTuple

import pytest

from fwtui.cli import main

SEED = "seed: the use-case table of 'Python Backend Frameworks: How to Choose the Right One'"
SURVEY = "PSF/JetBrains Python Developers Survey: https://lp.jetbrains.com/python-developers-survey-2024/"
DRF_DOCS = "https://www.django-rest-framework.org/ (an app added to a Django project's INSTALLED_APPS)"
NINJA_DOCS = "https://django-ninja.dev/ (installed into a Django project; models and admin are Django's)"
APIFLASK_DOCS = "https://apiflask.com/docs/ (APIFlask is a Flask subclass)"
QUART_DOCS = "https://quart.palletsprojects.com (the Flask API reimplemented on asyncio)"


class Scenario(NamedTuple):
    args: str
    first: tuple[str, ...]  # acceptable first places
    why: str
    source: str
    top3: tuple[str, ...] = ()  # each must be in the top three (of the included)
    top5: tuple[str, ...] = ()
    not_top3: tuple[str, ...] = ()
    not_top5: tuple[str, ...] = ()
    above: tuple[tuple[str, str], ...] = ()  # (a, b): a ranks above b


SCENARIOS = [
    # The seed's table: its picks come first.
    Scenario("--use-case fullstack-admin", ("django",), "ORM, migrations, admin, auth, forms and templates in one package.", SEED,
             top5=("flask",), not_top3=("py4web", "masonite", "emmett")),
    Scenario("--use-case learning", ("django", "flask"), "The seed names both; both have the largest bodies of tutorials.", SEED,
             top3=("django", "flask")),
    Scenario("--use-case legacy-wsgi", ("django", "flask"), "The seed names both; both are WSGI applications from the start.", SEED,
             top3=("django", "flask"), not_top5=("fastapi", "litestar")),
    Scenario("--use-case prototype", ("flask",), "A route and a return value are a working app.", SEED, top5=("fastapi",)),
    Scenario("--use-case rest-api", ("fastapi",), "Validation, serialization and OpenAPI docs from type hints.", SEED,
             top5=("litestar", "django-ninja"), not_top5=("flask", "django")),
    Scenario("--use-case ml-serving", ("fastapi",), "Typed request models and automatic docs around a model call.", SEED,
             top3=("litestar",), not_top5=("drf", "django")),
    Scenario("--use-case max-throughput", ("litestar",), "The seed's pick for raw throughput with a senior team.", SEED,
             top5=("falcon",), not_top5=("django", "drf", "flask")),
    Scenario("--use-case realtime", ("tornado",), "The seed's pick for many long-lived connections.", SEED,
             top5=("aiohttp",), not_top5=("drf", "flask")),
    # The cases of issue 26.
    Scenario("--use-case rest-api --need admin --need orm", ("drf", "django-ninja"),
             "DRF and Ninja run inside Django: its ORM and admin come with them, where FastAPI needs SQLModel and sqladmin.",
             f"{DRF_DOCS}; {NINJA_DOCS}", top3=("drf", "django-ninja"), above=(("drf", "fastapi"), ("django-ninja", "fastapi"))),
    Scenario("--use-case rest-api --need admin --need orm --strict", ("drf", "django-ninja"),
             "Django's built-ins meet a strict must for the frameworks built on Django.", f"{DRF_DOCS}; {NINJA_DOCS}",
             top3=("drf", "django-ninja"), not_top5=("fastapi", "flask")),
    Scenario("--use-case ml-serving --want csrf", ("fastapi",),
             "CSRF protection is beside the point for a JSON model endpoint; it must not outweigh the fit.", SEED),
    Scenario("--use-case realtime --want cli", ("tornado",),
             "A command-line tool is a small convenience next to holding many connections.", SEED),
    Scenario("--use-case rest-api --know flask", ("fastapi", "apiflask", "flask"),
             "A Flask team keeps its knowledge with APIFlask (a Flask subclass) or Flask with extensions.",
             APIFLASK_DOCS, top5=("apiflask", "flask"), above=(("apiflask", "blacksheep"), ("flask", "blacksheep"))),
    Scenario("--use-case fullstack-admin --need admin", ("django",),
             "A small community's all-in-one stack should not rank above Django's children or Flask with Flask-Admin.",
             SURVEY, above=(("drf", "py4web"), ("flask", "py4web"))),
    # Nice-to-haves and questions move the ranking without overturning the use case.
    Scenario("--use-case rest-api --want forms", ("fastapi",), "HTML forms are not what a JSON API is chosen for.", SEED,
             top3=("django-ninja",)),
    Scenario("--use-case rest-api --async-comfort no", ("drf", "django-ninja", "apiflask", "flask"),
             "The seed advises against FastAPI for a team not yet at ease with async and type hints.", SEED,
             top3=("fastapi",)),
    Scenario("--use-case rest-api --async-comfort yes --perf high", ("fastapi", "litestar"),
             "An async-ready team that wants speed: the two typed ASGI frameworks.", SEED, top3=("litestar",)),
    Scenario("--use-case prototype --team beginner", ("flask",),
             "Beginners move faster with Flask's small core.", SEED, not_top5=("drf", "litestar")),
    Scenario("--use-case learning --team beginner", ("flask", "django"), "Both have the gentlest documented path.", SEED,
             top3=("flask", "django")),
    Scenario("--use-case ml-serving --team beginner", ("fastapi",),
             "FastAPI's tutorial covers a typed endpoint in minutes; Flask stays close.", "https://fastapi.tiangolo.com/tutorial/",
             top5=("flask", "apiflask")),
    # What the team knows.
    Scenario("--use-case rest-api --know django", ("drf", "django-ninja", "fastapi"),
             "A Django team builds its API with DRF or Ninja over the models it has.", f"{DRF_DOCS}; {NINJA_DOCS}",
             top3=("drf", "django-ninja")),
    Scenario("--use-case ml-serving --know flask", ("fastapi", "flask", "apiflask"),
             "A Flask team can wrap a model in Flask, but FastAPI remains the typed choice.", SEED, top3=("flask",)),
    Scenario("--use-case realtime --know flask", ("tornado",),
             "Quart gives a Flask team WebSockets with the API it knows.", QUART_DOCS, top5=("quart",), above=(("quart", "flask"),)),
    Scenario("--use-case internal-tool --know flask", ("django", "flask"),
             "Django's admin is the fastest route to staff screens; a Flask team's own choice stays close.",
             "https://docs.djangoproject.com/en/stable/ref/contrib/admin/", top3=("flask",)),
    Scenario("--use-case prototype --know django", ("flask", "django"),
             "A Django team can prototype in Django; Flask stays the lighter start.", SEED, top3=("django",)),
    Scenario("--know flask", ("flask",), "Knowing Flask counts for it, then for the frameworks that build on it.",
             f"{APIFLASK_DOCS}; {QUART_DOCS}", top3=("apiflask", "quart")),
    # Use cases beyond the seed's table.
    Scenario("--use-case internal-tool", ("django",), "The admin site gives staff screens over the models with almost no code.",
             "https://docs.djangoproject.com/en/stable/ref/contrib/admin/", not_top3=("cherrypy", "fastapi")),
    Scenario("--use-case realtime-orm", ("django", "litestar"),
             "Channels beside Django's ORM, or Litestar's WebSockets with Advanced Alchemy.",
             "https://channels.readthedocs.io/", not_top5=("flask", "tornado")),
    Scenario("--use-case small-container", ("falcon", "fastapi", "starlette"),
             "Few dependencies and a quick start; the seed names FastAPI for containers.", f"{SEED}; https://falcon.readthedocs.io/",
             top3=("fastapi",), not_top5=("django", "drf")),
    Scenario("--use-case rest-api --interface wsgi", ("drf", "django-ninja", "apiflask"),
             "On WSGI the API layers on Django and Flask lead; FastAPI speaks only ASGI.", "https://fastapi.tiangolo.com/deployment/manually/",
             not_top5=("fastapi", "litestar")),
    Scenario("--use-case realtime --need websockets --strict --interface asgi", ("litestar", "fastapi", "starlette", "django", "sanic"),
             "Tornado runs its own server, not ASGI; the ASGI frameworks with WebSockets built in lead.",
             "https://www.tornadoweb.org/en/stable/", not_top5=("tornado", "aiohttp")),
    Scenario("--use-case legacy-wsgi --need orm --interface wsgi", ("django",), "Django's ORM is built in; Flask's is an extension.",
             SEED, top3=("flask",)),
    Scenario("--use-case max-throughput --perf high", ("litestar",), "The seed's pick, with performance asked on top.", SEED,
             top5=("falcon", "blacksheep"), not_top5=("django", "drf")),
    Scenario("--use-case fullstack-admin --maintenance long", ("django",),
             "For the long haul, the largest communities lead.", SURVEY, top3=("flask",), not_top3=("py4web", "masonite", "emmett")),
    Scenario("--use-case rest-api --maintenance long", ("fastapi",),
             "A long-lived API: the widely used typed framework; pre-1.0 or small projects stay out of the top.", SURVEY,
             not_top5=("robyn", "ravyn")),
    Scenario("--use-case fullstack-admin --team intermediate", ("django",),
             "For server-rendered pages DRF and Ninja add only an API layer to Django; Flask with its extensions is the real alternative.",
             f"{SEED}; {DRF_DOCS}", top3=("flask",), above=(("flask", "drf"), ("flask", "django-ninja"))),
    Scenario("--use-case learning", ("django", "flask"),
             "A learner needs current tutorials and answers: a project with no release for two years ranks below the maintained small ones.",
             "https://pypi.org/project/CherryPy/#history (18.10.0 of 2024-06-14 is the newest)",
             above=(("pyramid", "cherrypy"), ("py4web", "cherrypy"))),
    Scenario("--use-case rest-api --team senior", ("fastapi",),
             "sanic[ext] installs Sanic's official extensions, which validate, serialize and document: a mature project ahead of the young typed ones.",
             "https://sanic.dev/en/plugins/sanic-ext/getting-started.html", above=(("sanic", "ravyn"), ("sanic", "falcon"))),
    Scenario("--use-case ml-serving --team senior", ("fastapi",),
             "A model endpoint wants a light typed async service: Sanic with its official extensions and Quart with Quart-Schema "
             "fit it better than a Django project.", "https://quart-schema.readthedocs.io/; https://sanic.dev/en/plugins/sanic-ext/getting-started.html",
             top3=("litestar",), above=(("sanic", "django-ninja"), ("quart", "drf"))),
    Scenario("--use-case max-throughput --async-comfort yes", ("litestar",),
             "Lean ASGI or RSGI cores with fast serializers beat a request path through Django's full handler stack.",
             "https://docs.djangoproject.com/en/stable/topics/http/middleware/; https://github.com/emmett-framework/granian",
             not_top5=("django-ninja",), above=(("emmett", "django-ninja"), ("ravyn", "django-ninja"))),
    Scenario("--use-case realtime --async-comfort yes", ("tornado",),
             "A stable ASGI framework with WebSockets built in holds connections as well as Starlette; an HTMX page helper or an alpha runtime less so.",
             "https://falcon.readthedocs.io/en/stable/api/websocket.html; https://www.blacksheep.fun/",
             above=(("blacksheep", "fasthtml"), ("falcon", "robyn"), ("quart", "drf"))),
    Scenario("--use-case realtime-orm --team intermediate", ("django", "litestar"),
             "Quart's WebSockets with Quart-DB's SQL and migrations, both by Quart's author, cover more of a live database app than Tornado alone.",
             "https://github.com/pgjones/quart-db", above=(("quart", "tornado"),), not_top5=("drf",)),
    Scenario("--use-case internal-tool --team intermediate", ("django",),
             "Emmett's built-in ORM and model forms do more for CRUD screens than FastHTML's SQLite wrapper; Edgy's admin puts Ravyn ahead of Litestar.",
             "https://emmett.sh/docs/; https://edgy.dymmond.com/", above=(("emmett", "fasthtml"), ("ravyn", "litestar"))),
    Scenario("--use-case small-container", ("falcon", "fastapi", "starlette"),
             "Size and start-up decide a function: Bottle's single dependency-free module ahead of APIFlask's four schema libraries.",
             "https://bottlepy.org/docs/dev/; https://apiflask.com/docs/", above=(("bottle", "apiflask"), ("falcon", "django-ninja"))),
    Scenario("--need orm --need admin --need auth", ("django",), "Django ships all three in one package.",
             "https://docs.djangoproject.com/", top5=("drf", "django-ninja"), not_top3=("flask", "fastapi")),
]


def _ranking(args: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["recommend", *shlex.split(args), "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["ranking"]
    return [entry["id"] for entry in entries if not entry["excluded"]]


def test_there_are_enough_judged_scenarios():
    assert len(SCENARIOS) >= 25
    assert all(s.why and s.source for s in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.args for s in SCENARIOS])
def test_scenario(scenario: Scenario, capsys: pytest.CaptureFixture[str]) -> None:
    places = _ranking(scenario.args, capsys)
    said = f"{scenario.args}: {places[:5]} ({scenario.why})"
    assert places[0] in scenario.first, said
    for wanted, among in ((scenario.top3, places[:3]), (scenario.top5, places[:5])):
        assert all(framework_id in among for framework_id in wanted), said
    for unwanted, among in ((scenario.not_top3, places[:3]), (scenario.not_top5, places[:5])):
        assert not any(framework_id in among for framework_id in unwanted), said
    for ahead, behind in scenario.above:
        assert behind not in places or places.index(ahead) < places.index(behind), said
