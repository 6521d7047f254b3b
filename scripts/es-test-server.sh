#!/usr/bin/env bash
# Install the Elasticsearch that the test suite starts (tests/es_server.py). Idempotent: safe to
# run on every `make setup`. Prints the install directory on its last line.
#
# What it does, and why:
#   1. fetches Elastic's integration-test distribution from Maven Central (the only place these
#      machines can download it from) unless it is already in the local Maven repository;
#   2. unzips it into a cache outside the repository (never committed, shared between checkouts);
#   3. creates a system user for it, because Elasticsearch refuses to run as root.
#
# Environment:
#   WASPADA_ES_VERSION   distribution version (default 9.2.0; must match the client's major)
#   WASPADA_ES_CACHE     cache directory (default /var/cache/waspada as root, else ~/.cache/waspada;
#                        as root the default stays out of /root, which the server user cannot enter)
#   WASPADA_ES_USER      user to run it as when we are root (default waspada-es)
set -euo pipefail

VERSION="${WASPADA_ES_VERSION:-9.2.0}"
if [[ "$(id -u)" == 0 ]]; then default_cache=/var/cache/waspada; else default_cache="$HOME/.cache/waspada"; fi
CACHE="${WASPADA_ES_CACHE:-$default_cache}"
ES_USER="${WASPADA_ES_USER:-waspada-es}"
GROUP_PATH="org/elasticsearch/distribution/integ-test-zip/elasticsearch"
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
ZIP="$M2/$GROUP_PATH/$VERSION/elasticsearch-$VERSION.zip"
HOME_DIR="$CACHE/elasticsearch-$VERSION"

if [[ ! -f "$ZIP" ]]; then
  command -v mvn >/dev/null || { echo "mvn not found: install Maven (apt-get install maven) or put $ZIP in place by hand" >&2; exit 1; }
  # The default maven-dependency-plugin (2.8) cannot resolve a zip classifier-less artifact like
  # this one; 3.6.1 can.
  mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$VERSION:zip"
fi

if [[ ! -x "$HOME_DIR/bin/elasticsearch" ]]; then
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.unzip.XXXXXX")"
  unzip -q "$ZIP" -d "$tmp"
  # Move into place in one step so a half-unzipped tree is never mistaken for an install.
  rm -rf "$HOME_DIR"
  mv "$tmp/elasticsearch-$VERSION" "$HOME_DIR"
  rmdir "$tmp"
fi
# The server runs as another user: it must be able to read the install and traverse to it.
chmod -R a+rX "$HOME_DIR"
chmod a+x "$CACHE"
d="$CACHE"; while [[ "$d" != "/" ]]; do d="$(dirname "$d")"; chmod a+x "$d" 2>/dev/null || true; done

if [[ "$(id -u)" == 0 ]] && ! id "$ES_USER" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
fi

java_ok=""
for jdk in /usr/lib/jvm/temurin-* /usr/lib/jvm/java-2[1-9]-* ${ES_JAVA_HOME:-}; do
  [[ -x "$jdk/bin/java" ]] && java_ok="$jdk"
done
[[ -n "$java_ok" ]] || echo "warning: no JDK 21+ found under /usr/lib/jvm; set ES_JAVA_HOME" >&2
echo "$HOME_DIR"
