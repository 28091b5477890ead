#!/usr/bin/env node
import { holdYoungGeneration } from '../dist/src/core/young-generation.js';

// Before the proxy's modules load: their start-up would grow V8's young generation for good
// (src/core/young-generation.ts). The proxy lets it grow again once it serves.
holdYoungGeneration();
const { main } = await import('../dist/src/cli/main.js');
main(process.argv.slice(2));
