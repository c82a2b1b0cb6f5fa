#!/usr/bin/env bash
# The run command: PostgreSQL and RabbitMQ, then the services, then a short demo.
# Stop the services with: bash deploy/services.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/infra.sh
bash deploy/services.sh start
bash deploy/demo.sh
