#!/usr/bin/env bash
# Prints a bearer token for a clinic and role, signed with this deployment's key (deploy/.run/secrets.env):
#   bash deploy/token.sh clinic-lisboa clinician [user]
#   bash deploy/token.sh - analyst            (analysts act for no clinic)
# Roles: clinician, counselor, analyst, integrator, admin, network-admin. Valid for 8 hours.
#   curl -H "Authorization: Bearer $(bash deploy/token.sh clinic-lisboa clinician)" http://127.0.0.1:5102/patients/<id>/timeline
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then sed -n 2,6p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; fi
source deploy/environment.sh
dll=deploy/DemoNetwork/bin/Release/net10.0/Recovery.DemoNetwork.dll
[ -f "$dll" ] || dotnet build deploy/DemoNetwork -c Release -v quiet -nologo >/dev/null
dotnet "$dll" token "$@"
