#!/usr/bin/env bash
# Installs code-server 4.100.3 (a full VS Code 1.100.3 server, the newest that runs on node 20) into
# $E2E_BASE/cs (default /tmp/vscode-e2e/cs), outside the project's package.json, using only the npm
# registry and Debian's archive. Does nothing when it is already installed. Exits non-zero on failure.
# Adapted from the recipe in ../shared/e2e-recipe.md (its "Gotchas" explain each step).
set -euo pipefail
DEST="${CS_DIR:-${E2E_BASE:-/tmp/vscode-e2e}/cs}"
CS_VERSION="${CS_VERSION:-4.100.3}"
if [ -x "$DEST/node_modules/.bin/code-server" ]; then
  echo "code-server already installed: $DEST"
  exit 0
fi

# kerberos needs gssapi headers; VS Code's search needs ripgrep (its npm package downloads from GitHub);
# the test drives Debian's chromium.
if ! dpkg -s libkrb5-dev ripgrep chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev ripgrep chromium >/dev/null
fi

mkdir -p "$DEST" && cd "$DEST"
[ -f package.json ] || echo '{"name":"vscode-e2e-host","private":true}' > package.json

# 1. code-server without its scripts (its postinstall would hit the ripgrep download).
npm install --no-audit --no-fund --ignore-scripts "code-server@$CS_VERSION"
npm rebuild argon2   # prebuilt download fails; node-pre-gyp builds it from source

# 2. VS Code's own dependencies, ripgrep from Debian, native modules for this node.
VS="$DEST/node_modules/code-server/lib/vscode"
( cd "$VS"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild --foreground-scripts >/dev/null
)

# 3. code-server's own postinstall (refuses to run as root without unsafe-perm).
npm_config_unsafe_perm=true npm rebuild code-server
XDG_CONFIG_HOME="$DEST/.xdg" XDG_DATA_HOME="$DEST/.xdg" "$DEST/node_modules/.bin/code-server" --version
echo "code-server installed: $DEST/node_modules/.bin/code-server"
