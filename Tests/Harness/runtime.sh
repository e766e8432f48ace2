#!/usr/bin/env bash
# The real MUXI runtime on loopback, offline, for the integration tests and the demo.
#
#   Tests/Harness/runtime.sh start    venv if missing, stand-in LLM, PostgreSQL, runtime
#   Tests/Harness/runtime.sh stop     stops them by their PID files (HARNESS_WIPE=1: delete state)
#   Tests/Harness/runtime.sh env      prints the MUXI_* variables that point at it
#
# Knobs (environment): HARNESS_STATE (default /tmp/muxi-chat-runtime-<checkout hash>, so two
# checkouts never share PID files), HARNESS_PORT (18371),
# HARNESS_LLM_PORT (18399), HARNESS_PG_PORT (18452), HARNESS_VENV (<repo>/.venv-runtime),
# HARNESS_PYTHON (/usr/bin/python3: Debian's, whose sqlite3 can load extensions),
# HARNESS_TIMEOUT (seconds to wait for health, default 240), STAND_IN_DELAY (seconds per chunk),
# STAND_IN_STYLE (demo: markdown answers), DEMO_OPENAI_API_KEY (a real OpenAI key: the formation
# then uses OpenAI itself instead of the stand-in).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${HARNESS_STATE:-/tmp/muxi-chat-runtime-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}"
PORT="${HARNESS_PORT:-18371}"
LLM_PORT="${HARNESS_LLM_PORT:-18399}"
PG_PORT="${HARNESS_PG_PORT:-18452}"
VENV="${HARNESS_VENV:-$ROOT/.venv-runtime}"
PYTHON="${HARNESS_PYTHON:-/usr/bin/python3}"
TIMEOUT="${HARNESS_TIMEOUT:-240}"
CLIENT_KEY="fmc_muxi_chat_demo_client_key"
ADMIN_KEY="fma_muxi_chat_demo_admin_key"

say() { printf '[runtime] %s\n' "$*" >&2; }
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

ensure_venv() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import muxi.runtime, psycopg, pgserver' 2>/dev/null; then
    return
  fi
  "$PYTHON" -c 'import sqlite3, sys; sys.exit(0 if hasattr(sqlite3.Connection, "enable_load_extension") else 1)' \
    || { say "$PYTHON cannot load SQLite extensions; set HARNESS_PYTHON to Debian's python3"; exit 1; }
  say "installing the pinned runtime into $VENV (about 2 minutes, 2 GB)"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements-lock.txt"
}

start_llm() {
  running "$STATE/llm.pid" && return
  STAND_IN_LOG="$STATE/llm-requests.jsonl" nohup "$VENV/bin/python" "$HERE/stand_in_llm.py" --port "$LLM_PORT" \
    >"$STATE/llm.log" 2>&1 &
  echo $! >"$STATE/llm.pid"
  for _ in $(seq 50); do curl -sf -m 1 "http://127.0.0.1:$LLM_PORT/v1/models" >/dev/null && return; sleep 0.1; done
  say "the stand-in LLM did not start; see $STATE/llm.log"; exit 1
}

start_postgres() {
  local bin data as_pg
  bin="$("$VENV/bin/python" -c 'import os, pgserver; print(os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin"))')"
  data="$STATE/pg/data"
  if [ "$(id -u)" = 0 ]; then   # PostgreSQL refuses to run as root
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    as_pg() { su postgres -s /bin/sh -c "$1"; }
  else
    as_pg() { sh -c "$1"; }
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$STATE/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$STATE/pg"
    as_pg "'$bin/initdb' -D '$data' -U muxi --auth=trust -E UTF8 >'$STATE/pg/initdb.log' 2>&1"
  fi
  if ! running "$STATE/postgres.pid"; then
    as_pg "'$bin/pg_ctl' -D '$data' -l '$STATE/pg/server.log' -w -t 60 -o \"-p $PG_PORT -k '$STATE/pg' -c listen_addresses=127.0.0.1\" start" >/dev/null
    head -1 "$data/postmaster.pid" >"$STATE/postgres.pid"
  fi
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U muxi -d postgres -tAc "select 1 from pg_database where datname='muxi'" | grep -q 1 \
    || "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U muxi -d postgres -c "create database muxi"
  PGOPTIONS='-c client_min_messages=warning' "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U muxi -d muxi \
    -c "create extension if not exists vector"
}

start_runtime() {
  if running "$STATE/runtime.pid"; then say "already running (pid $(cat "$STATE/runtime.pid"))"; return; fi
  rm -rf "$STATE/formation"
  cp -r "$ROOT/Assets/formation" "$STATE/formation"
  DEMO_OPENAI_API_KEY="${DEMO_OPENAI_API_KEY:-}" "$VENV/bin/python" - "$STATE/formation/formation.afs" "$PORT" "postgresql://muxi@127.0.0.1:$PG_PORT/muxi" <<'PY'
import os, sys, yaml
path, port, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
config = yaml.safe_load(open(path))
config["server"].update(host="127.0.0.1", port=port)
config["memory"]["persistent"]["connection_string"] = db
if os.environ.get("DEMO_OPENAI_API_KEY"):
    config["llm"]["api_keys"]["openai"] = os.environ["DEMO_OPENAI_API_KEY"]
yaml.safe_dump(config, open(path, "w"), sort_keys=False)
PY
  local llm_base="http://127.0.0.1:$LLM_PORT/v1" proxy="http://127.0.0.1:9"
  if [ -n "${DEMO_OPENAI_API_KEY:-}" ]; then llm_base="https://api.openai.com/v1"; proxy=""; fi
  mkdir -p "$STATE/home"
  local started=$SECONDS
  # Outbound HTTP(S) goes to a dead loopback port: model and data downloads fail at once, locally.
  env HOME="$STATE/home" NO_COLOR=1 MUXI_TELEMETRY=0 MUXI_SDK_VERSION_NOTIFICATION=0 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    HTTP_PROXY=$proxy HTTPS_PROXY=$proxy http_proxy=$proxy https_proxy=$proxy \
    NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
    ONELLM_PROVIDERS__OPENAI__API_BASE="$llm_base" OPENAI_API_KEY="${DEMO_OPENAI_API_KEY:-sk-stand-in-not-a-real-key}" \
    nohup "$VENV/bin/python" "$HERE/launch_formation.py" "$STATE/formation/formation.afs" "$PORT" >"$STATE/runtime.log" 2>&1 &
  echo $! >"$STATE/runtime.pid"
  until curl -sf -m 2 "http://127.0.0.1:$PORT/v1/health" >/dev/null 2>&1; do
    if ! running "$STATE/runtime.pid"; then say "the runtime exited:"; tail -25 "$STATE/runtime.log" >&2; exit 1; fi
    if [ $((SECONDS - started)) -ge "$TIMEOUT" ]; then say "not healthy after ${TIMEOUT}s; see $STATE/runtime.log"; exit 1; fi
    sleep 0.25
  done
  say "runtime healthy on http://127.0.0.1:$PORT after $((SECONDS - started))s"
}

stop_one() { # name pidfile signal
  local pid
  [ -f "$2" ] || return 0
  pid="$(cat "$2")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$3" "$pid" 2>/dev/null || true
    for _ in $(seq 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$2"
}

case "${1:-}" in
  start)
    mkdir -p "$STATE"
    [ "$(id -u)" = 0 ] && chmod 755 "$STATE"
    ensure_venv
    start_llm
    start_postgres
    start_runtime
    ;;
  stop)
    stop_one runtime "$STATE/runtime.pid" TERM
    stop_one stand-in-llm "$STATE/llm.pid" TERM
    stop_one postgres "$STATE/postgres.pid" INT
    if [ "${HARNESS_WIPE:-0}" = 1 ]; then rm -rf "$STATE"; fi
    ;;
  running)
    running "$STATE/runtime.pid"
    ;;
  env)
    echo "MUXI_URL=http://127.0.0.1:$PORT"
    echo "MUXI_CLIENT_KEY=$CLIENT_KEY"
    echo "MUXI_ADMIN_KEY=$ADMIN_KEY"
    echo "MUXI_LLM_LOG=$STATE/llm-requests.jsonl"   # every request the stand-in LLM received
    ;;
  *)
    echo "usage: $0 start|stop|running|env" >&2
    exit 2
    ;;
esac
