#!/usr/bin/env bash
# The README's test command (`npm test`): type-check once, lint (ESLint and the layering check),
# build, start the local Docker engine and test images the integration tests use, then run jest and
# print a one-line summary.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type-check and build"
npx tsc --noEmit -p tsconfig.json
echo "== lint (eslint, dependency-cruiser layering)"
npm run -s lint
npx tsc -p tsconfig.build.json && node scripts/build-schema.js

if [ -f scripts/docker-engine.sh ]; then
  echo "== docker engine"
  # docker-engine.sh prints `export DOCKER_HOST=...` on its last line.
  eval "$(bash scripts/docker-engine.sh | tail -n 1)"
  echo "DOCKER_HOST=${DOCKER_HOST:-}"
  [ -f scripts/test-images.sh ] && bash scripts/test-images.sh
fi

# `dockyard graph --png` renders text with a TrueType font; the PNG test needs one on the machine.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing fonts-dejavu-core (for the PNG rendering test)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core
fi

echo "== jest"
exec npx jest --ci "$@"
