// Plain JavaScript on purpose: this runs before node_modules (and so tsx) may exist.
// Installs node dependencies when package-lock.json changed since the last install, then runs a TS entry.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const lockHash = () => crypto.createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).digest('hex');

export function ensureNodeModules() {
  const stamp = path.join(root, 'node_modules', '.fairreview-lock-sha256');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === lockHash()) return;
  // `npm install` rather than `npm ci`: the lock records only this platform's optional native packages
  // (@node-rs/*), which npm ci rejects as out of sync; npm install installs exactly the locked versions.
  console.log('[setup] installing node dependencies (npm install from package-lock.json)');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[setup] npm install failed; check that the npm registry is reachable');
    process.exit(result.status ?? 1);
  }
  // Hash the lock as npm install left it: it may rewrite the file (e.g. adding other platforms' optional
  // packages), and a stamp of the old content would make the next run install again.
  fs.writeFileSync(stamp, lockHash());
}

export async function runTypeScript(entry) {
  ensureNodeModules();
  // Keep libraries that read .env files from injecting settings: config comes from the environment only.
  process.env.DOTENV_CONFIG_QUIET ??= 'true';
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, entry)).href);
}
