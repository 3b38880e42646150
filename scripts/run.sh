#!/usr/bin/env bash
# Starts the Vanguard DEMO: migrate, demo data and demo accounts on first start, static
# files, the background worker and a gunicorn server. Ctrl-C stops both. A deployment
# uses `vanguard setup` and `vanguard check --deploy` instead (docs/deploy.md).
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
echo "演示模式：演示数据，演示账户共用一个密码（见上），不可用于生产。部署见 docs/deploy.md。"
echo "DEMO: demo data and demo accounts sharing one password - not for production (see docs/deploy.md)."
# One sync worker a core, at least 2: the requests are CPU-bound (docs/deploy.md).
cores=$(nproc 2>/dev/null || echo 2)
"$bin"/gunicorn vanguard.wsgi:application --bind "$host:$port" \
  --workers "${WEB_WORKERS:-$(( cores > 2 ? cores : 2 ))}" --access-logfile - --graceful-timeout 5
