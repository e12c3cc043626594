#!/usr/bin/env bash
# Starts Kafka in the apache/kafka image on the closed bus (docker-compose.yml):
# - server.properties from the KAFKA_* variables, named as the image names them
#   (KAFKA_FOO_BAR -> foo.bar, __ -> _, ___ -> -);
# - on the first start (no meta.properties in the data directory) the storage is formatted with the first SCRAM
#   users, the broker itself and the admin (`kafka-storage format --add-scram`, KIP-900), with the passwords of
#   BUS_BROKER_PASSWORD and BUS_ADMIN_PASSWORD; `werkkloket bus provision` adds the other principals as the admin;
# - a client configuration for the health check (the admin over SASL_SSL), then the server.
# The image's own entrypoint is not used: it formats without SCRAM users and requires keystore passwords, which a
# PEM keystore does not have.
set -euo pipefail

KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
CONFIG_DIR=${WERKKLOKET_KAFKA_CONFIG_DIR:-$KAFKA_HOME/config}
: "${CLUSTER_ID:?}" "${KAFKA_LOG_DIRS:?}" "${KAFKA_SSL_TRUSTSTORE_LOCATION:?}"
: "${BUS_BROKER_PASSWORD:?run make compose-secrets}" "${BUS_ADMIN_PASSWORD:?run make compose-secrets}"

# KAFKA_* variables that configure the JVM, the scripts or logging, not the server (as in the image).
NOT_PROPERTIES=" KAFKA_HOME KAFKA_VERSION KAFKA_HEAP_OPTS KAFKA_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS
 KAFKA_LOG4J_OPTS KAFKA_JMX_OPTS KAFKA_JMX_HOSTNAME KAFKA_LOG4J_ROOT_LOGLEVEL KAFKA_LOG4J_LOGGERS
 KAFKA_TOOLS_LOG4J_LOGLEVEL "
NOT_PROPERTIES=${NOT_PROPERTIES//$'\n'/ }

property_name() {
  local name=${1#KAFKA_}
  name=${name,,}
  name=${name//_/.}
  name=${name//.../-}
  printf '%s' "${name//../_}"
}

umask 077  # the files below hold passwords
mkdir -p "$CONFIG_DIR"
properties="$CONFIG_DIR/server.properties"
{
  echo "# Written at start from the KAFKA_* environment (deploy/compose/kafka-start.sh)"
  for name in $(compgen -e | sort); do
    [[ $name == KAFKA_* && $NOT_PROPERTIES != *" $name "* ]] || continue
    value=${!name}
    printf '%s=%s\n' "$(property_name "$name")" "${value//\\/\\\\}"
  done
} >"$properties"

if [[ ! -e "$KAFKA_LOG_DIRS/meta.properties" ]]; then
  echo "===> Formatting $KAFKA_LOG_DIRS (cluster $CLUSTER_ID) with the SCRAM users broker and admin"
  "$KAFKA_HOME/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$properties" \
    --add-scram "SCRAM-SHA-512=[name=broker,password=$BUS_BROKER_PASSWORD]" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$BUS_ADMIN_PASSWORD]"
fi

cat >"$CONFIG_DIR/healthcheck.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$BUS_ADMIN_PASSWORD";
ssl.truststore.type=PEM
ssl.truststore.location=$KAFKA_SSL_TRUSTSTORE_LOCATION
EOF

unset BUS_BROKER_PASSWORD BUS_ADMIN_PASSWORD
echo "===> Starting Kafka"
exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$properties"
