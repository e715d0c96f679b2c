#!/usr/bin/env bash
# A real ActorChat cluster on this one machine: PostgreSQL (rooms and messages), Redis (membership), three silos,
# two front ends in client mode and nginx as a WebSocket-aware load balancer (round robin, no sticky sessions) on
# one port.
#
#   deploy/local-cluster.sh up       build, then start everything (installs postgresql, redis-server and nginx if missing)
#   deploy/local-cluster.sh status   every process with its PID, ports and health, and the URLs
#   deploy/local-cluster.sh down     stop exactly what `up` started, by PID
#
# A developer's tool, not a deployment: the servers run in the Production environment like a real cluster, but the
# front ends get --ActorChat:Auth:DevLogin true by name so anyone at this machine can sign in with a user name.
#
# Ports are loopback only; override with LB_PORT, PG_PORT, REDIS_PORT, API_PORTS, SILO_HTTP_PORTS, SILO_PORTS,
# GATEWAY_PORTS (space-separated lists). Logs, PID files and the databases' data go to RUN_DIR (default
# .run/local-cluster); the data stays across down and up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run="${RUN_DIR:-$root/.run/local-cluster}"
lb_port="${LB_PORT:-8080}"
redis_port="${REDIS_PORT:-6380}"
pg_port="${PG_PORT:-5433}"
read -r -a api_ports <<< "${API_PORTS:-5081 5082}"
read -r -a silo_http_ports <<< "${SILO_HTTP_PORTS:-5091 5092 5093}"
read -r -a silo_ports <<< "${SILO_PORTS:-11111 11112 11113}"
read -r -a gateway_ports <<< "${GATEWAY_PORTS:-30001 30002 30003}"
configuration="${CONFIGURATION:-Release}"

need_package() {
  echo "installing $1 from Debian's packages"
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null
}

need() { command -v "$1" >/dev/null 2>&1 || need_package "$2"; }

# PostgreSQL's tools refuse root: as root, they run as the package's postgres user.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_postgres() {
  [ -n "$(pg_bin)" ] || need_package postgresql
  local bin; bin=$(pg_bin)
  # Owned by the user the server runs as: data, log and socket.
  local home="$run/postgres"
  if [ ! -f "$home/data/PG_VERSION" ]; then
    mkdir -p "$home"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$home"
    as_postgres "$bin/initdb" -D "$home/data" -A trust -U actorchat -E UTF8 >/dev/null
  fi
  as_postgres "$bin/pg_ctl" -D "$home/data" -o "-p $pg_port -k $home -c listen_addresses=127.0.0.1" -l "$home/server.log" -w start >/dev/null
  head -n 1 "$home/data/postmaster.pid" > "$run/postgres.pid"
  psql -h 127.0.0.1 -p "$pg_port" -U actorchat -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'actorchat'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$pg_port" -U actorchat -d postgres -qc "CREATE DATABASE actorchat"
}

alive() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

wait_ready() {
  local name=$1 url=$2
  for _ in $(seq 1 300); do
    if curl -fs -m 2 "$url" >/dev/null 2>&1; then return 0; fi
    alive "$name" || { echo "$name exited; see $run/$name.log" >&2; return 1; }
    sleep 0.2
  done
  echo "$name not ready after 60 s; see $run/$name.log" >&2
  return 1
}

common_args() {
  echo --ActorChat:Redis "127.0.0.1:$redis_port" \
    --ActorChat:Cluster:Membership Redis --ActorChat:Cluster:AdvertisedAddress 127.0.0.1 \
    --ActorChat:Storage:Provider Postgres \
    --ActorChat:Storage:ConnectionString "Host=127.0.0.1;Port=$pg_port;Username=actorchat;Database=actorchat" \
    --ActorChat:Dashboard:Key "$(cat "$run/dashboard-key")"
}

start_dotnet() {
  local name=$1 project=$2; shift 2
  local out="$root/$project/bin/$configuration/net10.0"
  # exec: the recorded PID is the server's own, so `down` stops exactly it.
  (cd "$out" && exec env DOTNET_ENVIRONMENT=Production dotnet "$(basename "$project").dll" "$@" > "$run/$name.log" 2>&1 < /dev/null) &
  echo $! > "$run/$name.pid"
}

up() {
  need redis-server redis-server
  need nginx nginx
  need curl curl
  if alive redis; then echo "already up (see status)"; exit 1; fi
  mkdir -p "$run/redis" "$run/nginx"
  echo "building ($configuration)"
  dotnet build "$root/ActorChat.sln" -c "$configuration" --nologo -v quiet -clp:ErrorsOnly

  [ -f "$run/signing-key" ] || head -c 48 /dev/urandom | base64 | tr -d '\n=' > "$run/signing-key"
  # Outside Development the dashboards are served only with a key; hex, so it can go in a URL as it is.
  [ -f "$run/dashboard-key" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$run/dashboard-key"

  # Append-only file with an fsync per write: a write Redis acknowledged survives a crash of Redis or the host.
  redis-server --port "$redis_port" --bind 127.0.0.1 --appendonly yes --appendfsync always --save "" \
    --dir "$run/redis" --daemonize yes --pidfile "$run/redis.pid" --logfile "$run/redis.log"
  for _ in $(seq 1 50); do [ -s "$run/redis.pid" ] && break; sleep 0.1; done
  start_postgres

  for i in 0 1 2; do
    start_dotnet "silo$((i + 1))" silo/ActorChat.Silo --urls "http://127.0.0.1:${silo_http_ports[$i]}" \
      --ActorChat:Cluster:SiloPort "${silo_ports[$i]}" --ActorChat:Cluster:GatewayPort "${gateway_ports[$i]}" $(common_args)
  done
  for i in 0 1 2; do wait_ready "silo$((i + 1))" "http://127.0.0.1:${silo_http_ports[$i]}/health/ready"; done

  for i in 0 1; do
    start_dotnet "api$((i + 1))" api/ActorChat.Api --urls "http://127.0.0.1:${api_ports[$i]}" \
      --ActorChat:Hosting:Mode Client --ActorChat:Auth:SigningKey "$(cat "$run/signing-key")" \
      --ActorChat:Auth:DevLogin true $(common_args)
  done
  for i in 0 1; do wait_ready "api$((i + 1))" "http://127.0.0.1:${api_ports[$i]}/health/ready"; done

  {
    echo "worker_processes 1; daemon on; pid $run/nginx.pid; error_log $run/nginx-error.log warn;"
    echo "events { worker_connections 8192; }"
    echo "http {"
    echo "  access_log $run/nginx-access.log;"
    echo "  # Sockets and event streams carry a one-use ticket (or an old client's token) in the query: logged without it."
    echo "  log_format actorchat_no_query '\$remote_addr - \$remote_user [\$time_local] \"\$request_method \$uri \$server_protocol\" '"
    echo "                                '\$status \$body_bytes_sent \"\$http_referer\" \"\$http_user_agent\" \$request_time';"
    echo "  client_body_temp_path $run/nginx/body; proxy_temp_path $run/nginx/proxy;"
    echo "  fastcgi_temp_path $run/nginx/fastcgi; uwsgi_temp_path $run/nginx/uwsgi; scgi_temp_path $run/nginx/scgi;"
    echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }"
    echo "  upstream actorchat {"
    for port in "${api_ports[@]}"; do echo "    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"; done
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$lb_port;"
    echo "    proxy_http_version 1.1;"
    echo "    proxy_set_header Upgrade \$http_upgrade;"
    echo "    proxy_set_header Connection \$connection_upgrade;"
    echo "    proxy_set_header Host \$host;"
    echo "    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "    # Sockets live long; the server's own pings keep them busy well inside this."
    echo "    proxy_read_timeout 1h; proxy_send_timeout 1h;"
    echo "    proxy_next_upstream error timeout http_502 http_503;"
    echo "    # Operators' endpoints are reached on each server's own port, never through the load balancer."
    echo "    location ^~ /dashboard { return 404; }"
    echo "    location ^~ /metrics { return 404; }"
    echo "    location / { proxy_pass http://actorchat; }"
    echo "    location = /ws { access_log $run/nginx-access.log actorchat_no_query; proxy_pass http://actorchat; }"
    echo "    location ~ ^/api/rooms/[^/]+/events\$ { access_log $run/nginx-access.log actorchat_no_query; proxy_pass http://actorchat; }"
    echo "  }"
    echo "}"
  } > "$run/nginx.conf"
  nginx -c "$run/nginx.conf" -p "$run"
  wait_ready nginx "http://127.0.0.1:$lb_port/health/ready"
  status
}

status() {
  printf '%-8s %-8s %-8s %-28s %s\n' NAME PID STATE PORTS HEALTH
  row() {
    local name=$1 ports=$2 url=${3:-}
    local pid="-" state="stopped" health="-"
    if alive "$name"; then pid=$(cat "$run/$name.pid"); state="running"; fi
    if [ -n "$url" ] && [ "$state" = running ]; then health=$(curl -s -m 2 "$url" 2>/dev/null || echo unreachable); fi
    printf '%-8s %-8s %-8s %-28s %s\n' "$name" "$pid" "$state" "$ports" "$health"
  }
  row postgres "postgres:$pg_port"
  row redis "redis:$redis_port"
  for i in 0 1 2; do
    row "silo$((i + 1))" "http:${silo_http_ports[$i]} silo:${silo_ports[$i]} gw:${gateway_ports[$i]}" "http://127.0.0.1:${silo_http_ports[$i]}/health/ready"
  done
  for i in 0 1; do row "api$((i + 1))" "http:${api_ports[$i]}" "http://127.0.0.1:${api_ports[$i]}/health/ready"; done
  row nginx "http:$lb_port" "http://127.0.0.1:$lb_port/health/ready"
  echo
  echo "web:        http://127.0.0.1:$lb_port/"
  echo "websocket:  ws://127.0.0.1:$lb_port/ws"
  echo "dashboards: $(for p in "${silo_http_ports[@]}"; do printf 'http://127.0.0.1:%s/dashboard/ ' "$p"; done)"
  echo "            open one with ?key=\$(cat $run/dashboard-key) once"
  echo "logs:       $run"
}

down() {
  for name in nginx api1 api2 silo1 silo2 silo3 redis postgres; do
    if alive "$name"; then
      pid=$(cat "$run/$name.pid")
      kill -TERM "$pid"
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "stopped $name ($pid)"
    fi
    rm -f "$run/$name.pid"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
