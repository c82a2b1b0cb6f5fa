#!/usr/bin/env bash
# A short demo through the public HTTP APIs: registers a few patients at two clinics, takes each
# through an assessment, and prints one patient's network timeline.
set -euo pipefail
ASSESSMENT=${ASSESSMENT_URL:-http://127.0.0.1:5101}
TIMELINE=${TIMELINE_URL:-http://127.0.0.1:5102}

post() { # clinic path json -> body (fails loudly on an error status)
  curl -sS --fail-with-body -X POST "$ASSESSMENT$2" -H "X-Clinic-Id: $1" -H 'Content-Type: application/json' -d "$3"
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

assess() { # clinic record-number given family dob sex restlessness
  local clinic=$1 patient assessment
  patient=$(post "$clinic" /patients "{\"clinicRecordNumber\":\"$2\",\"givenName\":\"$3\",\"familyName\":\"$4\",\"dateOfBirth\":\"$5\",\"sex\":\"$6\",\"contact\":{\"phone\":\"+351 210 000 000\"}}" | field "['patientId']")
  assessment=$(post "$clinic" "/patients/$patient/assessments" '{}' | field "['assessmentId']")
  post "$clinic" "/assessments/$assessment/criteria" '{"criteriaMet":["craving","tolerance","withdrawal","activities-given-up","much-time-spent-obtaining-using-recovering","unsuccessful-efforts-to-cut-down"],"onlyUnderMedicalSupervision":false}' >/dev/null
  for test in hiv hepatitis-b hepatitis-c; do
    post "$clinic" "/assessments/$assessment/lab-results" "{\"test\":\"$test\",\"result\":\"negative\",\"testedOn\":\"$(date -u +%F)\"}" >/dev/null
  done
  post "$clinic" "/assessments/$assessment/cardiovascular-status" '{"heartRate":98,"systolicBloodPressure":134,"diastolicBloodPressure":86,"qtcMilliseconds":438,"conclusion":"normal"}' >/dev/null
  post "$clinic" "/assessments/$assessment/withdrawal-scores" "{\"items\":{\"resting-pulse-rate\":2,\"sweating\":1,\"restlessness\":$7,\"pupil-size\":1,\"bone-or-joint-aches\":2,\"runny-nose-or-tearing\":1,\"gi-upset\":2,\"tremor\":1,\"yawning\":1,\"anxiety-or-irritability\":2,\"gooseflesh-skin\":3}}" >/dev/null
  post "$clinic" "/assessments/$assessment/completion" '{}' >/dev/null
  echo "$patient"
}

run=$(date +%s)
echo "Registering and assessing patients..."
first=$(assess clinic-north "N-$run-1" Maria Costa 1986-02-11 female 3)
assess clinic-north "N-$run-2" João Pereira 1979-09-30 male 1 >/dev/null
assess clinic-south "S-$run-1" Rita Alves 1993-06-05 female 5 >/dev/null
echo "Three patients assessed at clinic-north and clinic-south."

echo "Waiting for patient $first's timeline..."
for _ in $(seq 1 100); do
  count=$(curl -fsS "$TIMELINE/patients/$first/timeline" 2>/dev/null | field "['entryCount']" 2>/dev/null || echo 0)
  [ "$count" -ge 9 ] && break
  sleep 0.1
done
curl -fsS "$TIMELINE/patients/$first/timeline" | python3 -c '
import json, sys
t = json.load(sys.stdin)
print("\nTimeline of patient %s (%d entries):" % (t["patientId"], t["entryCount"]))
for e in t["entries"]:
    print("  %s  %-13s %-11s %s" % (e["occurredAt"][:19], e["clinicId"], e["service"], e["summary"]))'
echo
echo "Try it yourself:"
echo "  curl -s $TIMELINE/patients/$first/timeline"
echo "  curl -s -H 'X-Clinic-Id: clinic-north' $ASSESSMENT/patients/$first"
echo "  API pages: $ASSESSMENT/docs  $TIMELINE/docs"
