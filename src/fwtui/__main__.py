"""Entry point for `python -m fwtui`."""

from fwtui.cli import main

raise SystemExit(main())
