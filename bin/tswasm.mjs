#!/usr/bin/env node
// The tswasm command (built from src/cli; run `npm run build` first when working from a checkout).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
