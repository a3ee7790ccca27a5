#!/usr/bin/env node
import { runCli } from './main.js';

// The bin: every command resolves to an exit code (set, not forced, so pending output is flushed).
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
