"""The package index client (and GitHub's, for --github): what they say about a package, read as untrusted input.

`fetch_all` asks about many packages at once (a small thread pool). Each
request has its own deadline and a cap on the answer's size, and where the
server sent an ETag before, it asks again with If-None-Match and takes a 304
answer from the copy kept in fwtui's cache folder. Every answer, fresh or
cached, is checked before anything reads it: the fields fwtui reads must have
the right types, bounded lengths and no terminal control characters.

A request's deadline covers all of it (connect, headers, body), however the
server drips its bytes, and a refresh can be cancelled: every socket wait is
cut into short slices, and between two the request looks at its deadline and
the cancel flag `fetch_all` hands its threads (name lookup is the one wait not
bounded so). Redirects are followed only to http(s), and GitHub's token goes
only to the origin it was meant for.

What the answers mean for the dataset (the latest version, the minimum
Python) is refresh.py's business; nothing here knows the dataset.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import http.client
import json
import math
import os
import re
import select
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from fwtui import __version__, dataset, schema, text

DEFAULT_INDEX_URL = "https://pypi.org/pypi"
ENV_INDEX_URL = "FWTUI_INDEX_URL"
DEFAULT_TIMEOUT = 10.0
MAX_WORKERS = 8
MAX_REDIRECTS = 5
# How long one socket wait lasts before the request looks at its deadline and cancel flag again.
WAIT_SLICE = 0.2
# The largest framework answer seen is aiohttp's, about 10 MB (every wheel of every release).
MAX_ANSWER_BYTES = 32 * 1024 * 1024

# Bounds on what an answer may hold, well above what the public index sends.
MAX_TEXT = 300
MAX_RELEASES = 20_000
MAX_FILES_PER_RELEASE = 5_000
MAX_CLASSIFIERS = 1_000
MAX_ADVISORIES = 200
MAX_ADVISORY_NAMES = 50  # aliases, or versions that fix it, of one advisory
# An advisory id or alias (PYSEC-2024-1, GHSA-xxxx-xxxx-xxxx, CVE-2024-12345) and a version that fixes one.
_ADVISORY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_VERSION_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,63}$")


T = TypeVar("T")


class Upload(NamedTuple):
    """One file of a release: when it was uploaded, the Pythons it is for, whether it was withdrawn."""

    uploaded: dt.datetime
    requires_python: str | None
    yanked: bool
    filename: str = ""  # its wheel tags say which Pythons and builds it installs on


class Advisory(NamedTuple):
    """A known vulnerability the index lists for a release (from the OSV database), with the versions that fix it."""

    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]


class Project(NamedTuple):
    """The parts of one JSON API answer that fwtui reads, checked."""

    package: str  # as asked for
    name: str  # as the index spells it
    version: str  # the release the index's summary (`info`) describes
    requires_python: str | None
    license_expression: str | None
    classifiers: tuple[str, ...]
    releases: dict[str, tuple[Upload, ...]]
    url: str  # the JSON API address that was read
    from_cache: bool = False
    # The advisories the index lists for `version` (withdrawn ones left out); None when the answer has no list.
    advisories: tuple[Advisory, ...] | None = None


class Failure(NamedTuple):
    package: str
    reason: str  # not found, server error, bad JSON, timeout, offline, invalid answer, too large


class IndexFailure(Exception):
    """Why one package could not be read; the message is shown to the user as is."""


def resolve_index_url(option: str | None = None) -> str:
    """The JSON API base: --index-url, else FWTUI_INDEX_URL, else the public index; ValueError if not http(s)."""
    url = option or os.environ.get(ENV_INDEX_URL) or DEFAULT_INDEX_URL
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or text.find_control(url) or any(c.isspace() for c in url):
        where = "--index-url" if option else ENV_INDEX_URL if os.environ.get(ENV_INDEX_URL) else "index URL"
        raise ValueError(f"{where}: {text.describe(url)} is not an http(s) URL such as {DEFAULT_INDEX_URL}")
    return url.rstrip("/")


def json_url(base_url: str, package: str) -> str:
    return f"{base_url}/{urllib.parse.quote(package, safe='')}/json"


def project_page(base_url: str, package: str) -> str:
    """The page a reader follows to check the facts: /project/<name>/ beside a /pypi JSON API, else the JSON itself."""
    if base_url.endswith("/pypi"):
        return f"{base_url[: -len('/pypi')]}/project/{urllib.parse.quote(package, safe='')}/"
    return json_url(base_url, package)


def fetch_all(
    tasks: Sequence[tuple[str, Callable[[], T]]],
    on_done: Callable[[str, T | Failure], None] | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, T | Failure]:
    """Run each (key, request) in a small thread pool: its result, or a Failure with the reason it raised.

    `on_done` hears each as it lands; the dict keeps the order of `tasks`.
    Setting `cancel` (from another thread) ends the requests under way within
    WAIT_SLICE; an exception here (Ctrl+C) sets it, so no thread outlives the call by more.
    """
    results: dict[str, T | Failure] = {}
    if not tasks:
        return results
    cancel = cancel or threading.Event()

    def attempt(key: str, request: Callable[[], T]) -> T | Failure:
        _limits.cancel = cancel
        try:
            return request()
        except IndexFailure as failure:
            return Failure(key, str(failure))
        finally:
            _limits.cancel = None

    pool = ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(tasks)), thread_name_prefix="fwtui-index")
    try:
        futures = {pool.submit(attempt, key, request): key for key, request in tasks}
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_done is not None:
                on_done(futures[future], result)
    except BaseException:
        cancel.set()  # requests not yet started are dropped, those under way end within WAIT_SLICE
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return {key: results[key] for key, _ in tasks}


def fetch_project(
    package: str, base_url: str, timeout: float = DEFAULT_TIMEOUT, *, use_cache: bool = True, max_bytes: int | None = None
) -> Project:
    """One package's answer, checked; raises IndexFailure with the reason. `max_bytes` defaults to MAX_ANSWER_BYTES."""
    url = json_url(base_url, package)
    project, from_cache = _fetch_checked(url, lambda body: parse_answer(package, body, url), timeout, use_cache, max_bytes, {}, "the index")
    return project._replace(from_cache=from_cache)


def _fetch_checked(
    url: str, parse: Callable[[bytes], T], timeout: float, use_cache: bool, max_bytes: int | None, headers: dict[str, str], service: str
) -> tuple[T, bool]:
    """GET `url` (conditionally, when the cache holds an answer with an ETag) and parse it: (value, from the cache)."""
    max_bytes = MAX_ANSWER_BYTES if max_bytes is None else max_bytes
    cache = _cache_file(url) if use_cache else None
    cached = _read_cache(cache) if cache is not None else None
    etag = cached[0] if cached is not None else None
    status, body, new_etag = _get(url, timeout, max_bytes, etag, headers, service)
    if status == 304 and cached is not None:
        try:
            return parse(cached[1]), True
        except IndexFailure:  # a damaged copy: ask again without a condition
            status, body, new_etag = _get(url, timeout, max_bytes, None, headers, service)
    if status == 304:
        raise IndexFailure(f"{service} answered 304 Not Modified to a request that named no copy")
    value = parse(body)
    if cache is not None and new_etag:
        _write_cache(cache, new_etag, body)
    return value, False


# HTTP ---------------------------------------------------------------------------


def _get(
    url: str, timeout: float, max_bytes: int, etag: str | None, extra: dict[str, str], service: str
) -> tuple[int, bytes, str | None]:
    """(status, body, ETag) of one GET within `timeout` seconds overall (connect, redirects, headers, body).

    An `Authorization` in `extra` is sent to `url`'s origin only, never to another one a redirect names.
    """
    headers = {"Accept": "application/json", "Accept-Encoding": "gzip", "User-Agent": f"fwtui/{__version__} (refresh)", **extra}
    credentials = headers.pop("Authorization", None)
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)
    if credentials:
        request.add_unredirected_header("Authorization", credentials)
    opener = urllib.request.build_opener(_BoundedHTTPHandler(), _BoundedHTTPSHandler(), _Redirects(url, credentials))
    _limits.deadline, _limits.timeout = time.monotonic() + timeout, timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
            if encoding not in ("identity", "gzip"):
                raise IndexFailure(f"unexpected Content-Encoding {text.describe(encoding)}")
            if encoding == "identity" and length and length.isdigit() and int(length) > max_bytes:
                raise IndexFailure(f"answer too large ({int(length):,} bytes; the cap is {max_bytes:,})")
            body = _read_body(response, max_bytes, gzipped=encoding == "gzip")
            answer_etag = response.headers.get("ETag")
            return response.status, body, answer_etag if answer_etag and _plain_header(answer_etag) else None
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 304:
            return 304, b"", etag
        if error.code == 404:
            raise IndexFailure(f"not found on {service} (HTTP 404)") from None
        if error.code >= 500:
            raise IndexFailure(f"server error (HTTP {error.code})") from None
        if 300 <= error.code < 400:
            raise IndexFailure(f"too many redirects, or one without a Location (HTTP {error.code})") from None
        raise IndexFailure(f"refused by {service} (HTTP {error.code})") from None
    except urllib.error.URLError as error:
        raise IndexFailure(_network_reason(error.reason, timeout)) from None
    except TimeoutError:
        raise IndexFailure(f"timeout: no complete answer within {timeout:g} s") from None
    except http.client.HTTPException as error:
        raise IndexFailure(f"connection broken ({type(error).__name__})") from None
    except OSError as error:
        raise IndexFailure(_network_reason(error, timeout)) from None
    finally:
        _limits.deadline = math.inf


def _read_body(response: Any, max_bytes: int, gzipped: bool) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
    body = bytearray()
    while True:
        chunk = response.read1(65536)
        if not chunk:
            break
        if inflater is not None:
            try:
                # Inflate no more than one byte past the cap: a small bomb cannot grow large here.
                chunk = inflater.decompress(chunk, max_bytes - len(body) + 1)
            except zlib.error:
                raise IndexFailure("bad gzip data in the answer") from None
        body += chunk
        if len(body) > max_bytes or (inflater is not None and inflater.unconsumed_tail):
            raise IndexFailure(f"answer too large (more than {max_bytes:,} bytes)")
    return bytes(body)


# Bounded waits -----------------------------------------------------------------------
#
# urllib (and http.client under it) gives a socket one timeout per wait, so a
# server sending a byte now and then holds a request for as long as it likes,
# and a thread blocked in a read cannot be told to stop. Here the sockets wait
# at most WAIT_SLICE at a time and, between waits, check the deadline and the
# cancel flag of the request running in this thread. urllib keeps doing the
# rest (proxies, TLS, chunked bodies, redirects).


class _Limits(threading.local):
    deadline = math.inf
    timeout = 0.0
    cancel: threading.Event | None = None


_limits = _Limits()


def _check_limits() -> None:
    if _limits.cancel is not None and _limits.cancel.is_set():
        raise IndexFailure("cancelled")
    if time.monotonic() > _limits.deadline:
        raise IndexFailure(f"timeout: no complete answer within {_limits.timeout:g} s")


def _in_slices(wait: Callable[[], T]) -> T:
    """`wait()` (a socket operation with a WAIT_SLICE timeout) retried until it completes or the limits end it."""
    while True:
        _check_limits()
        try:
            return wait()
        except TimeoutError:
            continue


class _BoundedSocket(socket.socket):
    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        return _in_slices(functools.partial(super().recv_into, buffer, nbytes, flags))


class _BoundedSSLSocket(ssl.SSLSocket):
    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        return _in_slices(functools.partial(super().recv_into, buffer, nbytes, flags))

    def do_handshake(self, block: bool = False) -> None:
        _in_slices(functools.partial(super().do_handshake, block))


def _connect(address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> socket.socket:
    """http.client's `_create_connection`, with each address's connect cut into slices."""
    host, port = address
    error: OSError | None = None
    for family, kind, proto, _, target in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock = _BoundedSocket(family, kind, proto)
        try:
            sock.setblocking(False)
            code = sock.connect_ex(target)
            while code in (errno.EINPROGRESS, errno.EALREADY, errno.EWOULDBLOCK):
                _check_limits()
                if select.select([], [sock], [], WAIT_SLICE)[1]:
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, os.strerror(code))
            sock.settimeout(WAIT_SLICE)
            return sock
        except OSError as failed:
            sock.close()
            error = failed
        except BaseException:
            sock.close()
            raise
    raise error or OSError(errno.EHOSTUNREACH, f"no address for {host}")


class _BoundedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _BoundedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _BoundedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_BoundedHTTPConnection, req)


class _BoundedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_BoundedHTTPSConnection, req, context=_tls_context())


@functools.cache
def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.sslsocket_class = _BoundedSSLSocket
    return context


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) as a browser compares them: default ports filled in, case folded."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only; the credentials go along only to the first request's origin."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, url: str, credentials: str | None) -> None:
        self.origin = origin(url)
        self.credentials = credentials

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = urllib.parse.urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            fp.close()
            raise IndexFailure(f"redirected to {text.quote(target)}, which is not an http(s) URL")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.remove_header("Authorization")
            if self.credentials and origin(newurl) == self.origin:
                new.add_unredirected_header("Authorization", self.credentials)
        return new


def _network_reason(reason: Any, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"timeout: no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "offline: the index's host name cannot be resolved"
    if isinstance(reason, ConnectionRefusedError):
        return "offline: connection refused"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {text.escape(str(reason.reason or reason))}"
    if isinstance(reason, OSError):
        return f"offline: {text.escape(str(reason.strerror or type(reason).__name__))}"
    return f"offline: {text.escape(str(reason))}"


def _plain_header(value: str) -> bool:
    return len(value) <= MAX_TEXT and value.isascii() and value.isprintable()


# Checking an answer ---------------------------------------------------------------


def parse_answer(package: str, body: bytes, url: str) -> Project:
    """The checked parts of a JSON API answer; IndexFailure names the first thing wrong."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        detail = f"{error.msg} at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else type(error).__name__
        raise IndexFailure(f"bad JSON: {detail}") from None
    if not isinstance(document, dict) or not isinstance(document.get("info"), dict) or not isinstance(document.get("releases"), dict):
        raise IndexFailure("invalid answer: expected an object with `info` and `releases` objects")
    info, releases = document["info"], document["releases"]
    if len(releases) > MAX_RELEASES:
        raise IndexFailure(f"invalid answer: more than {MAX_RELEASES:,} releases")
    classifiers = info.get("classifiers") or []
    if not isinstance(classifiers, list) or len(classifiers) > MAX_CLASSIFIERS:
        raise IndexFailure("invalid answer: info.classifiers: expected a list of strings")
    checked: dict[str, tuple[Upload, ...]] = {}
    for version, files in releases.items():
        where = f"releases[{text.describe(version)}]"
        _text(version, where)
        if not isinstance(files, list) or len(files) > MAX_FILES_PER_RELEASE:
            raise IndexFailure(f"invalid answer: {where}: expected a list of files")
        checked[version] = tuple(_upload(file, f"{where}[{index}]") for index, file in enumerate(files))
    name = _text(info.get("name"), "info.name")
    if not re.match(schema.PACKAGE_PATTERN, name):
        raise IndexFailure(f"invalid answer: info.name: {text.describe(name)} is not a package name")
    return Project(
        package=package,
        name=name,
        version=_text(info.get("version"), "info.version"),
        requires_python=_text(info.get("requires_python"), "info.requires_python", optional=True),
        license_expression=_text(info.get("license_expression"), "info.license_expression", optional=True),
        classifiers=tuple(_text(item, f"info.classifiers[{index}]") for index, item in enumerate(classifiers)),
        releases=checked,
        url=url,
        advisories=_advisories(document.get("vulnerabilities")),
    )


def _advisories(value: Any) -> tuple[Advisory, ...] | None:
    """The `vulnerabilities` list of an answer, checked: ids, aliases and versions of a known shape and size."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_ADVISORIES:
        raise IndexFailure(f"invalid answer: vulnerabilities: expected a list of at most {MAX_ADVISORIES} objects")
    found = []
    for number, entry in enumerate(value):
        where = f"vulnerabilities[{number}]"
        if not isinstance(entry, dict):
            raise IndexFailure(f"invalid answer: {where}: expected an object")
        if entry.get("withdrawn"):  # the advisory was taken back
            continue
        names = {}
        for key, pattern in (("aliases", _ADVISORY_ID), ("fixed_in", _VERSION_TEXT)):
            items = entry.get(key) or []
            if not isinstance(items, list) or len(items) > MAX_ADVISORY_NAMES:
                raise IndexFailure(f"invalid answer: {where}.{key}: expected a list of at most {MAX_ADVISORY_NAMES} strings")
            names[key] = tuple(_matching(item, f"{where}.{key}[{i}]", pattern) for i, item in enumerate(items))
        found.append(Advisory(_matching(entry.get("id"), f"{where}.id", _ADVISORY_ID), names["aliases"], names["fixed_in"]))
    return tuple(found)


def _matching(value: Any, where: str, pattern: re.Pattern[str]) -> str:
    checked = str(_text(value, where))
    if not pattern.match(checked):
        raise IndexFailure(f"invalid answer: {where}: {text.describe(checked)} is not of the expected form")
    return checked


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC. The index's older `upload_time` has no zone and is UTC; an
    answer may mix both forms, and Python refuses to compare the two kinds."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _upload(file: Any, where: str) -> Upload:
    if not isinstance(file, dict):
        raise IndexFailure(f"invalid answer: {where}: expected an object")
    stamp = _text(file.get("upload_time_iso_8601") or file.get("upload_time"), f"{where}.upload_time_iso_8601")
    try:
        uploaded = as_utc(dt.datetime.fromisoformat(stamp))
    except ValueError:
        raise IndexFailure(f"invalid answer: {where}.upload_time_iso_8601: {text.describe(stamp)} is not a date and time") from None
    yanked = file.get("yanked", False)
    if not isinstance(yanked, bool):
        raise IndexFailure(f"invalid answer: {where}.yanked: expected true or false")
    filename = _text(file.get("filename"), f"{where}.filename", optional=True) or ""
    return Upload(uploaded, _text(file.get("requires_python"), f"{where}.requires_python", optional=True), yanked, filename)


def _text(value: Any, where: str, optional: bool = False) -> Any:
    """A string the index sent, refused if it is missing, too long or holds control characters."""
    if value is None or value == "":
        if optional:
            return None
        raise IndexFailure(f"invalid answer: {where}: missing")
    if not isinstance(value, str):
        raise IndexFailure(f"invalid answer: {where}: expected a string, got {text.describe(value)}")
    if len(value) > MAX_TEXT:
        raise IndexFailure(f"invalid answer: {where}: longer than {MAX_TEXT} characters")
    problems = text.find_control(value, where)
    if problems:
        raise IndexFailure(f"invalid answer: {problems[0]}")
    if "\n" in value or "\t" in value:  # every field fwtui reads is one line
        raise IndexFailure(f"invalid answer: {where}: contains a line break or tab")
    return value


# GitHub's REST API (--github) ------------------------------------------------------------

DEFAULT_GITHUB_API = "https://api.github.com"
ENV_GITHUB_API = "FWTUI_GITHUB_API"
ENV_GITHUB_TOKEN = "GITHUB_TOKEN"
_GITHUB_REPOSITORY = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?(?:[?#].*)?$")


class Repository(NamedTuple):
    slug: str  # owner/name as asked
    stars: int
    archived: bool
    pushed: dt.datetime | None
    from_cache: bool = False


def github_slug(repository_url: str) -> str | None:
    """"owner/name" of a https://github.com/owner/name URL, else None."""
    match = _GITHUB_REPOSITORY.match(repository_url)
    return f"{match[1]}/{match[2]}" if match else None


def resolve_github_url() -> str:
    """The REST API base: FWTUI_GITHUB_API, else api.github.com; ValueError if not http(s)."""
    url = os.environ.get(ENV_GITHUB_API) or DEFAULT_GITHUB_API
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or text.find_control(url) or any(c.isspace() for c in url):
        raise ValueError(f"{ENV_GITHUB_API}: {text.describe(url)} is not an http(s) URL such as {DEFAULT_GITHUB_API}")
    return url.rstrip("/")


def fetch_repository(slug: str, base_url: str, timeout: float = DEFAULT_TIMEOUT, *, use_cache: bool = True) -> Repository:
    """Stars, archived and last push of one repository; GITHUB_TOKEN, when set, is sent as the bearer token."""
    url = f"{base_url}/repos/{slug}"
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    token = os.environ.get(ENV_GITHUB_TOKEN, "")
    if token and _plain_header(token):
        headers["Authorization"] = f"Bearer {token}"
    repository, from_cache = _fetch_checked(url, lambda body: parse_repository(slug, body), timeout, use_cache, None, headers, "GitHub")
    return repository._replace(from_cache=from_cache)


def parse_repository(slug: str, body: bytes) -> Repository:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise IndexFailure("bad JSON from GitHub") from None
    if not isinstance(document, dict):
        raise IndexFailure("invalid answer: expected an object")
    stars, archived = document.get("stargazers_count"), document.get("archived")
    if not isinstance(stars, int) or isinstance(stars, bool) or not 0 <= stars < 10**9:
        raise IndexFailure("invalid answer: stargazers_count: expected a count")
    if not isinstance(archived, bool):
        raise IndexFailure("invalid answer: archived: expected true or false")
    pushed_text = _text(document.get("pushed_at"), "pushed_at", optional=True)
    try:
        pushed = as_utc(dt.datetime.fromisoformat(pushed_text)) if pushed_text else None
    except ValueError:
        raise IndexFailure(f"invalid answer: pushed_at: {text.describe(pushed_text)} is not a date and time") from None
    return Repository(slug, stars, archived, pushed)


# The cache of answers with an ETag --------------------------------------------------


def _cache_file(url: str) -> Path:
    return dataset.cache_dir() / "index" / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:24]}.json"


def _read_cache(path: Path) -> tuple[str, bytes] | None:
    """(ETag, body) kept from an earlier answer; the ETag is the first line."""
    from fwtui.files import read_capped

    try:
        raw = read_capped(path, MAX_ANSWER_BYTES + 1024)
    except OSError:  # missing, not a regular file, too big: asked for again
        return None
    etag, _, body = raw.partition(b"\n")
    text = etag.decode("ascii", "replace")
    return (text, body) if body and _plain_header(text) else None


def _write_cache(path: Path, etag: str, body: bytes) -> None:
    """Keep the answer for a conditional request next time; a cache that cannot be written is no error."""
    from fwtui.files import write_atomic

    try:
        write_atomic(path, etag.encode("ascii") + b"\n" + body)
    except OSError:
        pass
