#!/usr/bin/env bash
# End-to-end test of LR Scope in a real VS Code host (`npm run test:e2e`): builds and packages the
# .vsix, installs it into a fresh code-server profile, opens a temp workspace (a PyTorch training
# script, a TF.js experiment, a slow experiment for the Stop test), drives Chromium through
# e2e-test.js, and stops the server; then the journeys named *-restricted.js in a second server whose
# workspace is untrusted (Restricted Mode). Prints `N passed, N failed` last; exits non-zero on any failure,
# including when it cannot run at all (no chromium, code-server install failure): it never skips.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BASE="${E2E_BASE:-/tmp/vscode-e2e}"
CS="${CS_DIR:-$BASE/cs}/node_modules/.bin/code-server"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

cannot_run() {
  echo "e2e: cannot run: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

mkdir -p "$BASE"
# code-server (and, through apt, chromium, ripgrep, libkrb5-dev) when missing.
bash "$HERE/install-code-server.sh" || cannot_run "installing code-server failed (see above)"
[ -x "$CS" ] || cannot_run "no code-server at $CS"
[ -x "$CHROMIUM" ] || cannot_run "no chromium at $CHROMIUM (apt-get install chromium)"
[ -d "$ROOT/node_modules/playwright-core" ] || cannot_run "playwright-core is not installed (npm ci)"

# Build + package: the test installs exactly what users get.
( cd "$ROOT" && npm run --silent package ) || cannot_run "npm run package failed"
VSIX="$ROOT/$(node -p "const p=require('$ROOT/package.json'); p.name+'-'+p.version").vsix"

R="$(mktemp -d "$BASE/run.XXXXXX")"
mkdir -p "$R"/{ud/User,ext,cfg,data,cache,ws,shots}
# keep code-server, VS Code and chromium out of $HOME
export XDG_CONFIG_HOME="$R/cfg" XDG_DATA_HOME="$R/data" XDG_CACHE_HOME="$R/cache"
cat > "$R/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.colorTheme": "Default Dark Modern",
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "editor.fontSize": 14,
  "window.commandCenter": false,
  "lrScope.rangeTest.steps": 100
}
JSON
# Interpreter paths are machine settings (a remote window reads them from the machine it runs on, not
# from the user's settings): code-server's remote-machine settings file.
mkdir -p "$R/ud/Machine"
echo '{ "lrScope.pythonPath": "/usr/bin/python3" }' > "$R/ud/Machine/settings.json"
cp "$HERE/fixtures/train.py" "$HERE/fixtures/wide.experiment.ts" "$HERE/fixtures/moons.py" "$HERE/fixtures/spirals.py" "$R/ws/"
cp "$ROOT/examples/synthetic.experiment.ts" "$R/ws/blobs.experiment.ts"

CFG=(--config "$R/cfg/config.yaml" --user-data-dir "$R/ud" --extensions-dir "$R/ext")
# fails when engines.vscode does not accept the host's VS Code (1.100.3)
"$CS" "${CFG[@]}" --install-extension "$VSIX" >"$R/install-ext.log" 2>&1 || { cat "$R/install-ext.log"; cannot_run "installing $VSIX failed"; }

# Starts code-server on a free port for user-data dir $1 and workspace $2, logging to $3 (further flags: $4…); sets
# CS_PID and PORT. setsid: its own process group, so server, extension host and engine children stop together.
SERVERS=()
start_server() {
  local ud="$1" ws="$2" log="$3"
  shift 3
  PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  setsid "$CS" --config "$R/cfg/config.yaml" --user-data-dir "$ud" --extensions-dir "$R/ext" --bind-addr "127.0.0.1:$PORT" --auth none \
    --disable-telemetry --disable-update-check --disable-getting-started-override \
    "$@" --ignore-last-opened "$ws" >"$log" 2>&1 &
  CS_PID=$!
  SERVERS+=("$CS_PID")
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    kill -0 "$CS_PID" 2>/dev/null || { cat "$log"; cannot_run "code-server exited"; }
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || cannot_run "code-server did not answer on 127.0.0.1:$PORT"
}
stop() { for pid in "${SERVERS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; SERVERS=(); }
trap stop EXIT

# Runs e2e-test.js against the server on $PORT for workspace $1 (env: the rest); keeps its last line.
run_journeys() {
  local ws="$1"
  shift
  env "$@" CS_URL="http://127.0.0.1:$PORT/?folder=$ws" WORKSPACE="$ws" \
    SHOT_DIR="${SHOT_DIR:-$HERE/screenshots}" FAIL_DIR="$R/shots" NODE_PATH="$ROOT/node_modules" node "$HERE/e2e-test.js" | tee -a "$R/e2e.log"
  return "${PIPESTATUS[0]}"
}

start_server "$R/ud" "$R/ws" "$R/server.log" --disable-workspace-trust
set +e
run_journeys "$R/ws" USER_SETTINGS="$R/ud/User/settings.json"
rc=$?
set -e
stop

# Journeys named *-restricted.js run in a second server with Workspace Trust on, in a workspace it has
# never trusted and does not ask about: Restricted Mode, as a user gets it who chose "Don't Trust".
only="${E2E_ONLY:-}"
restricted="$(ls "$HERE/journeys" | grep -e '-restricted\.js$' | { if [ -n "$only" ]; then grep -F "$(echo "$only" | tr ',' '\n')" || true; else cat; fi; })"
if [ -n "$restricted" ]; then
  mkdir -p "$R/ud-restricted/User" "$R/ud-restricted/Machine" "$R/ws-restricted"
  cp "$R/ud/Machine/settings.json" "$R/ud-restricted/Machine/settings.json"
  node -e '
    const fs = require("fs"); const [from, to] = process.argv.slice(1);
    const s = JSON.parse(fs.readFileSync(from, "utf8"));
    Object.assign(s, { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.banner": "never" });
    fs.writeFileSync(to, JSON.stringify(s, null, 2));' "$R/ud/User/settings.json" "$R/ud-restricted/User/settings.json"
  start_server "$R/ud-restricted" "$R/ws-restricted" "$R/server-restricted.log"
  set +e
  run_journeys "$R/ws-restricted" USER_SETTINGS="$R/ud-restricted/User/settings.json" E2E_RESTRICTED=1
  rc2=$?
  set -e
  stop
  # the total of both servers, last
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => /^\d+ passed, \d+ failed$/.test(l));
    const [p, f] = lines.reduce(([p, f], l) => { const m = l.match(/^(\d+) passed, (\d+) failed$/); return [p + Number(m[1]), f + Number(m[2])]; }, [0, 0]);
    console.log(`# both servers together:\n${p} passed, ${f} failed`);' "$R/e2e.log"
  [ "$rc" -ne 0 ] || rc=$rc2
fi
echo "artifacts: $R (server.log, shots/ on failure, ws/, ws-restricted/)"
exit $rc
