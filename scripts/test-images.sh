#!/usr/bin/env bash
# Builds the local test images with `docker import` from Debian's busybox-static, only when missing.
# Never pulls: no registry is reachable where the tests run. Uses $DOCKER_HOST (see docker-engine.sh).
set -euo pipefail

IMAGE="${DOCKYARD_TEST_IMAGE:-dockyard-test/busybox:1}"
BUSYBOX=/bin/busybox
# The applets tests and the proxy relay use; each becomes a symlink to /bin/busybox.
APPLETS="sh ash httpd nc wget cat env sleep ls id echo printf mkdir rm cp mv ps kill hostname head tail grep sed tr wc true false test date uname pwd touch chmod stat"

if docker image inspect "$IMAGE" >/dev/null 2>&1; then echo "test-images: $IMAGE present"; exit 0; fi
if ! [ -x "$BUSYBOX" ] || ! "$BUSYBOX" --list | grep -x httpd >/dev/null; then
  echo "test-images: $BUSYBOX (Debian's busybox-static) is missing; run scripts/docker-engine.sh or apt-get install busybox-static" >&2
  exit 1
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/www" "$root/proc" "$root/sys" "$root/dev" "$root/root"
cp "$BUSYBOX" "$root/bin/busybox"
for a in $APPLETS; do ln -s busybox "$root/bin/$a"; done
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\napp:x:1000:1000:app:/tmp:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\napp:x:1000:\n' >"$root/etc/group"
echo 'dockyard test page' >"$root/www/index.html"

tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/bin' \
  -c 'WORKDIR /' \
  -c 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]' \
  - "$IMAGE" >/dev/null
echo "test-images: built $IMAGE"
