#!/usr/bin/env node
// Starts the CLI from the build. This launcher is committed, so installing the workspace
// can link the `nimc` command before `pnpm build` has written dist/.
import '../dist/bin.js';
