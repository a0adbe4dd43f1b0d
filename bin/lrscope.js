#!/usr/bin/env node
// The published entry point: the bundled CLI (run `npm run build` first in a checkout).
require('../dist/cli.js');
