#!/usr/bin/env bash
# Run a benchmark (bench/payroll.py, or the one BENCH names) for a base commit
# and the working tree in turn, each on a fresh PostgreSQL database, and print
# each run's JSON line with the load average before and after: on a shared
# machine, compare runs side by side.
#
#   bench/alternate.sh BASE_COMMIT ROWS base new base new
#   BENCH=bench/result_files.py bench/alternate.sh BASE_COMMIT ROWS base new
set -euo pipefail
base_commit=$1 rows=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
base_tree=$(mktemp -d)
trap 'rm -rf "$base_tree"' EXIT
git -C "$root" archive "$base_commit" | tar -x -C "$base_tree"
for label in "$@"; do
    database="bench_${label}_$$_${RANDOM}"
    tree=$root
    [ "$label" = base ] && tree=$base_tree
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $database"
    before=$(cut -d' ' -f1 /proc/loadavg)
    line=$(cd "$tree" && PYTHONPATH="$tree" \
        DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$database" \
        "$root/.venv/bin/python" "${BENCH:-bench/payroll.py}" --rows "$rows" --json | tail -1)
    echo "$label $(date +%H:%M) load $before -> $(cut -d' ' -f1 /proc/loadavg): $line"
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $database"
done
