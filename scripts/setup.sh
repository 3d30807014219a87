#!/usr/bin/env bash
# Everything the demo and the tests need on a fresh Debian 12 machine (run as root): Debian packages,
# npm dependencies (with the native ZooKeeper client), and the TypeScript build. Safe to repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

# package:file-that-proves-it-is-installed
PACKAGES=(
  zookeeper:/usr/share/zookeeper/bin/zkServer.sh
  openjdk-17-jdk-headless:/usr/lib/jvm/java-17-openjdk-amd64/bin/java
  bind9:/usr/sbin/named
  bind9-dnsutils:/usr/bin/dig
  bind9-utils:/usr/bin/named-checkzone
  iproute2:/usr/sbin/ip
  procps:/usr/bin/pgrep
  unzip:/usr/bin/unzip
  buildah:/usr/bin/buildah
  docker-registry:/usr/bin/docker-registry
  busybox-static:/bin/busybox
  apache2-utils:/usr/bin/htpasswd
  tzdata:/usr/share/zoneinfo/Asia/Shanghai
  skopeo:/usr/bin/skopeo
  systemd:/usr/bin/systemd-analyze
)
missing=()
for p in "${PACKAGES[@]}"; do
  [ -e "${p#*:}" ] || missing+=("${p%%:*}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to apt-get install ${missing[*]}" >&2; exit 1; fi
  echo "setup: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -f node_modules/zookeeper/build/Release/zookeeper.node ]; then
  echo "setup: npm ci (builds the native ZooKeeper client, ~30 s)" >&2
  npm ci --no-audit --no-fund
fi
npm run -s build
