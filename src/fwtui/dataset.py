"""Find, read, merge and validate datasets, and build the model from them.

`load()` is the one way in: it returns the bundled dataset, or the one named
by --data / FWTUI_DATA, with the user's overlay merged on top. Every problem
is raised as a DatasetError that lists all of them. Nothing here draws UI.

Parsing TOML is most of the cost of loading (the stdlib parser is pure
Python), so the parsed document is kept in the user's cache folder next to
the exact bytes it came from; it is used only when the file is byte for byte
the same. Validating it is most of what remains, so the entry also records
whether this version of fwtui found the document valid on its own; such an
entry is not checked again. A document merged with an overlay is checked on
every load.
"""

from __future__ import annotations

import copy
import datetime
import io
import os
import pickle
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar, get_args, get_origin

from fwtui import __version__, model, vocabulary
from fwtui.text import close_matches, describe, escape, join_path, quote

ENV_DATA = "FWTUI_DATA"
ENV_OVERLAY = "FWTUI_OVERLAY"
ENV_CONFIG_DIR = "FWTUI_CONFIG_DIR"
ENV_CACHE_DIR = "FWTUI_CACHE_DIR"
OVERLAY_NAME = "overlay.toml"
REFRESH_NAME = "refresh.toml"  # written by `fwtui refresh`; loaded after the dataset, before the overlay
# A framework's fields whose values fwtui runs: shell commands, Python files, pip installs (bench, --smoke).
# refresh.toml never carries them: it is written from the network and loaded without being named.
CODE_FIELDS = ("bench", "hello")

_Record = TypeVar("_Record")


class DatasetError(Exception):
    """A dataset that cannot be used; `problems` holds every reason found."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        # Messages quote the input (a path, a key, an id): its control characters are shown
        # escaped, so no dataset can drive the terminal through fwtui's own error output.
        self.source = escape(source)
        self.problems = [escape(problem) for problem in problems]
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: {count} problem{'s' if count != 1 else ''}"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])


def bundled_path() -> Path:
    """The dataset shipped with fwtui: inside the wheel, or data/ of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "frameworks.toml"
    return packaged if packaged.is_file() else here.parents[1] / "data" / "frameworks.toml"


def config_dir() -> Path:
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("fwtui", appauthor=False))


def default_overlay() -> Path | None:
    path = config_dir() / OVERLAY_NAME
    return path if path.is_file() else None


_TOML_POSITION = re.compile(r"^(?P<message>.*?) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file (`-`: standard input), turning every way it can fail into a DatasetError.

    Only a regular file is read, and at most files.MAX_BYTES of it: a FIFO, a
    device or a huge file is refused before anything is read.
    """
    read = _read(path)
    if read.raw is not None and not read.cached:
        _store_parse(path, read.raw, read.document, valid=False)
    return read.document


class _Read(NamedTuple):
    document: dict[str, Any]
    raw: bytes | None  # None: read from standard input, never cached
    cached: bool  # taken from the parse cache
    valid: bool  # the cache entry says `check` found no problem with this document


def _read(path: Path) -> _Read:
    """`read_toml` without keeping the parse: `load` keeps it once it knows whether it is valid."""
    from fwtui import files

    stdin = str(path) == "-"
    name = "<standard input>" if stdin else str(path)
    try:
        raw = files.read_stdin() if stdin else files.read_capped(path)
    except FileNotFoundError:
        raise DatasetError(name, ["file not found"]) from None
    except IsADirectoryError:
        raise DatasetError(name, ["is a directory, not a TOML file"]) from None
    except PermissionError:
        raise DatasetError(name, ["cannot be read: permission denied"]) from None
    except files.NotReadable as error:
        raise DatasetError(name, [f"{error}; fwtui reads TOML from a regular file (or `-` for standard input)"]) from None
    except OSError as error:
        raise DatasetError(name, [f"cannot be read: {error.strerror or error}"]) from None
    if not raw.strip():
        raise DatasetError(name, ["file is empty"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DatasetError(name, [f"line {line}: not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8"]) from None
    entry = None if stdin else _cached_parse(path, raw)
    if entry is not None:
        return _Read(entry[0], raw, True, entry[1])
    import tomllib  # only when the parse cache does not have these bytes

    try:
        document = tomllib.loads(text)
    except RecursionError:
        raise DatasetError(name, ["TOML syntax error: arrays or inline tables nested too deeply"]) from None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.match(str(error))
        if match:
            where = f"{name}:{match['line']}:{match['column']}"
            raise DatasetError(where, [f"TOML syntax error: {match['message']}"]) from None
        raise DatasetError(name, [f"TOML syntax error: {error}"]) from None
    if not document:
        raise DatasetError(name, ["file has no data (only comments or blank lines)"])
    return _Read(document, None if stdin else raw, False, False)


# The parse cache -------------------------------------------------------------

# The version is in the stamp: an entry found valid is trusted only by the fwtui that checked it.
_CACHE_STAMP = ("fwtui parse cache", 2, __version__, sys.version_info[:2])
_CACHE_MAX_BYTES = 16_000_000  # the cache keeps a copy of the source; bigger files are parsed each time


def cache_dir() -> Path:
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("fwtui", appauthor=False))


def _cache_file(path: Path) -> Path:
    where = str(path.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir() / f"parsed-{zlib.crc32(where):08x}.pickle"


class _PlainData(pickle.Unpickler):
    """Unpickles what TOML produces (plain values and dates), nothing else: a cache file cannot run code."""

    _ALLOWED = {"date", "datetime", "time", "timedelta", "timezone"}

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} has no place in a parsed TOML document")


def _cached_parse(path: Path, raw: bytes) -> tuple[dict[str, Any], bool] | None:
    """The document parsed from exactly these bytes before, and whether it was found valid, if the cache has it.

    Whatever else is in the cache folder (a FIFO, a huge or foreign file, a
    document TOML could not have produced) is ignored: the file is parsed instead.
    """
    from fwtui import files

    if len(raw) > _CACHE_MAX_BYTES:
        return None
    try:
        # The entry holds the source and its document: a few times the source's size at most.
        entry = files.read_capped(_cache_file(path), limit=4 * len(raw) + 65_536)
        stamp, source, document, valid = _PlainData(io.BytesIO(entry)).load()
    except Exception:  # no cache yet, unreadable, truncated, foreign: parse the file instead
        return None
    if not (type(stamp) is tuple and stamp == _CACHE_STAMP and type(source) is bytes and source == raw):
        return None
    return (document, valid is True) if _is_toml_document(document) else None


_TOML_SCALARS = frozenset({str, int, float, bool, datetime.date, datetime.datetime, datetime.time})
_TOML_VALUES = _TOML_SCALARS | {dict, list}
_MAX_DEPTH = 100  # deeper than any dataset; the checks that follow walk it recursively


def _is_toml_document(document: Any) -> bool:
    """Whether `document` is what tomllib returns: tables with string keys, lists, TOML's scalars; no cycles.

    It is walked on every start from the cache, so each table's or list's types
    are gathered at C speed and only its tables and lists are visited in Python.
    """
    seen: set[int] = set()

    def plain(container: dict[Any, Any] | list[Any], depth: int) -> bool:
        # A container reached twice is a cycle or a shared one: tomllib makes neither.
        if id(container) in seen or depth > _MAX_DEPTH:
            return False
        seen.add(id(container))
        items = container.values() if type(container) is dict else container
        if type(container) is dict and not set(map(type, container)) <= {str}:
            return False
        kinds = set(map(type, items))
        if not kinds <= _TOML_VALUES:
            return False
        if dict in kinds or list in kinds:
            return all(plain(item, depth + 1) for item in items if type(item) is dict or type(item) is list)
        return True

    return type(document) is dict and plain(document, 0)


def _store_parse(path: Path, raw: bytes, document: dict[str, Any], valid: bool) -> None:
    """Keep the parsed document for next time, with whether `check` passed it; a cache that cannot be written is no error."""
    if len(raw) > _CACHE_MAX_BYTES:
        return
    try:
        target = _cache_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".parsed-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((_CACHE_STAMP, raw, document, valid), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        pass


# Arrays of records that an overlay merges by id rather than replaces.
_KEYED = {"framework": "id", "use_case": "id", "comparison": "id", "criterion": "id", "package": "name"}


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Overlay `overlay` on `base`: records merge by id, tables merge, other values replace."""
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        if key in _KEYED and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = _merge_records(merged[key], value, _KEYED[key])
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge_tables(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _merge_tables(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge_tables(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _merge_records(base: list[Any], overlay: list[Any], key: str) -> list[Any]:
    result = list(base)
    index = {_match(record.get(key), key): i for i, record in enumerate(result) if isinstance(record, dict)}
    for record in overlay:
        target = index.get(_match(record.get(key), key)) if isinstance(record, dict) else None
        if target is None:
            result.append(copy.deepcopy(record))
        else:
            result[target] = _merge_tables(result[target], record)
    return result


def _match(value: Any, key: str) -> Any:
    """What two records must share to be one: their id, or their package name as the index compares names."""
    return model.normalized(value) if key == "name" and isinstance(value, str) else value


def check(document: dict[str, Any]) -> list[str]:
    """Every problem with a parsed document: the schema first, then links between records."""
    # The schema is read off the model when first imported: a start on a parse-cache
    # entry found valid before never checks, so it does not pay for that.
    from fwtui import schema

    problems = schema.validate(document)
    problems.extend(_check_links(document))
    return problems


def _ids(records: Any, label: str, problems: list[str], key: str = "id") -> set[str]:
    seen: set[str] = set()
    if not isinstance(records, list):
        return seen
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get(key), str):
            continue
        # A package name is compared as the index compares it: Flask-WTF and flask_wtf are one.
        found = model.normalized(record[key]) if key == "name" else record[key]
        if found in seen:
            problems.append(f"{label}[{index}].{key}: duplicate {key} {quote(record[key])}")
        seen.add(found)
    return seen


def _unknown(kind: str, value: str, known: set[str]) -> str:
    hint = close_matches(value, sorted(known), n=1)
    return f"unknown {kind} {quote(value)}" + (f" (did you mean {quote(hint[0])}?)" if hint else "")


def _check_links(document: dict[str, Any]) -> list[str]:
    from fwtui import schema  # only when checking: see check()

    problems: list[str] = []
    frameworks = _ids(document.get("framework"), "framework", problems)
    _ids(document.get("use_case"), "use_case", problems)
    _ids(document.get("comparison"), "comparison", problems)
    _ids(document.get("criterion"), "criterion", problems)
    _ids(document.get("package"), "package", problems, key="name")
    meta = document.get("meta")
    if not isinstance(meta, dict):
        meta = {}
    source_ids = _ids(meta.get("sources"), "meta.sources", problems)

    def check_ref(path: str, ref: Any) -> None:
        if isinstance(ref, str) and not ref.startswith(("http://", "https://")) and ref not in source_ids:
            problems.append(f"{path}: {_unknown('source', ref, source_ids)}; use a URL or a [[meta.sources]] id")

    for index, framework in _records(document.get("framework")):
        path = f"framework[{index}]"
        stars = framework.get("stars")
        if isinstance(stars, dict):
            check_ref(f"{path}.stars.source", stars.get("source"))
        for key in ("notable_users", "opinions"):
            for sub, item in _records(framework.get(key)):
                check_ref(f"{path}.{key}[{sub}].source", item.get("source"))
        for key, default_file in (("hello", "hello.py"), ("bench", "app.py")):
            sample = framework.get(key)
            if isinstance(sample, dict) and isinstance(sample.get("code"), str):
                file = sample.get("file")  # only names the code in compile's messages; a bad one is reported by the schema
                try:
                    compile(sample["code"], file if isinstance(file, str) and "\0" not in file else default_file, "exec")
                except SyntaxError as error:
                    where = f"line {error.lineno}: " if error.lineno else ""
                    problems.append(f"{path}.{key}.code: is not valid Python ({where}{error.msg})")
        problems.extend(_check_packages(framework, path))
        problems.extend(_check_cells_given(framework, path))
    problems.extend(_check_lineage(document.get("framework"), frameworks))
    for index, use_case in _records(document.get("use_case")):
        check_ref(f"use_case[{index}].source", use_case.get("source"))
        for sub, pick in _records(use_case.get("picks")):
            ref = pick.get("framework")
            if isinstance(ref, str) and ref not in frameworks:
                problems.append(f"use_case[{index}].picks[{sub}].framework: {_unknown('framework', ref, frameworks)}")
    for index, row in _records(document.get("comparison")):
        check_ref(f"comparison[{index}].source", row.get("source"))
        if isinstance(row.get("field"), str):
            head = row["field"].split(".")[0]
            if head not in schema.FRAMEWORK_FIELDS:
                hint = _unknown("framework field", head, set(schema.FRAMEWORK_FIELDS))
                problems.append(f"comparison[{index}].field: {hint}")
        for ref in row.get("text", {}) if isinstance(row.get("text"), dict) else ():
            if ref not in frameworks:
                problems.append(f"{join_path(f'comparison[{index}].text', ref)}: {_unknown('framework', ref, frameworks)}")
    for index, criterion in _records(document.get("criterion")):
        check_ref(f"criterion[{index}].source", criterion.get("source"))
    for index, package in _records(document.get("package")):
        makers = package.get("made_by")
        for sub, ref in enumerate(makers if isinstance(makers, list) else ()):
            if isinstance(ref, str) and ref not in frameworks:
                problems.append(f"package[{index}].made_by[{sub}]: {_unknown('framework', ref, frameworks)}")
    return problems


def _check_packages(framework: dict[str, Any], path: str) -> list[str]:
    """A first-party or extension cell names its distribution, in builtin_packages and in its note."""
    def table(key: str) -> dict[str, Any]:
        value = framework.get(key)
        return value if isinstance(value, dict) else {}

    builtins, packages, notes = table("builtins"), table("builtin_packages"), table("builtin_notes")
    problems = []
    for name, level in builtins.items():
        package = packages.get(name)
        if level in vocabulary.PACKAGED_LEVELS:
            if not isinstance(package, str):
                problems.append(f"{path}.builtin_packages.{name}: required, since builtins.{name} is {level}: name the package that provides it")
            elif not isinstance(notes.get(name), str) or package.casefold() not in notes[name].casefold():
                problems.append(f"{path}.builtin_notes.{name}: must name the package {describe(package)}")
        elif level == "built-in" and isinstance(package, str) and _extra_installing(framework, package):
            # Rule R2: a built-in cell that arrives through the framework's own extra names what it installs.
            if not isinstance(notes.get(name), str) or package.casefold() not in notes[name].casefold():
                problems.append(f"{path}.builtin_notes.{name}: must name the package {describe(package)}")
        elif package is not None and level in vocabulary.BUILTIN_LEVELS:  # a bad level is reported once, by the schema
            problems.append(f"{path}.builtin_packages.{name}: only first-party and extension cells, and built-in ones that an extra "
                            f"of the framework installs ([framework.extras]), name a package; builtins.{name} is {describe(level)}")
    return problems


def _extra_installing(framework: dict[str, Any], package: str) -> str:
    """The extra of a framework's record that installs `package`, or ''."""
    extras = framework.get("extras")
    wanted = model.normalized(package)
    for extra, names in extras.items() if isinstance(extras, dict) else ():
        if isinstance(names, list) and wanted in (model.normalized(n) for n in names if isinstance(n, str)):
            return str(extra)
    return ""


def _check_cells_given(framework: dict[str, Any], path: str) -> list[str]:
    """A framework without builds_on has no base to inherit from, so it gives every cell (rule R1)."""
    builtins = framework.get("builtins")
    if framework.get("builds_on") or not isinstance(builtins, dict):  # a missing table is reported by the schema
        return []
    missing = [need for need in vocabulary.BUILTINS if need not in builtins]
    if not missing:
        return []
    return [f"{path}.builtins: lacks {', '.join(missing)}; only a framework with builds_on may omit a cell (it inherits its base's)"]


def _check_lineage(records: Any, known: set[str]) -> list[str]:
    """Every builds_on id exists, and no framework is built on itself, however indirectly."""
    problems = []
    parents: dict[str, list[str]] = {}
    for index, framework in _records(records):
        own = framework.get("id")
        refs = framework.get("builds_on")
        for sub, ref in enumerate(refs if isinstance(refs, list) else ()):
            if not isinstance(ref, str):
                continue
            if ref not in known:
                problems.append(f"framework[{index}].builds_on[{sub}]: {_unknown('framework', ref, known)}")
            elif isinstance(own, str):
                parents.setdefault(own, []).append(ref)
    for start in sorted(parents):
        seen: set[str] = set()
        stack = list(parents[start])
        while stack:  # everything `start` rests on, directly or not
            current = stack.pop()
            if current == start:
                problems.append(f"framework {quote(start)}: builds_on leads back to itself")
                break
            if current not in seen:
                seen.add(current)
                stack.extend(parents.get(current, ()))
    return problems


def _records(value: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def build(document: dict[str, Any], origin: tuple[Path, ...] = ()) -> model.Dataset:
    """The model of a document that `check` found no problem with; omitted cells come from the base (rule R1)."""
    dataset = _reader(model.Dataset)(document)._replace(origin=origin)
    if any(framework.builds_on for framework in dataset.frameworks):
        dataset = dataset._replace(frameworks=inherit_cells(dataset.frameworks))
    if dataset.packages:
        dataset = dataset._replace(frameworks=mark_quiet(dataset))
    return dataset


def mark_quiet(dataset: model.Dataset) -> tuple[model.Framework, ...]:
    """Each framework with `quiet` naming its cells whose package has had no release for 24 months (rule R4).

    Counted back from the dataset's `as_of`, the day its facts were checked,
    so a dataset reads the same on any later day.
    """
    cutoff = model.months_before(dataset.meta.as_of, vocabulary.QUIET_AFTER_MONTHS)
    releases = {model.normalized(package.name): package.last_release for package in dataset.packages}
    frameworks = []
    for framework in dataset.frameworks:
        quiet = {}
        for need, name in framework.builtin_packages.items():
            last = releases.get(model.normalized(name))
            if last is not None and last < cutoff and framework.level(need) != "no":
                quiet[need] = last.isoformat()[:7]
        frameworks.append(framework._replace(quiet=quiet) if quiet else framework)
    return tuple(frameworks)


def inherit_cells(frameworks: tuple[model.Framework, ...]) -> tuple[model.Framework, ...]:
    """Each framework with every cell: one its record omits is its base's effective cell.

    A base is resolved before its children, so a cell passes down a chain
    (a child of FastAPI gets Starlette's cells through FastAPI). With several
    bases, the first one listed in builds_on that has the cell gives it. The
    cell's package and note come with it; `inherited` records which base gave it.
    """
    by_id = {framework.id: framework for framework in frameworks}
    done: dict[str, model.Framework] = {}

    def resolve(framework_id: str, visiting: frozenset[str]) -> model.Framework:
        found = done.get(framework_id)
        if found is not None:
            return found
        framework = by_id[framework_id]
        bases = [resolve(base, visiting | {framework_id}) for base in framework.builds_on
                 if base in by_id and base not in visiting | {framework_id}]  # a cycle is reported by check()
        missing = [need for need in vocabulary.BUILTINS if need not in framework.builtins]
        if bases and missing:
            builtins, packages, notes = dict(framework.builtins), dict(framework.builtin_packages), dict(framework.builtin_notes)
            inherited = {}
            for need in missing:
                base = next((base for base in bases if need in base.builtins), None)
                if base is None:
                    continue
                builtins[need] = base.builtins[need]
                inherited[need] = base.inherited.get(need, base.id)
                for own, theirs in ((packages, base.builtin_packages), (notes, base.builtin_notes)):
                    if need in theirs:
                        own[need] = theirs[need]
            builtins = {need: builtins[need] for need in vocabulary.BUILTINS if need in builtins}  # the vocabulary's order
            framework = framework._replace(builtins=builtins, builtin_packages=packages, builtin_notes=notes, inherited=inherited)
        done[framework_id] = framework
        return framework

    return tuple(resolve(framework.id, frozenset()) for framework in frameworks)


_READERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _reader(record_type: type[_Record]) -> Callable[[dict[str, Any]], _Record]:
    """A function that builds `record_type` from its checked table, read off the model's annotations.

    A list becomes a tuple, a table of a record type that record, and a key of
    the file the field it names (`notable_users` items' "name" is `text`).
    """
    found = _READERS.get(record_type)
    if found is not None:
        return found
    # Only the fields that change are visited: the rest are copied with the table, at C speed.
    changes: list[tuple[str, str, Callable[[Any], Any]]] = []
    whole = ""
    for field in model.file_fields(record_type):
        convert = _converter(field.type)
        if field.key == model.WHOLE_RECORD.name:
            whole = field.name
        elif convert is not None or field.key != field.name:
            changes.append((field.key, field.name, convert or _same))

    def read(record: dict[str, Any]) -> _Record:
        values = dict(record)
        for key, name, convert in changes:
            if key in values:
                values[name] = convert(values[key] if key == name else values.pop(key))
        if whole:
            values[whole] = record
        return record_type(**values)

    def read_as_is(record: dict[str, Any]) -> _Record:
        return record_type(**record)

    found = _READERS[record_type] = read if changes or whole else read_as_is
    return found


def _same(value: Any) -> Any:
    return value


def _converter(kind: Any) -> Callable[[Any], Any] | None:
    """How a checked value becomes the model's: None when it is already (a string, a number, a date, a dict)."""
    if hasattr(kind, "_fields"):
        return _reader(kind)
    if get_origin(kind) is dict and get_origin(get_args(kind)[1]) is tuple:  # a table of lists, such as extras
        return lambda table: {key: tuple(items) for key, items in table.items()}
    if get_origin(kind) is tuple:
        item = get_args(kind)[0]
        item = get_args(item)[0] if get_origin(item) is Annotated else item
        if hasattr(item, "_fields"):
            read = _reader(item)
            return lambda records: tuple(map(read, records))
        return tuple
    return None


def resolve_paths(data: str | os.PathLike[str] | None = None, overlay: str | os.PathLike[str] | None = None) -> tuple[Path, Path | None]:
    """Which dataset and overlay to use: arguments, then environment, then defaults."""
    data_path = Path(data) if data else Path(os.environ[ENV_DATA]) if os.environ.get(ENV_DATA) else bundled_path()
    if overlay:
        return data_path, Path(overlay)
    if os.environ.get(ENV_OVERLAY):
        return data_path, Path(os.environ[ENV_OVERLAY])
    return data_path, default_overlay()


def load(
    data: str | os.PathLike[str] | None = None, overlay: str | os.PathLike[str] | None = None, notices: list[str] | None = None
) -> model.Dataset:
    """The dataset to use, with the overlay merged in; raises DatasetError listing every problem.

    What was left out without stopping (code fields in refresh.toml) is added to `notices`.
    """
    data_path, overlay_path = resolve_paths(data, overlay)
    base = _read(data_path)
    document = base.document
    origin: tuple[Path, ...] = (data_path,)
    refresh_path = config_dir() / REFRESH_NAME
    if refresh_path.is_file():
        fresh, refused = without_code(read_toml(refresh_path))
        if refused and notices is not None:
            notices.append(f"{escape(str(refresh_path))}: {refused}")
        refresh_problems = _check_overlay_shape(fresh)
        if refresh_problems:
            raise DatasetError(str(refresh_path), refresh_problems)
        document = merge(document, _fresher_than(document, fresh))
        origin += (refresh_path,)
    if overlay_path is not None:
        extra = read_toml(overlay_path)
        overlay_problems = _check_overlay_shape(extra) or _check_overlay_ids(document, extra)
        if overlay_problems:
            raise DatasetError(str(overlay_path), overlay_problems)
        document = merge(document, extra)
        origin += (overlay_path,)
    alone = document is base.document  # nothing merged in
    problems = [] if alone and base.valid else check(document)
    if base.raw is not None and (not base.cached or (alone and not problems and not base.valid)):
        _store_parse(data_path, base.raw, base.document, valid=alone and not problems)
    if problems:
        raise DatasetError(" + ".join(map(str, origin)), problems)
    return build(document, origin)


def is_overlay(document: dict[str, Any], base: dict[str, Any]) -> bool:
    """Whether `fwtui validate` should check `document` as an overlay on `base`.

    It has no [meta] and no [decision], and some record of it changes a record
    of `base` or nearly names one (a typo); anything else is checked as a
    whole dataset, broken or not.
    """
    if "meta" in document or "decision" in document:
        return False
    for key, id_key in _KEYED.items():
        known = [record[id_key] for _, record in _records(base.get(key)) if isinstance(record.get(id_key), str)]
        for _, record in _records(document.get(key)):
            found = record.get(id_key)
            if isinstance(found, str) and (found in known or close_matches(found.casefold(), known, n=1)):
                return True
    return False


def without_code(overlay: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """`overlay` without CODE_FIELDS in its frameworks, and what was left out ("" if nothing)."""
    records = overlay.get("framework")
    if not isinstance(records, list):
        return overlay, ""
    dropped: dict[str, list[str]] = {}
    frameworks = []
    for record in records:
        fields = [name for name in CODE_FIELDS if name in record] if isinstance(record, dict) else []
        if fields:
            dropped[str(record.get("id"))] = fields
            record = {key: value for key, value in record.items() if key not in CODE_FIELDS}
        frameworks.append(record)
    if not dropped:
        return overlay, ""
    names = sorted({field for fields in dropped.values() for field in fields})
    ids = list(dropped)
    which = ", ".join(quote(i) for i in ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    refused = (f"{' and '.join(names)} of {which} ignored: fields that run as code are never taken from {REFRESH_NAME}, "
               "which `fwtui refresh` writes from the network and never with them")
    return {**overlay, "framework": frameworks}, refused


def load_for_explorer(data: str | os.PathLike[str] | None = None, overlay: str | os.PathLike[str] | None = None) -> tuple[model.Dataset, str | None]:
    """What the explorer starts with, and a notice when that is not everything asked for.

    An overlay the user did not name with --overlay (FWTUI_OVERLAY, or
    overlay.toml in the config folder) that breaks the dataset does not stop
    the explorer: it starts on the dataset alone and says why. The CLI's
    commands use `load` and refuse instead.
    """
    notices: list[str] = []
    try:
        return load(data, overlay, notices), " ".join(notices) or None
    except DatasetError as error:
        data_path, overlay_path = resolve_paths(data, overlay)
        if overlay or overlay_path is None:
            raise
        document = read_toml(data_path)
        if check(document):
            raise
        more = f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
        notice = (f"Started without the overlay {overlay_path}: {error.problems[0] if error.problems else 'it is broken'}{more}. "
                  f"`fwtui validate {overlay_path}` checks it.")
        return build(document, (data_path,)), notice


def _check_overlay_ids(base: dict[str, Any], overlay: dict[str, Any]) -> list[str]:
    """An overlay entry with an id the dataset lacks adds a record, so it must be whole.

    One that is not whole is far more often a mistyped id than a new record:
    say so, instead of listing every field a new record would miss.
    """
    from fwtui import schema  # only when an overlay is merged: see check()

    problems: list[str] = []
    for key, id_key in _KEYED.items():
        known = [record[id_key] for _, record in _records(base.get(key)) if isinstance(record.get(id_key), str)]
        required = schema.SCHEMA["properties"][key]["items"]["required"]
        for index, record in _records(overlay.get(key)):
            new_id = record.get(id_key)
            missing = [field for field in required if field not in record]
            if _match(new_id, id_key) in {_match(name, id_key) for name in known} or not missing:
                continue
            folded = {name.casefold(): name for name in known}
            hint = close_matches(str(new_id).casefold(), list(folded), n=1)
            what = f"{key.replace('_', ' ')} `{new_id}`"
            if hint:
                problems.append(f"{key}[{index}]: no {what}; did you mean `{folded[hint[0]]}`? "
                                "(an overlay entry with a new id must be a whole record)")
            else:
                lacks = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
                problems.append(f"{key}[{index}]: no {what} (an overlay entry with a new id must be a whole record; "
                                f"this one lacks {lacks})")
    return problems


def _fresher_than(document: dict[str, Any], refresh: dict[str, Any]) -> dict[str, Any]:
    """The refresh entries that still say something new: for a framework the dataset has, checked no earlier than it.

    A later dataset (an upgraded fwtui) wins over an old refresh.toml, and an
    entry never adds a half record to a dataset without that framework.
    """
    def release_checked(record: dict[str, Any]) -> Any:
        dates = [s.get("checked") for _, s in _records(record.get("sources")) if s.get("group") == "release"]
        return max((d for d in dates if isinstance(d, datetime.date)), default=None)

    known = {record.get("id"): release_checked(record) for _, record in _records(document.get("framework"))}
    kept = [record for _, record in _records(refresh.get("framework")) if record.get("id") in known
            and (known[record["id"]] is None or (release_checked(record) or datetime.date.min) >= known[record["id"]])]
    fresh = {**refresh, "framework": kept} if "framework" in refresh else dict(refresh)
    if "package" in refresh:  # a registry entry the same way: for a package the dataset has, checked no earlier
        checked = {model.normalized(str(record.get("name"))): record.get("checked") for _, record in _records(document.get("package"))}
        fresh["package"] = [record for _, record in _records(refresh["package"])
                            if model.normalized(str(record.get("name"))) in checked
                            and _not_before(record.get("checked"), checked[model.normalized(str(record.get("name")))])]
    return fresh


def _not_before(date: Any, than: Any) -> bool:
    """Whether a refresh entry checked on `date` is no older than the dataset's check on `than` (True when either is not a date)."""
    return not (isinstance(date, datetime.date) and isinstance(than, datetime.date)) or date >= than


def _check_overlay_shape(overlay: dict[str, Any]) -> list[str]:
    """An overlay's records must carry ids so they can be matched; the merged result gets the full check."""
    problems: list[str] = []
    for key in _KEYED:
        records = overlay.get(key)
        if records is None:
            continue
        if not isinstance(records, list):
            problems.append(f"{key}: expected a list of tables ([[{key}]]), got {describe(records)}")
            continue
        id_key = _KEYED[key]
        for index, record in enumerate(records):
            if not isinstance(record, dict) or not isinstance(record.get(id_key), str):
                problems.append(f"{key}[{index}].{id_key}: required so the overlay knows which record to add or change")
    return problems
