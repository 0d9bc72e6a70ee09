"""Screens of the fwtui app, one per file."""
