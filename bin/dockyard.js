#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to build/ by `npm install` (the prepare script).
require('../build/lib/cli/main.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
