/**
 * The web UI's build (Vite, web/ → web/dist/), run by `npm start` and `npm test` only when its inputs changed:
 * the stamp in web/dist holds a hash of every source file, the shared vocabulary it imports, the lock file and
 * the build config, so an unchanged tree costs one hash and a changed one is rebuilt before anything serves it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './childProcess';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const webDir = path.join(root, 'web');
export const webDistDir = path.join(webDir, 'dist');
const stampFile = path.join(webDistDir, '.sources-sha256');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === webDistDir ? [] : filesUnder(full);
    return [full];
  });
}

/** A hash of everything the build reads from this repository. */
export function webSourcesHash(): string {
  const inputs = [...filesUnder(webDir), path.join(root, 'server/domain/vocabulary.ts'), path.join(root, 'checklists/vocabulary.ts'), path.join(root, 'package-lock.json')].sort();
  const hash = crypto.createHash('sha256');
  for (const file of inputs) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Builds web/dist unless its stamp matches the sources; returns whether it built. */
export async function ensureWebBuild({ log = console.log }: { log?: (line: string) => void } = {}): Promise<boolean> {
  const hash = webSourcesHash();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash) return false;
  const started = Date.now();
  log('[web] building the web UI (vite build)');
  const code = await run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(webDir, 'vite.config.js')], { cwd: root });
  if (code !== 0) throw new Error(`the web UI build failed (vite exit code ${code})`);
  fs.writeFileSync(stampFile, hash);
  log(`[web] built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
