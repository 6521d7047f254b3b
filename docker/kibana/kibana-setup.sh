#!/usr/bin/env bash
# One-shot after Kibana is up: import the flagged-content data view, saved search and dashboard
# (overwriting Waspada's own objects only, by their fixed ids). Safe to run again.
set -euo pipefail
curl -fsS -u "elastic:${ELASTIC_PASSWORD}" -H 'kbn-xsrf: true' \
  -X POST 'http://kibana:5601/api/saved_objects/_import?overwrite=true' \
  --form file=@/setup/waspada-flagged.ndjson
echo
echo "kibana-setup: dashboard 'Waspada: flagged content' imported"
