#!/usr/bin/env bash
# Installs the Socket.IO peer's pinned dependencies (package-lock.json) into bench/socketio/node_modules,
# which git ignores. Needs Node.js 18+ and npm, and the npm registry (or a warm npm cache).
#   bench/socketio/install.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js 18+ first" >&2; exit 1; }
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
echo "Socket.IO peer installed: $(node -p 'require("socket.io/package.json").version') in $here/node_modules"
