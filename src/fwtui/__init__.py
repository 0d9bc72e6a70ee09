"""fwtui: a terminal explorer for choosing a Python backend framework."""

__version__ = "0.1.0"
