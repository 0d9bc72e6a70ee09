"""Widgets of the fwtui app, one per file, each with its own messages."""
