#!/usr/bin/env bash
# One-shot after Elasticsearch is healthy: set kibana_system's password and create (or update)
# the `waspada` user with a role that may write only Waspada's indices. Safe to run again.
set -euo pipefail
ES=http://elasticsearch:9200
es() { curl -fsS -u "elastic:${ELASTIC_PASSWORD}" -H 'Content-Type: application/json' "$@"; }

es -X POST "$ES/_security/user/kibana_system/_password" -d "{\"password\":\"${KIBANA_PASSWORD}\"}" >/dev/null
es -X PUT "$ES/_security/role/waspada_writer" -d "{
  \"cluster\": [\"monitor\", \"manage_index_templates\", \"manage_ilm\"],
  \"indices\": [{\"names\": [\"${WASPADA_ES_INDEX}*\"], \"privileges\": [\"all\"]}]}" >/dev/null
es -X PUT "$ES/_security/user/waspada" -d "{
  \"password\": \"${WASPADA_ES_PASSWORD}\", \"roles\": [\"waspada_writer\"],
  \"full_name\": \"Waspada pipeline\"}" >/dev/null
echo "es-setup: kibana_system password set, user waspada (role waspada_writer) ready"
