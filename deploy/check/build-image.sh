#!/usr/bin/env bash
# Builds the Dockerfile and smoke-tests the image where there is no Docker engine: Debian's podman, with base
# images made from Debian's own packages (debootstrap), so nothing but Debian packages and Maven Central is
# fetched. Run as root on Debian bookworm:
#
#   apt-get install -y podman debootstrap
#   deploy/check/build-image.sh            # WORK=/var/tmp/switchboard-image by default
#
# Steps: (1) debootstrap bookworm twice into $WORK (one with openjdk-17-jdk-headless + maven for the build
# stage, one with openjdk-17-jre-headless for the runtime stage) and import them as localhost/ images;
# (2) podman build --isolation chroot (no cgroups or user namespaces needed) with those as BUILD_IMAGE and
# RUNTIME_IMAGE; (3) run the image's entrypoint as its user (podman run, or, where the sandbox's cgroups stop
# the OCI runtime, chroot into the mounted image as uid 10001) and check /health, /metrics and the plain chat.
# The host's CA certificates are copied into the build base, so a TLS proxy the host trusts is trusted there too.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${WORK:-/var/tmp/switchboard-image}
PORT=${PORT:-8080}
TAG=localhost/switchboard-examples:test
mkdir -p "$WORK"

base() { # name packages...
  local name=$1; shift
  if podman image exists "localhost/switchboard-base-$name:17"; then return; fi
  [ -d "$WORK/base" ] || debootstrap --variant=minbase bookworm "$WORK/base" http://deb.debian.org/debian
  rm -rf "$WORK/$name" && cp -a "$WORK/base" "$WORK/$name"
  chroot "$WORK/$name" bash -c "apt-get install -y -qq --no-install-recommends $* ca-certificates && apt-get clean"
  if [ "$name" = build ]; then
    cp /etc/ssl/certs/ca-certificates.crt "$WORK/$name/etc/ssl/certs/ca-certificates.crt"
    [ -f /etc/ssl/certs/java/cacerts ] && cp /etc/ssl/certs/java/cacerts "$WORK/$name/etc/ssl/certs/java/cacerts"
  fi
  tar -C "$WORK/$name" -c . | podman import - "localhost/switchboard-base-$name:17"
}
base build openjdk-17-jdk-headless maven
base jre openjdk-17-jre-headless

podman build --isolation chroot --network host \
  --build-arg BUILD_IMAGE=localhost/switchboard-base-build:17 \
  --build-arg RUNTIME_IMAGE=localhost/switchboard-base-jre:17 -t "$TAG" .

# Run it: the image's own entrypoint, user, environment and working directory.
entry=$(podman image inspect "$TAG" --format '{{join .Config.Entrypoint " "}} {{join .Config.Cmd " "}}')
user=$(podman image inspect "$TAG" --format '{{.Config.User}}')
mapfile -t envs < <(podman image inspect "$TAG" --format '{{range .Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
log="$WORK/run.log"
if podman run -d --name switchboard-image-test --network host -e PORT="$PORT" "$TAG" >/dev/null 2>"$WORK/podman-run.err"; then
  stop() { podman rm -f switchboard-image-test >/dev/null; }
else
  echo "podman run failed ($(tail -1 "$WORK/podman-run.err")); running the entrypoint in the mounted image instead"
  podman rm -f switchboard-image-test >/dev/null 2>&1 || true
  root=$(podman image mount "$TAG")
  mount --bind /proc "$root/proc"; mount --bind /dev "$root/dev"
  # shellcheck disable=SC2086 # the entrypoint is split into words, as the exec form would be
  chroot --userspec="$user" "$root" /usr/bin/env -i "${envs[@]}" PORT="$PORT" HOME=/app sh -c "cd /app && exec $entry" >"$log" 2>&1 &
  pid=$!
  stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; umount "$root/proc" "$root/dev"; podman image unmount "$TAG" >/dev/null; }
fi
trap stop EXIT

for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$PORT/health"; echo
curl -fsS "http://127.0.0.1:$PORT/metrics" | grep -E '^switchboard_connections|^jvm_memory_used_bytes' | head -3
# The plain chat, as the seed's page uses it: greeting and join line over a plain WebSocket.
node -e '
  const ws = new WebSocket(process.argv[1]); const got = [];
  ws.onmessage = (m) => { got.push(m.data); if (got.length === 2) { console.log(got.join(" | ")); ws.close(); } };
  ws.onerror = (e) => { console.error("websocket error", e.message); process.exit(1); };
  setTimeout(() => { console.error("no greeting", got); process.exit(1); }, 10000).unref();
' "ws://127.0.0.1:$PORT/chat/Alice?age=20" 2>/dev/null || node --experimental-websocket -e '
  const ws = new WebSocket(process.argv[1]); const got = [];
  ws.onmessage = (m) => { got.push(m.data); if (got.length === 2) { console.log(got.join(" | ")); ws.close(); } };
  setTimeout(() => { console.error("no greeting", got); process.exit(1); }, 10000).unref();
' "ws://127.0.0.1:$PORT/chat/Alice?age=20"
echo "image $TAG: OK (runs as user $user)"
