#!/usr/bin/env bash
# Measures the running platform: starts PostgreSQL, RabbitMQ and the services (as deploy/run.sh does),
# then runs a benchmark from tests/Benchmarks against their HTTP APIs and prints its figures.
#   bash deploy/benchmark.sh freshness [--patients 200] [--concurrency 1] [--warmup 10]
#   bash deploy/benchmark.sh mix [--concurrency 16] [--seconds 60] [--rate R]   (the demo's journeys; docs/operations.md, Throughput)
#   bash deploy/benchmark.sh journeys [--readers 32] [--save FILE] [--before FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/infra.sh >/dev/null
bash deploy/services.sh start
source deploy/environment.sh   # the benchmark signs its tokens with the deployment's key
dotnet run --project tests/Benchmarks -c Release --no-launch-profile -- "${@:-freshness}"
