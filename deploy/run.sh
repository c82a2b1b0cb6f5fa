#!/usr/bin/env bash
# The run command: PostgreSQL and RabbitMQ, then the services, then the demo network
# (default 3 clinics and 200 patients driven through the HTTP APIs; options pass through:
#   bash deploy/run.sh --clinics 5 --patients 2000 --seed 7).
# Stop the services with: bash deploy/services.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/infra.sh
bash deploy/services.sh start
source deploy/environment.sh
# The demo talks to the ports services.sh used (PORT_BASE, default 5100).
B="${PORT_BASE:-5100}"
export WORKSTATION_URL="${WORKSTATION_URL:-http://127.0.0.1:$B/}" ASSESSMENT_URL="${ASSESSMENT_URL:-http://127.0.0.1:$((B+1))/}" \
  TIMELINE_URL="${TIMELINE_URL:-http://127.0.0.1:$((B+2))/}" DETOX_URL="${DETOX_URL:-http://127.0.0.1:$((B+3))/}" \
  COUNSELING_URL="${COUNSELING_URL:-http://127.0.0.1:$((B+4))/}" RELAPSE_URL="${RELAPSE_URL:-http://127.0.0.1:$((B+5))/}"
dotnet run --project deploy/DemoNetwork -c Release --no-build -- "$@"
