"""The one path every copy goes through.

The app sends the text to the terminal with OSC 52 (App.copy_to_clipboard);
`deliver` then tries the system clipboard tool, time-limited, and saves the
text to a file whenever neither route is known to have worked, so a summary
is never silently lost. `deliver` blocks: the app runs it in a thread.

In a browser (`fwtui serve`) the page puts OSC 52 copies on the browser's
clipboard; `deliver_in_browser` runs no tool and saves nothing on the server,
and offers the summary as a download whenever the copy is not sure.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

TOOL_TIMEOUT = 2.0
# Terminals cap OSC 52 payloads (tmux and several terminals near 100 kB).
OSC52_LIMIT = 75_000


@dataclass(frozen=True, slots=True)
class CopyResult:
    osc52_sent: bool
    osc52_known: bool
    tool: str | None = None
    tool_error: str | None = None
    saved_to: Path | None = None
    save_error: str | None = None
    browser: bool = False
    download: str | None = None  # the file name the browser was offered

    @property
    def copied(self) -> bool:
        return self.tool is not None or (self.osc52_sent and self.osc52_known)

    @property
    def severity(self) -> str:
        if self.copied:
            return "information"
        return "warning" if self.saved_to or self.download else "error"

    def message(self) -> str:
        if self.browser:
            return self._browser_message()
        if self.tool:
            how = f"system clipboard ({self.tool})" + (" and terminal (OSC 52)" if self.osc52_sent and self.osc52_known else "")
            text = f"Copied to the {how}."
        elif self.osc52_sent and self.osc52_known:
            text = "Copied to the terminal clipboard (OSC 52)."
        else:
            reasons = []
            if not self.osc52_sent:
                reasons.append("the summary is too large for OSC 52")
            else:
                reasons.append("this terminal is not known to accept OSC 52")
            reasons.append(self.tool_error or "no clipboard tool was found")
            text = "Could not confirm the copy: " + "; ".join(reasons) + "."
        if self.saved_to:
            text += f" Saved to {self.saved_to}"
        elif self.save_error:
            text += f" Saving a copy failed too: {self.save_error}"
        return text

    def _browser_message(self) -> str:
        if self.copied:
            return "Copied to the browser clipboard."
        if not self.osc52_sent:
            why = "the summary is too large for the browser clipboard route"
        else:
            why = "this page may not use the clipboard (browsers allow it on https or localhost only)"
        return f"Could not confirm the copy: {why}. Offered as a download: {self.download}."


def osc52_known(env: Mapping[str, str] = os.environ) -> bool:
    """Whether the terminal is known to take OSC 52 clipboard writes."""
    if env.get("TMUX"):
        return _tmux_set_clipboard_on()
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if program in ("iTerm.app", "WezTerm", "ghostty", "rio") or env.get("WT_SESSION"):
        return True
    return term.startswith(("xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm", "contour"))


def _tmux_set_clipboard_on() -> bool:
    try:
        done = subprocess.run(
            ["tmux", "show-options", "-gv", "set-clipboard"],
            capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout.strip() == "on"


def clipboard_tools(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> list[list[str]]:
    """System clipboard commands worth trying here, best first."""
    candidates: list[list[str]] = []
    if platform == "darwin":
        candidates.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    candidates += [["clip.exe"], ["clip"]] if platform == "win32" or "microsoft" in os.uname().release.lower() else []
    return [argv for argv in candidates if shutil.which(argv[0])]


def run_tool(argv: list[str], text: str, timeout: float | None = None) -> str | None:
    """Feed text to a clipboard tool (for at most `timeout`, TOOL_TIMEOUT); None on success, else why it failed."""
    timeout = TOOL_TIMEOUT if timeout is None else timeout
    try:
        # No pipes for output: xclip stays behind to serve the selection and would hold them open.
        done = subprocess.run(
            argv, input=text.encode("utf-8"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{argv[0]} did not answer within {timeout:g} s"
    except OSError as error:
        return f"{argv[0]} could not run: {error.strerror or error}"
    return None if done.returncode == 0 else f"{argv[0]} failed (exit {done.returncode})"


def save_summary(text: str, folder: Path) -> Path:
    """Write the summary to a new file in `folder` (falling back to the temp dir)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for target in (folder, Path(tempfile.gettempdir()) / "fwtui"):
        try:
            target.mkdir(parents=True, exist_ok=True)
            path = target / f"summary-{stamp}.md"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise OSError(f"could not write to {folder} or the temp dir")


def deliver_in_browser(
    text: str, osc52_sent: bool, page_secure: bool, offer_download: Callable[[str, str], None]
) -> CopyResult:
    """Under `fwtui serve`, after the app sent OSC 52 (or not): offer a download unless the page surely copied.

    A clipboard tool or a saved file would be on the server, not with the
    person at the browser, so neither is tried.
    """
    if osc52_sent and page_secure:
        return CopyResult(osc52_sent=True, osc52_known=True, browser=True)
    name = f"fwtui-summary-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.md"
    offer_download(text, name)
    return CopyResult(osc52_sent=osc52_sent, osc52_known=False, browser=True, download=name)


def deliver(
    text: str,
    osc52_sent: bool,
    save_folder: Path,
    env: Mapping[str, str] = os.environ,
    tools: list[list[str]] | None = None,
    timeout: float | None = None,
) -> CopyResult:
    """After the app sent OSC 52 (or not), try a system tool, and save a file if nothing is sure."""
    known = osc52_sent and osc52_known(env)
    tool = tool_error = None
    for argv in clipboard_tools(env) if tools is None else tools:
        error = run_tool(argv, text, timeout)
        if error is None:
            tool, tool_error = argv[0], None
            break
        tool_error = error
    result = CopyResult(osc52_sent=osc52_sent, osc52_known=known, tool=tool, tool_error=tool_error)
    if result.copied:
        return result
    try:
        saved = save_summary(text, save_folder)
    except OSError as error:
        return CopyResult(osc52_sent, known, tool, tool_error, save_error=str(error))
    return CopyResult(osc52_sent, known, tool, tool_error, saved_to=saved)
