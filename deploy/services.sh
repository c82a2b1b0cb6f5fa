#!/usr/bin/env bash
# Builds and starts (or stops) the platform's services on 127.0.0.1, each as a background process
# with its pid and log under deploy/.run/. Idempotent: a service that is up is left running.
#   bash deploy/services.sh start|stop|status
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/environment.sh

# PORT_BASE moves the whole platform to other ports (a second copy beside the first, e.g. for a benchmark):
# the workstation on PORT_BASE, the services on PORT_BASE+1..+5. The default is 5100.
BASE="${PORT_BASE:-5100}"
RUN=deploy/.run; [ "$BASE" = 5100 ] || RUN="deploy/.run-$BASE"
# name:project folder:port
SERVICES=("assessment:services/Assessment:$((BASE+1))" "detox:services/Detox:$((BASE+3))" "counseling:services/Counseling:$((BASE+4))"
          "relapse:services/Relapse:$((BASE+5))" "timeline:services/Timeline:$((BASE+2))" "workstation:services/Workstation:$BASE")
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name _ port <<<"$entry"
  [ "$name" = workstation ] || export "Services__${name^}=http://127.0.0.1:$port"
done
# The workstation (the gateway on :5100, one origin for staff) routes to the services above at their default addresses.
# A local deployment signs in with the development sign-in (the page says so); a real one sets it false and uses its
# identity provider (docs/workstation.md).
export Workstation__DevelopmentSignIn="${Workstation__DevelopmentSignIn:-true}"

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start() {
  mkdir -p "$RUN"
  say "building (Release)"
  [ -n "${SKIP_BUILD:-}" ] || dotnet build Platform.sln -c Release -v quiet -nologo >"$RUN/build.log" 2>&1 || { tail -n 30 "$RUN/build.log"; die "build failed"; }
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name folder port <<<"$entry"
    if alive "$name"; then say "$name already running (pid $(cat "$RUN/$name.pid"))"; continue; fi
    local dll; dll=$(ls "$folder"/bin/Release/net10.0/Recovery.*.dll | grep -v Tests | grep -i "Recovery.$(basename "$folder").dll")
    # A plain command after `&` (no `&&` list): bash would keep a waiting subshell holding our stdout.
    ( cd "$(dirname "$dll")" || exit 1
      ASPNETCORE_ENVIRONMENT=Production nohup dotnet "$(basename "$dll")" --urls "http://127.0.0.1:$port" \
        </dev/null >"$OLDPWD/$RUN/$name.log" 2>&1 &
      echo $! >"$OLDPWD/$RUN/$name.pid" )
    say "$name starting on http://127.0.0.1:$port (log $RUN/$name.log)"
  done
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ port <<<"$entry"
    for _ in $(seq 1 90); do
      curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && { say "$name ready"; continue 2; }
      alive "$name" || { tail -n 30 "$RUN/$name.log"; die "$name exited during start-up"; }
      sleep 1
    done
    tail -n 30 "$RUN/$name.log"; die "$name not ready within 90 s"
  done
  say "clinic workstation: http://127.0.0.1:$BASE/ (sign in at http://127.0.0.1:$BASE/signin.html)"
}

stop() {
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ _ <<<"$entry"
    if alive "$name"; then kill "$(cat "$RUN/$name.pid")"; say "$name stopped"; fi
    rm -f "$RUN/$name.pid"
  done
}

status() {
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ port <<<"$entry"
    if alive "$name"; then say "$name up (pid $(cat "$RUN/$name.pid")) http://127.0.0.1:$port/docs"; else say "$name down"; fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
