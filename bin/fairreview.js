#!/usr/bin/env node
// Thin shim: the CLI is TypeScript, run through tsx without a build step.
//   fairreview analyze …           the analyser (workers/analysis/cli.ts)
//   fairreview screen DIR …        offline screening of a folder into a clean-up list (bin/screening/screen.ts)
//   fairreview batch import DIR    a screening batch from a folder on the server (bin/screening/batchImport.ts)
//   fairreview export-decisions    reviewers' decisions as training clauses (server/cli/exportDecisions.ts)
//   fairreview backup DIR          the store's data into a backup folder; restore DIR [--force] (bin/backup.ts)
import { register } from 'tsx/esm/api';

register();
const [command, ...args] = process.argv.slice(2);
if (command === 'screen') {
  const { screenCommand } = await import(new URL('./screening/screen.ts', import.meta.url).href);
  process.exit(await screenCommand(args));
} else if (command === 'batch') {
  const { batchCommand } = await import(new URL('./screening/batchImport.ts', import.meta.url).href);
  process.exit(await batchCommand(args));
} else if (command === 'backup' || command === 'restore') {
  const { backupCommand } = await import(new URL('./backup.ts', import.meta.url).href);
  process.exit(await backupCommand(command, args));
} else if (command === 'export-decisions') {
  await import(new URL('../server/cli/exportDecisions.ts', import.meta.url).href);
} else {
  await import(new URL('../workers/analysis/cli.ts', import.meta.url).href);
}
