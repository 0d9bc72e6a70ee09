"""`fwtui bench`: measure the frameworks on this machine.

The files say the steps: envs.py makes the isolated environments,
workloads.py says what each app is asked and must answer, baselines.py
holds the raw ASGI and WSGI apps the frameworks are read against,
servers.py starts and ends the servers (lifeline.py ties them to fwtui's
own life), load.py generates the load, facts.py reads footprint, import
time and memory, run.py orders the rounds and gathers the results,
report.py shows them, saved.py keeps them for the TUI and for --chart,
command.py is the `fwtui bench` command that runs the three in turn.
Nothing here imports Textual; the CLI imports this package only when
`bench` is asked for.
"""
