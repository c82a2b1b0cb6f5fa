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
dotnet run --project deploy/DemoNetwork -c Release --no-build -- "$@"
