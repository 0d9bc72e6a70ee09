"""`fwtui refresh`: what the package index says about each framework, as a diff, an overlay or an in-place edit.

For each framework's package: the latest version (the newest release that is
neither a pre-release nor yanked), the month it was uploaded, the minimum
Python its files declare (else the index's summary), its license (the license
expression, else one unambiguous classifier), and notes that are shown but
never written: the first upload year, a newer pre-release, an ambiguous
license. The changes go to refresh.toml in fwtui's config folder (loaded after
the dataset and before the user's overlay), to --output, or with --apply into
the dataset file itself, keeping its comments and layout (tomlkit, imported
only then).

The network is index.py's; argument parsing and printing are cli.py's.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fwtui import clock, dataset
from fwtui.text import escape

if TYPE_CHECKING:
    from packaging.version import Version

    from fwtui.index import Project, Repository
    from fwtui.model import Dataset, Framework, Package

FIELDS = ("latest_version", "latest_release", "min_python", "license")
# The newest CPython release: the wheel facts of [framework.health] say whether a package installs there from a wheel.
NEWEST_CPYTHON = "3.14"
OVERLAY_HEADER = """\
# Written by `fwtui refresh` from the package index on {today} ({url}).
# fwtui loads this after its dataset and before your own overlay.toml; an entry
# is skipped once the dataset's own release facts were checked later.
# Run `fwtui refresh` again to update it; delete the file to drop it.

"""


class RefreshError(Exception):
    """A result that cannot be written; the message says why and nothing was written."""


class Change(NamedTuple):
    """One difference between the dataset and the index. With a note, it is only shown, never written."""

    id: str
    field: str
    old: Any
    new: Any
    source: str
    note: str = ""

    def as_record(self) -> dict[str, Any]:
        return {"id": self.id, "field": self.field, "old": self.old, "new": self.new, "source": self.source, "note": self.note or None}


class Problem(NamedTuple):
    id: str
    error: str

    def as_record(self) -> dict[str, Any]:
        return {"id": self.id, "error": self.error}


class Update(NamedTuple):
    """What a changed framework's overlay entry holds: the new values and its sources with the release one checked today."""

    fields: dict[str, Any]
    page: str  # "" when no release fact changed (stars only)
    note: str
    checked: dt.date
    sources: tuple[dict[str, Any], ...] | None  # None: the sources stay as they are


class Report(NamedTuple):
    changes: tuple[Change, ...]
    problems: tuple[Problem, ...]
    read: tuple[str, ...]  # ids of the frameworks whose package was read
    updates: dict[str, Update]
    seconds: float
    index_url: str
    today: dt.date
    packages_read: tuple[str, ...] = ()  # names of the registry's packages that were read
    package_updates: dict[str, dict[str, Any]] = {}  # name -> the registry fields that changed, with checked

    @property
    def written(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if not change.note)


class Facts(NamedTuple):
    """What one answer says, in the dataset's terms; None with a reason where it says nothing clear."""

    latest_version: str | None
    uploaded: dt.datetime | None
    min_python: str | None
    python_why: str
    license: str | None
    license_why: str
    license_seen: str | None
    first_upload: dt.datetime | None
    newest_pre: tuple[str, dt.datetime] | None


# Versions (PEP 440) -----------------------------------------------------------------

def parse_version(text: str) -> Version | None:
    """The PEP 440 version a release is named by; None when the name is not one."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


def final_version(text: str) -> Version | None:
    """The version of a final release (or a post-release of one); None for a pre-release, a dev
    release, a local version or no valid version."""
    version = parse_version(text)
    return None if version is None or version.is_prerelease or version.local else version


# Reading an answer -----------------------------------------------------------------

_LOWER_BOUND = re.compile(r"^\s*(>=|~=|==|>)\s*v?([0-9]+)(?:\.([0-9]+))?")

# Classifiers that name exactly one license, as SPDX ids. "BSD License" or
# "Apache Software License" say neither which BSD nor which Apache version.
_CLASSIFIER_LICENSES = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: Zero-Clause BSD (0BSD)": "0BSD",
    "License :: OSI Approved :: Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    "License :: OSI Approved :: Universal Permissive License (UPL)": "UPL-1.0",
    "License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication": "CC0-1.0",
}


def min_python(requires_python: str | None) -> str | None:
    """The lowest Python X.Y a Requires-Python specifier allows (">=3.8,<4" -> "3.8"), or None without a lower bound."""
    bounds = []
    for clause in (requires_python or "").split(","):
        match = _LOWER_BOUND.match(clause)
        if match:
            bounds.append((int(match[2]), int(match[3] or 0)))
    return "{}.{}".format(*max(bounds)) if bounds else None


def read_facts(project: Project) -> Facts:
    releases = []  # (version, first upload, files) of releases with files that are not withdrawn
    first_upload: dt.datetime | None = None
    for version, files in project.releases.items():
        if not files:
            continue
        uploaded = min(file.uploaded for file in files)
        first_upload = uploaded if first_upload is None else min(first_upload, uploaded)
        if not all(file.yanked for file in files):
            releases.append((version, uploaded, files))
    finals = [(key, version, uploaded, files) for version, uploaded, files in releases if (key := final_version(version)) is not None]
    if not finals:
        return Facts(None, None, None, "", None, "", None, first_upload, None)
    _, latest, uploaded, files = max(finals, key=lambda item: item[0])
    pres = [(up, version) for version, up, _ in releases if final_version(version) is None and parse_version(version) and up > uploaded]
    newest_pre = (max(pres)[1], max(pres)[0]) if pres else None

    summary_is_latest = project.version == latest
    python = min_python(",".join(file.requires_python for file in files if file.requires_python) or None)
    python_why = ""
    if python is None and summary_is_latest:
        python = min_python(project.requires_python)
    if python is None:
        python_why = f"{latest}'s files declare no lower bound for Python (Requires-Python)"

    license_value, license_why, seen = _license(project, latest, summary_is_latest)
    return Facts(latest, uploaded, python, python_why, license_value, license_why, seen, first_upload, newest_pre)


def _license(project: Project, latest: str, summary_is_latest: bool) -> tuple[str | None, str, str | None]:
    """(license, why not, what the index said)."""
    if not summary_is_latest:
        return None, f"the index's summary describes {project.version}, not {latest}", None
    if project.license_expression:
        return project.license_expression, "", project.license_expression
    named = [c for c in project.classifiers if c.startswith("License ::")]
    if not named:
        return None, "the index gives no license expression and no license classifier", None
    shown = "; ".join(c.split(" :: ")[-1] for c in named)
    if len(named) > 1:
        return None, f"the index gives several license classifiers ({shown})", shown
    spdx = _CLASSIFIER_LICENSES.get(named[0])
    if spdx is None:
        return None, f'the classifier "{shown}" does not name one license', shown
    return spdx, "", shown


# Comparing with the dataset -----------------------------------------------------------

_PYPI_PROJECT = re.compile(r"^https?://pypi\.org/project/([^/]+)/")


def package_of(framework: Framework) -> str | None:
    """The framework's distribution: its `package`, else the project named by its PyPI release source."""
    if framework.package:
        return framework.package
    for source in framework.sources:
        match = _PYPI_PROJECT.match(source.url)
        if source.group == "release" and match:
            return match[1]
    return None


def _normal(url: str) -> str:
    # PEP 503: names compare lower-cased with runs of "-", "_" and "." alike. Applied to the
    # whole URL on both sides, so "pypi.org/project/Django/5.0/" falls under "pypi.org/project/django/".
    return re.sub(r"[-_.]+", "-", url.lower())


def is_index_source(url: str, page: str) -> bool:
    return _normal(url).startswith(_normal(page))


def diff(framework: Framework, facts: Facts, page: str) -> list[Change]:
    changes: list[Change] = []

    def note(field: str, old: Any, new: Any, why: str) -> None:
        changes.append(Change(framework.id, field, old, new, page, why))

    if facts.latest_version is None or facts.uploaded is None:
        note("latest_version", framework.latest_version, None, "the index has no release that is neither a pre-release nor yanked")
        return changes
    month = f"{facts.uploaded.year:04d}-{facts.uploaded.month:02d}"
    found = {"latest_version": facts.latest_version, "latest_release": month, "min_python": facts.min_python, "license": facts.license}
    for field in FIELDS:
        old, new = getattr(framework, field), found[field]
        if new is None:
            continue
        same = old.casefold() == new.casefold() if field == "license" else old[:7] == new if field == "latest_release" else old == new
        if not same:
            changes.append(Change(framework.id, field, old, new, page))
    if facts.min_python is None:
        note("min_python", framework.min_python, None, facts.python_why)
    if facts.license is None:
        note("license", framework.license, facts.license_seen, facts.license_why)
    if facts.first_upload is not None and facts.first_upload.year < framework.first_release:
        note("first_release", framework.first_release, facts.first_upload.year,
             "first upload to the index is earlier than first_release; first_release is never overwritten: check its source")
    if facts.newest_pre is not None:
        version, when = facts.newest_pre
        note("last_upload", month, when.date().isoformat(), f"the pre-release {version} is newer than {facts.latest_version}")
    return changes


def _release_note(facts: Facts) -> str:
    assert facts.uploaded is not None
    parts = [f"{facts.latest_version}, uploaded {facts.uploaded.date().isoformat()}"]
    if facts.min_python:
        parts.append(f"Python >= {facts.min_python}")
    if facts.license:
        parts.append(f"license {facts.license}")
    return "Read by fwtui refresh from the package index's JSON API: " + "; ".join(parts) + "."


def _updated_sources(framework: Framework, page: str, note: str, today: dt.date) -> tuple[dict[str, Any], ...]:
    sources = [dict(source) for source in framework.raw.get("sources", ())]
    for source in sources:
        if source.get("group") == "release" and is_index_source(str(source.get("url", "")), page):
            source.update(url=page, checked=today, note=note)
            return tuple(sources)
    return (*sources, {"group": "release", "url": page, "checked": today, "note": note})


# Checking frameworks ------------------------------------------------------------------


def load_base(path: Path) -> tuple[Dataset, dict[str, Any]]:
    """The dataset file alone (no refresh.toml, no overlay): what the diff is against; DatasetError if invalid."""
    document = dataset.read_toml(path)
    problems = dataset.check(document)
    if problems:
        raise dataset.DatasetError(str(path), problems)
    return dataset.build(document, (path,)), document


def check(
    frameworks: Sequence[Framework],
    base_url: str,
    timeout: float,
    *,
    github_url: str | None = None,
    today: dt.date | None = None,
    on_done: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    registry: Sequence[Package] = (),
) -> Report:
    """Ask the index (and GitHub, given its API base) about every framework and each package of the
    `registry`, and compare; `on_done(done, total)` follows.

    Setting `cancel` ends the requests under way promptly (each then fails as "cancelled").
    """
    from functools import partial

    from fwtui import index

    today = today or clock.today()
    started = time.monotonic()
    problems: list[Problem] = []
    packages: dict[str, list[Framework]] = {}
    repositories: dict[str, list[Framework]] = {}
    for framework in frameworks:
        package = package_of(framework)
        if package is None:
            problems.append(Problem(framework.id, "no package: give the framework a `package` field (its name on the package index)"))
        else:
            packages.setdefault(package, []).append(framework)
        slug = index.github_slug(framework.repository) if github_url else None
        if slug:
            repositories.setdefault(slug, []).append(framework)
    tasks: list[tuple[str, Callable[[], Any]]] = [(f"index:{p}", partial(index.fetch_project, p, base_url, timeout)) for p in packages]
    if github_url:
        tasks += [(f"github:{slug}", partial(index.fetch_repository, slug, github_url, timeout)) for slug in repositories]
    tasks += package_tasks(registry, {key for key, _ in tasks}, base_url, timeout)
    done = 0

    def landed(key: str, result: Any) -> None:
        nonlocal done
        done += 1
        if on_done is not None:
            on_done(done, len(tasks))

    answers = index.fetch_all(tasks, on_done=landed, cancel=cancel)
    changes: list[Change] = []
    fields: dict[str, dict[str, Any]] = {}
    releases: dict[str, tuple[str, str]] = {}  # id -> (index page, note) where release facts changed
    read: list[str] = []
    for package, users in packages.items():
        answer = answers[f"index:{package}"]
        for framework in users:
            if isinstance(answer, index.Failure):
                problems.append(Problem(framework.id, f"{package}: {answer.reason}"))
                continue
            read.append(framework.id)
            facts = read_facts(answer)
            page = index.project_page(base_url, answer.name)
            found = diff(framework, facts, page)
            changes.extend(found)
            written = {change.field: change.new for change in found if not change.note}
            if written:
                fields.setdefault(framework.id, {}).update(written)
                releases[framework.id] = (page, _release_note(facts))
            health = read_health(answer, facts, page, today)
            health_changes = health_diff(framework, health)
            if health is not None and health_changes:
                changes.extend(health_changes)
                fields.setdefault(framework.id, {})["health"] = health
    for slug, users in repositories.items():
        answer = answers[f"github:{slug}"]
        for framework in users:
            if isinstance(answer, index.Failure):
                problems.append(Problem(framework.id, f"GitHub {slug}: {answer.reason}"))
                continue
            found = github_diff(framework, answer, today)
            changes.extend(found)
            if any(change.field == "stars.count" for change in found):
                fields.setdefault(framework.id, {})["stars"] = {"count": answer.stars, "read_on": today, "source": framework.repository}
    by_id = {framework.id: framework for framework in frameworks}
    updates = {}
    for framework_id, values in fields.items():
        page, note = releases.get(framework_id, ("", ""))
        sources = _updated_sources(by_id[framework_id], page, note, today) if page else None
        updates[framework_id] = Update(values, page, note, today, sources)
    order = {framework.id: place for place, framework in enumerate(frameworks)}
    changes.sort(key=lambda change: (order[change.id], bool(change.note)))
    problems.sort(key=lambda problem: order[problem.id])
    package_changes, package_problems, packages_read, package_updates = package_diffs(registry, answers, base_url, today)
    return Report(tuple(changes + package_changes), tuple(problems + package_problems), tuple(read), updates,
                  time.monotonic() - started, base_url, today, packages_read, package_updates)


# Health: what the index says about a package's upkeep ------------------------------------


def read_health(project: Project, facts: Facts, page: str, today: dt.date) -> dict[str, Any] | None:
    """The [framework.health] table one answer gives, as the file holds it; None when the answer lists no
    advisories (an index without the list would otherwise read as one without advisories) or no release."""
    from fwtui.model import months_before

    if project.advisories is None or facts.latest_version is None:
        return None
    released = [(min(f.uploaded for f in files), version) for version, files in project.releases.items()
                if files and not all(f.yanked for f in files)]
    if not released:
        return None
    year_ago = months_before(today, 12)
    latest_files = project.releases.get(facts.latest_version, ())
    wheel_for_newest, wheel_free_threaded = wheel_support(file.filename for file in latest_files if not file.yanked)
    return {
        "read_on": today,
        "source": page,
        "version": project.version,
        "last_release": max(released)[0].date(),
        "releases_12_months": sum(1 for uploaded, _ in released if year_ago < uploaded.date() <= today),
        "yanked_releases": sum(1 for files in project.releases.values() if files and all(f.yanked for f in files)),
        "newest_cpython": NEWEST_CPYTHON,
        "wheel_for_newest": wheel_for_newest,
        "wheel_free_threaded": wheel_free_threaded,
        "advisories": [{"id": a.id, "aliases": list(a.aliases), "fixed_in": list(a.fixed_in)} for a in project.advisories],
    }


def wheel_support(filenames: Iterable[str], newest: str = NEWEST_CPYTHON) -> tuple[bool, bool]:
    """(a wheel installs on CPython `newest`, one installs on its free-threaded build), from wheel file names' tags.

    A wheel's last three name parts are its Python, ABI and platform tags, each
    possibly several joined by dots (PEP 427). Pure Python (`py3-none-any`) and
    `py3-none-<platform>` wheels suit both builds; `cpXY-cpXY` the one with the
    GIL, `cpXY-cpXYt` the free-threaded one; `abi3` any CPython from its version
    on, but not a free-threaded one.
    """
    digits = newest.replace(".", "")
    minor = int(newest.split(".")[1])
    normal = free = False
    for filename in filenames:
        parts = filename.removesuffix(".whl").split("-") if filename.endswith(".whl") else []
        if len(parts) < 5:
            continue
        pythons, abis = set(parts[-3].split(".")), set(parts[-2].split("."))
        if "none" in abis and pythons & {"py3", f"cp{digits}", f"py{digits}"}:
            normal = free = True
        if f"cp{digits}" in pythons and f"cp{digits}" in abis:
            normal = True
        if f"cp{digits}t" in abis:
            free = True
        if "abi3" in abis and any(re.fullmatch(r"cp3([0-9]+)", tag) and int(tag[3:]) <= minor for tag in pythons):
            normal = True
    return normal, free


def health_diff(framework: Framework, health: dict[str, Any] | None) -> list[Change]:
    """A change for each health fact that differs from the dataset's (the date it was read aside)."""
    if health is None:
        return []
    old = framework.raw.get("health") or {}
    changes = []
    for field, new in health.items():
        if field in ("read_on", "source"):
            continue
        before = old.get(field)
        if field == "advisories":
            if _advisories_as_read(before or []) == _advisories_as_read(new):
                continue
            before, new = _advisory_ids(before or []), _advisory_ids(new)
        elif before == new:
            continue
        if isinstance(new, dt.date):
            before, new = before.isoformat() if isinstance(before, dt.date) else before, new.isoformat()
        changes.append(Change(framework.id, f"health.{field}", before, new, health["source"]))
    return changes


def _advisories_as_read(advisories: Iterable[Any]) -> list[tuple[Any, ...]]:
    return [(a.get("id"), list(a.get("aliases", ())), list(a.get("fixed_in", ()))) for a in advisories if isinstance(a, dict)]


def _advisory_ids(advisories: Iterable[Any]) -> str:
    return ", ".join(str(a.get("id")) for a in advisories if isinstance(a, dict)) or "none"


def github_diff(framework: Framework, repository: Repository, today: dt.date) -> list[Change]:
    """Stars (written, with today's read_on); archived and a long-quiet repository as notes."""
    from fwtui.vocabulary import QUIET_AFTER_MONTHS

    source = framework.repository
    old = framework.stars.count if framework.stars else None
    changes = [] if old == repository.stars else [Change(framework.id, "stars.count", old, repository.stars, source)]
    if repository.archived:
        changes.append(Change(framework.id, "archived", None, True, source, "the repository is archived on GitHub"))
    if repository.pushed is not None:
        months = (today.year - repository.pushed.year) * 12 + today.month - repository.pushed.month
        if months > QUIET_AFTER_MONTHS:
            changes.append(Change(framework.id, "last_push", None, repository.pushed.date().isoformat(), source,
                                  f"no push to the repository for {months} months"))
    return changes


# Checking the registry's packages ---------------------------------------------------------

PACKAGE_FIELDS = ("last_release", "requires_python", "yanked")
PACKAGE_ID = "package:"  # a change or problem about a registry package has this id before its name


class PackageFacts(NamedTuple):
    """What one answer says about a package the registry names (rule R4)."""

    last_release: dt.date | None  # the day of the newest release that is not yanked, of any kind
    requires_python: str | None  # as the newest final release's files declare it
    yanked: bool  # whether the newest release of all is yanked


def read_package_facts(project: Project) -> PackageFacts:
    """A package's release facts. Its last release is the newest by date, a pre-release or an old
    line's patch included: any release shows the package is kept."""
    releases = [(min(file.uploaded for file in files), version, files) for version, files in project.releases.items() if files]
    if not releases:
        return PackageFacts(None, None, False)
    yanked = all(file.yanked for file in max(releases, key=lambda release: release[0])[2])
    live = [release for release in releases if not all(file.yanked for file in release[2])]
    if not live:
        return PackageFacts(None, None, yanked)
    newest = max(live, key=lambda release: release[0])
    finals = [(key, release) for release in live if (key := final_version(release[1])) is not None]
    _, version, files = max(finals, key=lambda item: item[0])[1] if finals else newest
    requires = next((file.requires_python for file in files if file.requires_python), None)
    if requires is None and project.version == version:
        requires = project.requires_python
    return PackageFacts(newest[0].date(), requires.strip() if requires else None, yanked)


def package_diff(package: Package, facts: PackageFacts, page: str) -> list[Change]:
    """The registry entry's release facts that the index says otherwise."""
    key = f"{PACKAGE_ID}{package.name}"
    if facts.last_release is None:
        return [Change(key, "last_release", package.last_release, None, page, "the index has no release that is not yanked")]
    found = {"last_release": facts.last_release, "requires_python": facts.requires_python, "yanked": facts.yanked}
    changes = []
    for field in PACKAGE_FIELDS:
        old, new = getattr(package, field), found[field]
        if new is None or (field == "requires_python" and "".join(str(old).split()) == "".join(str(new).split())):
            continue
        if old != new:
            changes.append(Change(key, field, old, new, page))
    return changes


def package_tasks(packages: Sequence[Package], asked: set[str], base_url: str, timeout: float) -> list[tuple[str, Callable[[], Any]]]:
    """A request for each registry package that no framework's own request already asks for."""
    from functools import partial

    from fwtui import index
    from fwtui.model import normalized

    framework_packages = {normalized(key.removeprefix("index:")) for key in asked if key.startswith("index:")}
    names = dict.fromkeys(normalized(package.name) for package in packages)
    return [(f"{PACKAGE_ID}{name}", partial(index.fetch_project, name, base_url, timeout)) for name in names if name not in framework_packages]


def package_diffs(
    packages: Sequence[Package], answers: dict[str, Any], base_url: str, today: dt.date
) -> tuple[list[Change], list[Problem], tuple[str, ...], dict[str, dict[str, Any]]]:
    """Each registry package against its answer (a framework's own when it asked for the same distribution):
    (changes, problems, names read, name -> fields to write with checked)."""
    from fwtui import index
    from fwtui.model import normalized

    by_name = {normalized(key.removeprefix("index:")): answer for key, answer in answers.items() if key.startswith("index:")}
    by_name.update({key.removeprefix(PACKAGE_ID): answer for key, answer in answers.items() if key.startswith(PACKAGE_ID)})
    changes: list[Change] = []
    problems: list[Problem] = []
    read: list[str] = []
    updates: dict[str, dict[str, Any]] = {}
    for package in packages:
        answer = by_name.get(normalized(package.name))
        if answer is None:
            continue
        if isinstance(answer, index.Failure):
            problems.append(Problem(f"{PACKAGE_ID}{package.name}", f"{package.name}: {answer.reason}"))
            continue
        read.append(package.name)
        found = package_diff(package, read_package_facts(answer), index.project_page(base_url, answer.name))
        changes.extend(found)
        written = {change.field: change.new for change in found if not change.note}
        if written:
            updates[package.name] = {**written, "checked": today}
    return changes, problems, tuple(read), updates


# Writing --------------------------------------------------------------------------


def overlay_path() -> Path:
    return dataset.config_dir() / dataset.REFRESH_NAME


def overlay_document(report: Report, existing: dict[str, Any] | None = None) -> dict[str, Any]:
    """The refresh overlay: entries kept from `existing` for frameworks not read this time, then this run's."""
    existing = dataset.without_code(existing)[0] if existing else {}  # kept entries never carry code fields
    kept = [record for record in existing.get("framework", ()) if isinstance(record, dict) and record.get("id") not in report.read]
    fresh = [{"id": framework_id, **update.fields, **({"sources": list(update.sources)} if update.sources is not None else {})}
             for framework_id, update in report.updates.items()]
    document = {key: value for key, value in existing.items() if key not in ("framework", "package")}
    if kept or fresh:
        document["framework"] = kept + fresh
    packages = _package_entries(report, existing)
    if packages:
        document["package"] = packages
    return document


def _package_entries(report: Report, existing: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The overlay's [[package]] entries: those kept for packages not read this time, then this run's."""
    read = {name.casefold() for name in report.packages_read}
    kept = [record for record in (existing or {}).get("package", ())
            if isinstance(record, dict) and str(record.get("name", "")).casefold() not in read]
    return kept + [{"name": name, **fields} for name, fields in report.package_updates.items()]


def write_overlay(path: Path, report: Report, base_document: dict[str, Any]) -> str:
    """Merge this run into the overlay at `path` (atomically); returns what was done. RefreshError: nothing written."""
    if not report.read and not report.packages_read:
        raise RefreshError("nothing was read, so nothing was written")
    existing = None
    shown = escape(str(path))
    if path.exists():
        try:
            existing = dataset.read_toml(path)
        except dataset.DatasetError as error:
            raise RefreshError(f"{shown} is not an overlay fwtui can read, so it was left alone: {error.problems[0]}") from None
    rendered = render_overlay(report, base_document, existing)
    if rendered is None:
        if existing is None:
            return f"no changes; {shown} not written"
        path.unlink()
        return f"no changes left; {shown} removed"
    text, count, packages = rendered
    atomic_write(path, text)
    return f"wrote {shown} ({count} framework{'s' if count != 1 else ''}" + (f", {packages} package{'s' if packages != 1 else ''})" if packages else ")")


def render_overlay(report: Report, base_document: dict[str, Any], existing: dict[str, Any] | None = None) -> tuple[str, int, int] | None:
    """The overlay's text and how many frameworks and packages it names; None when it would be empty. RefreshError if it would not load."""
    import tomli_w

    document = overlay_document(report, existing)
    if not document:
        return None
    problems = dataset.check(dataset.merge(base_document, document))
    if problems:
        raise RefreshError(f"the overlay would make the dataset invalid, so it was not written: {problems[0]}")
    text = OVERLAY_HEADER.format(today=report.today.isoformat(), url=report.index_url) + tomli_w.dumps(document)
    return text, len(document.get("framework", ())), len(document.get("package", ()))


def apply(path: Path, report: Report) -> str:
    """Write the changes into the dataset file itself: only the lines of the facts that change.

    Each changed framework's block (from its `[[framework]]` header to the next
    table that is not one of its own) is edited with tomlkit as a document of
    its own and put back where it was; every other byte of the file stays,
    line endings included. Handing tomlkit (0.15.2) the whole file moved
    tables: it joins the parts of an array of tables that another table
    splits (the bundled dataset's frameworks before and after [explainer])
    into one, so the table between ended up after all of them. A symlinked
    dataset is edited where the link points.
    """
    try:
        import tomlkit
        import tomlkit.exceptions
    except ImportError:
        raise RefreshError("--apply needs tomlkit: pip install 'fwtui[refresh]'") from None
    import tomllib

    from fwtui.files import read_capped
    from fwtui.model import normalized

    if not report.read and not report.packages_read:
        raise RefreshError("nothing was read, so nothing was written")
    if not report.updates and not report.package_updates:
        return f"no changes; {escape(str(path))} left as it was"
    if str(path) == "-":
        raise RefreshError("--apply edits a dataset file, not standard input")
    target = Path(os.path.realpath(path))
    try:
        text = read_capped(target).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RefreshError(f"cannot read {escape(str(path))}: {escape(str(error))}") from None
    pieces, done = [], 0
    edited: set[str] = set()
    package_updates = {normalized(name): fields for name, fields in report.package_updates.items()}
    blocks = sorted([(start, end, "framework") for start, end in table_blocks(text, "framework")]
                    + [(start, end, "package") for start, end in table_blocks(text, "package")])
    for start, end, kind in blocks:
        block = text[start:end]
        try:
            document = tomlkit.parse(block)
            table = document[kind][0]
        except (tomlkit.exceptions.TOMLKitError, KeyError, IndexError):
            raise RefreshError(f"--apply could not find where a [[{kind}]] table of {escape(str(path))} ends, so it was not written") from None
        if kind == "framework":
            update = report.updates.get(str(table.get("id")))
            if update is None:
                continue
            _edit_framework(table, update)
            edited.add(str(table["id"]))
        else:
            fields = package_updates.get(normalized(str(table.get("name"))))
            if fields is None:
                continue
            for field, value in fields.items():
                table[field] = value
            edited.add(f"package:{normalized(str(table.get('name')))}")
        pieces += [text[done:start], _keep_layout(block, tomlkit.dumps(document))]
        done = end
    missing = sorted(set(report.updates) - edited) + sorted(name for name in package_updates if f"package:{name}" not in edited)
    if missing:
        raise RefreshError(f"{escape(str(path))} has no table for {', '.join(missing)} that --apply can edit, so it was not written")
    result = "".join([*pieces, text[done:]])
    if "\r\n" in text and text.count("\r\n") == text.count("\n"):  # a CRLF file stays CRLF, new lines too
        result = re.sub(r"(?<!\r)\n", "\r\n", result)
    after = tomllib.loads(result)
    if _untouched(after, report) != _untouched(tomllib.loads(text), report):
        raise RefreshError(f"editing {escape(str(path))} would change more than the refreshed frameworks, so it was not written")
    problems = dataset.check(after)
    if problems:
        raise RefreshError(f"the edit would make {escape(str(path))} invalid, so it was not written: {problems[0]}")
    atomic_write(target, result)
    count, packages = len(report.updates), len(report.package_updates)
    through = f" (through the link, in {escape(str(target))})" if path.is_symlink() else ""
    return (f"updated {escape(str(path))}{through} ({count} framework{'s' if count != 1 else ''}"
            + (f", {packages} package{'s' if packages != 1 else ''})" if packages else ")"))


def _edit_framework(table: Any, update: Update) -> None:
    """Set an update's values in one framework's tomlkit table; its release source is updated or added."""
    import tomlkit
    import tomlkit.items

    for field, value in update.fields.items():
        if isinstance(value, dict) and field in table:  # [framework.stars]: its keys change, its layout stays
            for key, item in value.items():
                table[field][key] = item
        else:
            table[field] = value
    if not update.page:
        return
    sources = table["sources"]
    for source in sources:
        if source.get("group") == "release" and is_index_source(str(source.get("url", "")), update.page):
            source["url"], source["checked"], source["note"] = update.page, update.checked, update.note
            return
    entry = {"group": "release", "url": update.page, "checked": update.checked, "note": update.note}
    if isinstance(sources, tomlkit.items.AoT):
        added = tomlkit.table()
        added.update(entry)
        added.add(tomlkit.nl())  # a blank line before whatever table follows, as in the file
        sources.append(added)
    else:
        inline = tomlkit.inline_table()
        inline.update(entry)
        sources.append(inline)


def _untouched(document: dict[str, Any], report: Report) -> tuple[Any, ...]:
    """Everything of a dataset but the frameworks and packages the report changes (and which of each, in order)."""
    from fwtui.model import normalized

    frameworks = [record for record in document.get("framework", ()) if isinstance(record, dict)]
    packages = [record for record in document.get("package", ()) if isinstance(record, dict)]
    changed = {normalized(name) for name in report.package_updates}
    return (
        {key: value for key, value in document.items() if key not in ("framework", "package")},
        [record.get("id") for record in frameworks],
        [record for record in frameworks if record.get("id") not in report.updates],
        [record.get("name") for record in packages],
        [record for record in packages if normalized(str(record.get("name"))) not in changed],
    )


_HEADER = re.compile(r"^[ \t]*\[")


def framework_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each `[[framework]]` table with its sub-tables, in the order of the file."""
    return table_blocks(text, "framework")


def table_blocks(text: str, name: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each `[[name]]` table with its sub-tables, in the order of the file.

    A line is a table header only where a value cannot go on: outside
    multi-line strings and multi-line arrays (whose lines may start with
    `[` too). The caller checks the edited file against the original all the same.
    """
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\][ \t]*(#.*)?$")
    subtable = re.compile(rf"^[ \t]*\[\[?[ \t]*{re.escape(name)}[ \t]*\.")
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    within = ("", 0)  # the multi-line string's quotes, the depth of open arrays
    offset = 0
    for line in text.splitlines(keepends=True):
        if within == ("", 0) and _HEADER.match(line):
            if not subtable.match(line):
                if start is not None:
                    blocks.append((start, offset))
                    start = None
                if header.match(line.rstrip("\r\n")):
                    start = offset
        else:
            within = _value_state(line, *within)
        offset += len(line)
    if start is not None:
        blocks.append((start, offset))
    return blocks


def _value_state(line: str, quotes: str, depth: int) -> tuple[str, int]:
    """After `line`: the multi-line string still open ("" for none) and the depth of arrays still open."""
    place = 0
    while place < len(line):
        if quotes:
            close = line.find(quotes, place)
            if close == -1:
                break
            place, quotes = close + 3, ""
            continue
        if line.startswith(('"""', "'''"), place):
            quotes, place = line[place : place + 3], place + 3
            continue
        char = line[place]
        if char == "#":
            break
        if char == '"':  # a one-line basic string: skip it, escapes and all
            place += 1
            while place < len(line) and line[place] != '"':
                place += 2 if line[place] == "\\" else 1
        elif char == "'":
            end = line.find("'", place + 1)
            place = len(line) if end == -1 else end
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        place += 1
    return quotes, depth


def _keep_layout(before: str, after: str) -> str:
    """`after`, with each line that differs from `before` only in spaces put back as it was.

    tomlkit 0.15.2 drops the space before the `}` of an inline table whose
    last value is a date (`{ checked = 2026-01-01 }` comes back as
    `{ checked = 2026-01-01}`), even in tables that were not edited. An edit
    fwtui makes always changes more than spaces, so no edit is undone here.
    """
    import difflib

    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    result: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            result.extend(o if "".join(o.split()) == "".join(n.split()) else n
                          for o, n in zip(old[i1:i2], new[j1:j2]))
        else:
            result.extend(new[j1:j2])
    return "".join(result)


def atomic_write(path: Path, text: str) -> None:
    """`files.write_atomic`, with its failure said as a RefreshError."""
    from fwtui.files import write_atomic

    try:
        write_atomic(path, text)
    except OSError as error:
        raise RefreshError(f"cannot write {escape(str(path))}: {escape(str(error.strerror or error))}") from None


# The command ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What `fwtui refresh` is asked."""

    ids: tuple[str, ...] = ()  # the frameworks to read (ids or names); none: all, and the package registry
    data: str | None = None  # the dataset file; None: the one in use
    index_url: str | None = None  # None: FWTUI_INDEX_URL, else PyPI
    output: str | None = None  # where the overlay goes ("-": standard output); None: refresh.toml
    apply: bool = False  # edit the dataset file itself
    format: str = "table"  # table or json
    timeout: float = 10.0  # seconds per request
    github: bool = False  # stars, archived and last push from GitHub too


def command(request: Request, find: Callable[[Dataset, str], Framework], print_table: Callable[[list[str], list[list[str]]], None]) -> int:
    """`fwtui refresh`: 0 all read, 1 some packages failed or nothing could be written, 2 bad arguments or dataset.

    `find` reads a framework named on the command line (the CLI's message for a name it does not know)."""
    import contextlib
    import sys

    from fwtui import index

    try:
        base_url = index.resolve_index_url(request.index_url)
        github_url = index.resolve_github_url() if request.github else None
    except ValueError as error:
        print(f"fwtui: {escape(str(error))}", file=sys.stderr)
        return 2
    data_path = dataset.resolve_paths(request.data)[0]
    to_stdout = request.output == "-"
    target = Path(request.output) if request.output else overlay_path()
    if not request.apply and not to_stdout and same_file(target, data_path):
        where = f"--output {escape(request.output)}" if request.output else escape(str(target))
        print(f"fwtui: {where} is the dataset itself; the overlay must go to another file (--apply edits the dataset)", file=sys.stderr)
        return 2
    if to_stdout and request.format == "json":
        print("fwtui: --output - and --format json would both write to standard output; choose one", file=sys.stderr)
        return 2
    data, document = load_base(data_path)
    frameworks = list({f.id: f for f in (find(data, i) for i in request.ids)}.values()) if request.ids else list(data.frameworks)
    report = check(frameworks, base_url, request.timeout, github_url=github_url,
                   registry=() if request.ids else data.packages)  # the registry's packages on a full run
    if request.format == "json":
        import json

        print(json.dumps(records(report), indent=2, ensure_ascii=False, default=str))
    elif report.changes:
        # With --output -, standard output carries the overlay alone.
        with contextlib.redirect_stdout(sys.stderr) if to_stdout else contextlib.nullcontext():
            print_table(["Framework", "Field", "Dataset", "Index", "Note"], rows(report))
    for problem in report.problems:
        print(f"fwtui: {problem.id}: {escape(problem.error)}", file=sys.stderr)
    print(f"fwtui: {summary(report, len(frameworks))}", file=sys.stderr)
    try:
        if request.apply:
            done = apply(data_path, report)
        elif to_stdout:
            done = print_overlay(report, document)
        else:
            done = write_overlay(target, report, document)
    except RefreshError as error:
        print(f"fwtui: {escape(str(error))}", file=sys.stderr)
        return 1
    print(f"fwtui: {escape(done)}", file=sys.stderr)
    return 1 if report.problems else 0


def print_overlay(report: Report, base_document: dict[str, Any]) -> str:
    """`--output -`: the overlay on standard output (nothing kept from an earlier run)."""
    import sys

    if not report.read and not report.packages_read:
        raise RefreshError("nothing was read, so nothing was written")
    rendered = render_overlay(report, base_document)
    if rendered is None:
        return "no changes; nothing written to standard output"
    text, count, packages = rendered
    sys.stdout.write(text)
    sys.stdout.flush()
    return (f"wrote the overlay to standard output ({count} framework{'s' if count != 1 else ''}"
            + (f", {packages} package{'s' if packages != 1 else ''})" if packages else ")"))


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file: the same after links are followed, or the same file on disk."""
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


# Output ---------------------------------------------------------------------------------


def records(report: Report) -> list[dict[str, Any]]:
    """The JSON shape: one object per change or note, then one per package that failed."""
    return [change.as_record() for change in report.changes] + [problem.as_record() for problem in report.problems]


def rows(report: Report) -> list[list[str]]:
    """The changes written first, then every note (shown, never written) folded into one row:
    the notes outnumber the changes and would bury them."""
    def shown(value: Any) -> str:
        return "-" if value is None else str(value)

    table = [[c.id, c.field, shown(c.old), shown(c.new), ""] for c in report.written]
    noted = [c for c in report.changes if c.note]
    if noted:
        notes = "; ".join(f"{c.id} {c.field}" + (f" {shown(c.new)}" if c.new is not None else "") + f": {c.note}" for c in noted)
        table.append([f"{len(noted)} not written", "", "", "", notes])
    return table


def summary(report: Report, total: int) -> str:
    written = report.written
    ids = {change.id for change in written}
    packages = len({i for i in ids if i.startswith(PACKAGE_ID)})
    frameworks = len(ids) - packages
    where = f"{frameworks} framework{'s' if frameworks != 1 else ''}" + (f" and {packages} package{'s' if packages != 1 else ''}" if packages else "")
    read = f"{len(report.read)} of {total}" + (f" (and {len(report.packages_read)} packages)" if report.packages_read else "")
    return f"{len(written)} change{'s' if len(written) != 1 else ''} in {where}; {read} read from {report.index_url} in {report.seconds:.1f} s"
