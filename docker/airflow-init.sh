#!/usr/bin/env bash
# One-shot before the Airflow services start: migrate the metadata database, create the admin
# user if it is missing, and give the shared volumes to the airflow user. Safe to run again.
set -euo pipefail

mkdir -p /data/spool /data/evidence /data/waspada /opt/airflow/logs
chown -R "${AIRFLOW_UID:-50000}:0" /data/spool /data/evidence /data/waspada /opt/airflow/logs

airflow db migrate
# FAB's `users create` leaves an existing user alone and says so.
airflow users create --role Admin --username "${AIRFLOW_ADMIN_USERNAME}" \
  --password "${AIRFLOW_ADMIN_PASSWORD}" --firstname Waspada --lastname Admin \
  --email "${AIRFLOW_ADMIN_USERNAME}@localhost"
echo "airflow-init: database migrated, admin user ${AIRFLOW_ADMIN_USERNAME} present"
