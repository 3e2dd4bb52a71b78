#!/bin/sh
# Install Debian packages that are missing, when running as root with apt-get.
# Otherwise print what the user should install (never fails the build for that).
set -eu
missing=""
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "sipdocs: please install these system packages:$missing" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "sipdocs: apt-get install$missing"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends $missing >/dev/null
}
