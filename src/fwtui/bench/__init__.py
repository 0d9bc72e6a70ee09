"""`fwtui bench`: measure each framework's JSON hello on this machine.

The files say the steps: envs.py makes the isolated environments, servers.py
starts and ends the servers, load.py generates the load, run.py orders the
rounds and gathers the results, saved.py keeps them for the TUI. Nothing here
imports Textual; the CLI imports this package only when `bench` is asked for.
"""
