#!/usr/bin/env node
// Thin shim: the CLI is TypeScript, run through tsx without a build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../workers/analysis/cli.ts', import.meta.url).href);
