#!/usr/bin/env node
// The tswasm command (src/cli, bundled into dist/bundle by `npm run build`; run that first when working from a checkout).
import { main } from '../dist/bundle/cli.js';

process.exitCode = await main(process.argv.slice(2));
