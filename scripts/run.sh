#!/usr/bin/env bash
# Starts Vanguard as in production: migrate, first-run data, static files, the
# background worker and a gunicorn server. Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
bin=.venv/bin
"$bin"/vanguard migrate --noinput -v 0
"$bin"/vanguard demo --scale district --seed 1 --if-empty
"$bin"/vanguard collectstatic --noinput -v 0
"$bin"/vanguard run_huey --quiet &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Vanguard: http://$host:$port/"
"$bin"/gunicorn vanguard.wsgi:application --bind "$host:$port" \
  --workers "${WEB_WORKERS:-3}" --access-logfile - --graceful-timeout 5
