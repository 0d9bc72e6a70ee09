"""The `fwtui` command's entry point, and `python -m fwtui`.

The cyclic collector is held from here, before fwtui and Textual are
imported (`tuning.hold_collector`): importing them is most of the first
paint. The command line turns it back on at once for every command but the
explorer, and the explorer once its first paint is done.
"""

from fwtui import tuning


def main() -> int:
    tuning.hold_collector()
    from fwtui.cli import main as command_line

    return command_line()


if __name__ == "__main__":
    raise SystemExit(main())
