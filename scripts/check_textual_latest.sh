#!/usr/bin/env bash
# Would the newest Textual release break fwtui? Installs fwtui in a throwaway venv with the
# newest Textual (ignoring pyproject's pin), runs only the guard tests on Textual's internals
# (tests/test_textual_guards.py; docs/textual-internals.md says what each one holds), and says
# which would break. Exit status: 0 all guards hold, 1 some would break, 2 nothing could be checked.
set -uo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv" || exit 2
pip=("$work/venv/bin/pip" install -q --disable-pip-version-check)
# fwtui itself without its dependencies (so the pin does not hold Textual back), then the
# newest Textual and the other dependencies the guards need, at the tested versions.
grep -v -i '^textual==' constraints.txt > "$work/constraints.txt"
if ! "${pip[@]}" --no-deps -e . \
    || ! "${pip[@]}" -c "$work/constraints.txt" --upgrade textual rich tomli-w platformdirs pytest pytest-asyncio; then
    echo "could not install fwtui with the newest Textual" >&2
    exit 2
fi
newest=$("$work/venv/bin/python" -c "from importlib.metadata import version; print(version('textual'))")
echo "Textual $newest (pinned range: $(grep -o '"textual[>=<][^"]*"' pyproject.toml))"

# -p no:xdist -o addopts=: one process, without the suite's worker options.
"$work/venv/bin/python" -m pytest -p no:xdist -o addopts= -q -rf --no-header -p no:cacheprovider tests/test_textual_guards.py
status=$?
if [ "$status" -eq 0 ]; then
    echo "Every guard holds with Textual $newest."
elif [ "$status" -eq 1 ]; then
    echo "With Textual $newest the guards above fail: see docs/textual-internals.md for what each one protects."
else
    echo "The guard tests could not run with Textual $newest (pytest exit $status)."
    status=2
fi
exit "$status"
