"""fwtui's benchmarks: first paint, imports, keystroke latency, load time and memory.

    python benchmarks/run.py            # full run (about five minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repeats, and no 10,000-framework dataset
    python benchmarks/run.py --only keys --sizes 1000   # one part, while working on it

The generated datasets default to the bundled dataset's size, 1,000 and 10,000
frameworks (--quick leaves out the 10,000, which alone takes minutes to write
and load).

Prints one table and exits 1 when a target is missed. Generated datasets are
written to a temporary folder and removed afterwards.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


@dataclass
class Row:
    name: str
    samples: list[float]
    unit: str = "ms"
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    def cells(self) -> list[str]:
        if not self.samples:
            return [self.name, "-", "-", "-", self.unit, self.target, self._verdict(), self.note]
        med, low, high = statistics.median(self.samples), min(self.samples), max(self.samples)
        fmt = "{:.1f}" if self.unit in ("ms", "MiB") else "{:.2f}"
        return [self.name, fmt.format(med), fmt.format(low), fmt.format(high), self.unit, self.target, self._verdict(), self.note]

    def _verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "MISS")


# 1 and 5: first paint and peak memory in a real terminal (tmux) --------------------------


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", "fwtui-bench", *args], capture_output=True, text=True, check=False).stdout


def first_paint(command: str, marker: str, env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from starting the command in tmux until `marker` is on screen, and peak RSS (MiB) then.

    The session first runs a shell that waits for Enter; a control-mode client
    attaches, Enter starts the app, and the clock stops when the app's output,
    streamed by tmux as it is written, contains the marker. Nothing polls the
    screen, so nothing competes with the app for the CPU while it starts.
    """
    tmux("kill-session", "-t", "bench")
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    tmux("new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", f"read go; exec env {exports} {command}")
    terminal = Terminal()
    elapsed = terminal.key_latency("Enter", expect=marker, timeout=30)
    terminal.close()
    if elapsed is None:
        raise RuntimeError(f"{command!r} never showed {marker!r}")
    pid = tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip()
    time.sleep(0.3)  # let the first screen settle before reading memory
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kib = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    tmux("kill-session", "-t", "bench")
    return elapsed, peak_kib / 1024


def compile_package() -> None:
    """Byte-compile fwtui, as pip does when it installs a wheel.

    A source checkout run with PYTHONDONTWRITEBYTECODE set (common in
    containers and CI) would otherwise compile every module on every start;
    Textual and the other dependencies were compiled when they were installed.
    """
    import compileall

    import fwtui

    compileall.compile_dir(Path(fwtui.__file__).parent, quiet=1)


def measure_start(runs: int) -> list[Row]:
    if shutil.which("tmux") is None:
        return [Row("first paint", [], note="tmux not installed: skipped", ok=False)]
    compile_package()
    tmux("-f", "/dev/null", "start-server", ";", "set", "-g", "exit-empty", "off")
    state = tempfile.mkdtemp(prefix="fwtui-bench-state-")
    env = {"FWTUI_STATE_DIR": state, "FWTUI_CONFIG_DIR": state, "FWTUI_CACHE_DIR": state, "TERM": "xterm-256color"}
    from fwtui import dataset

    count = len(dataset.load(dataset.bundled_path(), overlay=None).frameworks)
    shown = f"{count} of {count}"  # the list's count line: the first screen is up
    # fwtui as people start it, the installed `fwtui` command (a script, as the minimal app is run);
    # `python -m fwtui` from a checkout without one, which also imports runpy.
    script = Path(PYTHON).with_name("fwtui")
    command = str(script) if script.is_file() else f"{PYTHON} -m fwtui"
    apps = {
        "minimal": (f"{PYTHON} {HERE / 'minimal_app.py'}", "MINIMAL READY"),
        "fwtui": (command, shown),
        "fwtui-first": (command, shown),  # the very first start: nothing cached yet
    }
    times: dict[str, list[float]] = {name: [] for name in apps}
    memory: dict[str, list[float]] = {name: [] for name in apps}
    for name in apps:  # warm the OS file cache (and fwtui's parse cache) once, unmeasured
        first_paint(*apps[name], env)
    for run in range(runs):
        order = list(apps) if run % 2 == 0 else list(reversed(apps))  # interleaved, alternating
        for name in order:
            run_env = env
            if name == "fwtui-first":
                run_env = {**env, "FWTUI_CACHE_DIR": tempfile.mkdtemp(dir=state, prefix="cold-cache-")}
            milliseconds, mib = first_paint(*apps[name], run_env)
            times[name].append(milliseconds)
            memory[name].append(mib)
    tmux("kill-server")
    shutil.rmtree(state, ignore_errors=True)
    time_ratio = statistics.median(times["fwtui"]) / statistics.median(times["minimal"])
    mem_ratio = statistics.median(memory["fwtui"]) / statistics.median(memory["minimal"])
    return [
        Row("first paint: minimal Textual app", times["minimal"]),
        Row("first paint: fwtui", times["fwtui"], target="<= 1.15x minimal", ok=time_ratio <= 1.15, note=f"{time_ratio:.2f}x"),
        Row("first paint: fwtui, very first start", times["fwtui-first"],
            note=f"{statistics.median(times['fwtui-first']) / statistics.median(times['minimal']):.2f}x; parses the TOML, fills the cache"),
        Row("peak RSS: minimal Textual app", memory["minimal"], unit="MiB"),
        Row("peak RSS: fwtui", memory["fwtui"], unit="MiB", target="<= 1.3x minimal", ok=mem_ratio <= 1.3, note=f"{mem_ratio:.2f}x"),
    ]


# 2: imports --------------------------------------------------------------------------------

DEFERRED = ("pygments", "rich.syntax", "fwtui.clipboard", "fwtui.screens.help", "textual.widgets._markdown",
            "fwtui.widgets.explainer", "fwtui.widgets.compare", "fwtui.widgets.decision")


def measure_imports() -> list[Row]:
    code = "import fwtui.cli, fwtui.app, fwtui.widgets.details"
    done = subprocess.run([PYTHON, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True)
    total = own = 0
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not match:
            continue
        self_us, cumulative, indent, module = int(match[1]), int(match[2]), match[3], match[4]
        if len(indent) == 1:
            total += cumulative
        if module.startswith("fwtui"):
            own += self_us
    probe = subprocess.run([PYTHON, str(HERE / "first_screen_modules.py")], capture_output=True, text=True, check=True)
    loaded = set(probe.stdout.split())
    early = [m for m in DEFERRED if m in loaded]
    return [
        Row("import: first-screen modules (cumulative)", [total / 1000]),
        Row("import: fwtui's own modules (self time)", [own / 1000], note=f"{100 * own / max(total, 1):.0f}% of the total"),
        Row("import: deferred until needed", [], target="none loaded", ok=not early,
            note=("loaded early: " + ", ".join(early)) if early else ", ".join(DEFERRED)),
    ]


# 3 and 4: datasets of the bundled size, 1,000 and 10,000 frameworks ----------------------


def bundled_size() -> int:
    from fwtui.dataset import bundled_path

    return len(tomllib.loads(bundled_path().read_text(encoding="utf-8"))["framework"])


def generate(count: int, folder: Path) -> Path:
    """The bundled dataset with its frameworks repeated to `count` (at least the bundled size).

    The copies have no bench recipe, which the list, Decide and the load time
    do not depend on: with them, 10,000 frameworks came to 111 MB of TOML, over
    the 100 MB that fwtui reads (fwtui.files.MAX_BYTES); without, 93 MB.
    """
    import tomli_w

    from fwtui.dataset import bundled_path

    document = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    originals = document["framework"]
    frameworks = []
    for index in range(count):
        record = copy.deepcopy(originals[index % len(originals)])
        if index >= len(originals):
            record["id"] = f"{record['id']}-{index}"
            record["name"] = f"{record['name']} {index}"
            record.pop("bench", None)
        frameworks.append(record)
    document["framework"] = frameworks
    path = folder / f"frameworks-{count}.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    return path


def measure_load(paths: dict[int, Path], runs: int) -> list[Row]:
    """Load + validate, from a cold parse cache (the first start) and a warm one (every start after)."""
    from fwtui import dataset

    rows = []
    for count, path in paths.items():
        try:
            rows += _load_times(count, path, runs)
        except dataset.DatasetError as error:  # say why, as fwtui would, instead of a traceback
            rows.append(Row(f"load + validate: {count:,} frameworks", [], note=" ".join(error.problems), ok=False))
    return rows


def _load_times(count: int, path: Path, runs: int) -> list[Row]:
    from fwtui import dataset

    rows = []
    size = path.stat().st_size / 1e6
    for warm in (False, True):
        samples = []
        with tempfile.TemporaryDirectory(prefix="fwtui-bench-cache-") as cache:
            os.environ[dataset.ENV_CACHE_DIR] = cache
            try:
                if warm:
                    dataset.load(path, overlay=None)
                for _ in range(runs if count < 10_000 else max(1, runs // 3)):
                    if not warm:
                        for stale in Path(cache).iterdir():
                            stale.unlink()
                    start = time.perf_counter()
                    dataset.load(path, overlay=None)
                    samples.append((time.perf_counter() - start) * 1000)
            finally:
                del os.environ[dataset.ENV_CACHE_DIR]
        if warm and size * 1e6 > dataset._CACHE_MAX_BYTES:
            continue  # not cached: the same as cold
        note = f"{size:.1f} MB TOML" + ("; parse cached" if warm else "; parsed")
        rows.append(Row(f"load + validate: {count:,} frameworks, {'warm' if warm else 'cold'}", samples, note=note))
    return rows


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", "bench")


class Terminal:
    """A tmux control-mode client on the benchmark session.

    tmux streams every byte the app writes as `%output` lines, so a key is
    timed from sending it until the app has written the expected text (or, for
    a cursor move, anything), with no polling process competing for the cores.
    """

    def __init__(self, session: str = "bench") -> None:
        self.session = session
        self.process = subprocess.Popen(
            ["tmux", "-L", "fwtui-bench", "-C", "attach", "-t", session],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
        )
        self.outputs: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.command("refresh-client -C 120x40")
        time.sleep(0.5)

    def _read(self) -> None:
        assert self.process.stdout is not None
        # Buffered: a line read from the unbuffered pipe costs a system call per byte
        # (0.7 us each), so a frame of 30 lines took ~7 ms to read and a one-line echo
        # well under 1 ms, a cost of this reader, not of the app, that grew with the frame.
        for line in io.BufferedReader(self.process.stdout):
            if line.startswith(b"%output"):
                # "%output %<pane> <data>": keep the data only, so text split across two
                # chunks still matches once they are joined.
                payload = line.split(b" ", 2)[2] if line.count(b" ") >= 2 else b""
                self.outputs.put((time.perf_counter(), payload.rstrip(b"\r\n").decode("utf-8", "replace")))

    def command(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode() + b"\n")

    def key_latency(self, key: str, expect: str = "", timeout: float = 3.0) -> float | None:
        """Milliseconds from sending `key` until output containing `expect` arrives."""
        while not self.outputs.empty():
            self.outputs.get_nowait()
        start = time.perf_counter()
        self.command(f"send-keys -t {self.session} {key}")
        seen = ""
        while True:
            try:
                stamp, data = self.outputs.get(timeout=max(0.0, start + timeout - time.perf_counter()))
            except queue.Empty:
                return None
            seen += data
            if expect in seen:
                return (stamp - start) * 1000

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)


def filter_steps(path: Path) -> list[tuple[str, str]]:
    """Keys to type in the filter, each with the count line it must produce (only keys that change it)."""
    from fwtui import dataset
    from fwtui.widgets.framework_list import matches, search_words

    frameworks = dataset.load(path, overlay=None).frameworks
    words = [search_words(f) for f in frameworks]
    steps, query, previous = [], "", len(frameworks)
    for key in ["w", "e", "b", "BSpace", "BSpace", "BSpace", "a", "s", "g", "BSpace", "BSpace", "BSpace"]:
        query = query[:-1] if key == "BSpace" else query + key
        shown = sum(1 for w in words if matches(w, query.split()))
        if shown != previous:
            steps.append((key, f"{shown} of {len(frameworks)}"))
        else:
            steps.append((key, ""))  # typed, but not timed: the list does not change
        previous = shown
    return steps


def orm_counts(path: Path) -> tuple[int, str]:
    """The number of frameworks, and the count line once those without an ORM are hidden."""
    from fwtui import dataset
    from fwtui.decide import Criteria, rank

    data = dataset.load(path, overlay=None)
    kept = sum(1 for r in rank(data, Criteria(needs=("orm",))) if not r.excluded)
    return len(data.frameworks), f"{kept} of {len(data.frameworks)}"


ECHO_KEYS = "abcdefgh"
# Passed on to fwtui in tmux (whose server may hold an older environment): A/B of fwtui.tuning.
TUNING_OFF = "FWTUI_NO_TUNING=1 " if os.environ.get("FWTUI_NO_TUNING") else ""


def start_echo_app() -> Terminal:
    """The minimal Input app in a session of its own, for key echo measured between fwtui's keys."""
    tmux("kill-session", "-t", "echo")
    tmux("new-session", "-d", "-s", "echo", "-x", "120", "-y", "40",
         f"exec env TERM=xterm-256color {PYTHON} {HERE / 'minimal_input_app.py'}")
    deadline = time.perf_counter() + 60
    while "ECHO READY" not in tmux("capture-pane", "-p", "-t", "echo"):
        if time.perf_counter() > deadline:
            raise RuntimeError("the minimal Input app did not start")
        time.sleep(0.05)
    return Terminal("echo")


def echo_once(echo: Terminal, typed: list[str], samples: list[float]) -> None:
    """Time one key typed into the minimal app's Input: until its whole value is drawn."""
    if len(typed) == len(ECHO_KEYS):
        echo.command("send-keys -t echo C-u")  # clear, untimed
        typed.clear()
        time.sleep(0.1)
    key = ECHO_KEYS[len(typed)]
    typed.append(key)
    if (value := echo.key_latency(key, expect="".join(typed))) is not None:
        samples.append(value)
    time.sleep(0.1)


def keystrokes(path: Path, repeats: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per-key latency in a real terminal: filter typing, criteria toggles, a bare cursor move, and
    the minimal Input app's key echo, measured between fwtui's keys so that both see the same machine."""
    state = tempfile.mkdtemp(prefix="fwtui-bench-state-")
    tmux("-f", "/dev/null", "start-server", ";", "set", "-g", "exit-empty", "off")
    tmux("kill-session", "-t", "bench")
    tmux("new-session", "-d", "-s", "bench", "-x", "120", "-y", "40",
         f"exec env FWTUI_STATE_DIR={state} FWTUI_CONFIG_DIR={state} FWTUI_CACHE_DIR={state} TERM=xterm-256color "
         f"{TUNING_OFF}{PYTHON} -m fwtui --data {path}")
    deadline = time.perf_counter() + 120
    while " marked" not in screen():
        if time.perf_counter() > deadline:
            raise RuntimeError("fwtui did not start")
        time.sleep(0.05)
    steps = filter_steps(path)
    total, needing_orm = orm_counts(path)
    terminal = Terminal()
    echo = start_echo_app()
    typed: list[str] = []
    echo_times: list[float] = []
    time.sleep(1.0)

    cursor: list[float] = []
    for _ in range(repeats):  # the lightest change: the cursor moves one row
        if (value := terminal.key_latency("Down")) is not None:
            cursor.append(value)
        time.sleep(0.1)
    terminal.command("send-keys -t bench /")
    time.sleep(0.3)
    filter_times: list[float] = []
    for _ in range(repeats):
        for key, count in steps:
            if count and (value := terminal.key_latency(key, expect=count)) is not None:
                filter_times.append(value)
                time.sleep(0.1)
                echo_once(echo, typed, echo_times)
            elif not count:
                terminal.command(f"send-keys -t bench {key}")
            time.sleep(0.1)
    for key in ("Escape", "r", "Tab"):  # leave the filter, open Decide, move to the needs list (ORM first)
        terminal.command(f"send-keys -t bench {key}")
        time.sleep(0.4)
    terminal.command("send-keys -t bench h")  # hide excluded: the list's count line then follows each toggle
    time.sleep(0.4)
    toggle_times: list[float] = []
    for _ in range(repeats):
        terminal.command("send-keys -t bench Space")  # off -> nice to have: excludes nothing, not timed
        time.sleep(0.3)
        for expect in (needing_orm, f"{total} of {total}"):  # nice -> must (excludes), must -> off
            if (value := terminal.key_latency("Space", expect=expect)) is not None:
                toggle_times.append(value)
            time.sleep(0.2)
            echo_once(echo, typed, echo_times)
            time.sleep(0.1)
    terminal.close()
    echo.close()
    tmux("kill-session", "-t", "bench")
    tmux("kill-session", "-t", "echo")
    shutil.rmtree(state, ignore_errors=True)
    return filter_times, toggle_times, cursor, echo_times


def measure_engine(paths: dict[int, Path]) -> list[Row]:
    from fwtui import dataset
    from fwtui.decide import Criteria, rank, what_would_change

    loaded = dataset.load(paths[1000], overlay=None)
    criteria = Criteria(use_case="rest-api", needs=("validation",), team="beginner", async_comfort="no",
                        performance="high", maintenance="long")
    samples, what_if = [], []
    for _ in range(50):
        start = time.perf_counter()
        ranking = rank(loaded, criteria, what_if=False)
        middle = time.perf_counter()
        what_would_change(loaded, criteria, ranking)
        what_if.append((time.perf_counter() - middle) * 1000)
        samples.append((middle - start) * 1000)
    return [
        Row("rank 1,000 frameworks (engine)", samples, target="< 5 ms", ok=statistics.median(samples) < 5),
        Row("what would change it, 1,000 frameworks", what_if, note="after the list's frame, with the panel's reasons"),
    ]


def measure_keys(paths: dict[int, Path], repeats: int) -> list[Row]:
    """Keys at each size; at 1,000 frameworks held to 2x the minimal Input app's echo in the same run
    (absolute milliseconds differ by half between machines, ratios much less)."""
    if shutil.which("tmux") is None:
        return [Row("keystroke latency", [], note="tmux not installed: skipped", ok=False)]
    rows = []
    medians: dict[int, float] = {}
    for count, path in paths.items():
        filter_times, toggle_times, cursor, echo_times = keystrokes(path, repeats)
        medians[count] = statistics.median(filter_times + toggle_times)
        echo = statistics.median(echo_times) if echo_times else float("nan")
        rows.append(Row(f"key echo, minimal Input app (beside {count:,})", echo_times, note="the baseline"))
        for name, times in (("key in filter", filter_times), ("criteria toggle", toggle_times)):
            ratio = statistics.median(times) / echo if times and echo_times else float("nan")
            held = count == 1000
            rows.append(Row(f"{name}: {count:,} frameworks", times, target="<= 2x echo" if held else "",
                            ok=ratio <= 2.0 if held else None, note=f"{ratio:.2f}x echo"))
        rows.append(Row(f"cursor move in list: {count:,} frameworks", cursor, note="lightest redraw: the fixed cost of a frame"))
    if 1000 in medians and 10_000 in medians:
        growth = medians[10_000] / max(medians[1000], 0.01)
        rows.append(Row("keystroke growth 1,000 -> 10,000", [growth], unit="x", target="<= 10x (linear)", ok=growth <= 10))
    tmux("kill-server")
    return rows


def machine() -> str:
    from importlib.metadata import version

    return (f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
            f"Textual {version('textual')}, {platform.system()} {platform.release()}")


def render(rows: list[Row]) -> str:
    header = ["measure", "median", "min", "max", "unit", "target", "", "note"]
    table = [header] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


PARTS = ("start", "imports", "load", "engine", "keys")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, and no 10,000-framework dataset")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part (repeatable)")
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N",
                        help="generated dataset sizes (default: the bundled dataset's, 1000 and, without --quick, 10000)")
    args = parser.parse_args()
    bundled = bundled_size()
    sizes = args.sizes or [bundled, 1000] + ([] if args.quick else [10_000])
    if min(sizes) < bundled:
        # Fewer frameworks would leave the use cases, comparisons and lineage naming missing ones.
        parser.error(f"--sizes: each size must be at least {bundled}, the bundled dataset's")
    parts = args.only or PARTS
    runs = 5 if args.quick else 11
    rows = []
    if "start" in parts:
        rows += measure_start(runs)
    if "imports" in parts:
        rows += measure_imports()
    with tempfile.TemporaryDirectory(prefix="fwtui-bench-") as folder:
        paths = {count: generate(count, Path(folder)) for count in sizes}
        if "load" in parts:
            rows += measure_load(paths, 3 if args.quick else 6)
        if "engine" in parts and 1000 in paths:
            rows += measure_engine(paths)
        if "keys" in parts:
            rows += measure_keys(paths, 3 if args.quick else 8)
    print(f"Machine: {machine()}\n")
    print(render(rows))
    missed = [row.name for row in rows if row.ok is False]
    if missed:
        print("\nMissed: " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
