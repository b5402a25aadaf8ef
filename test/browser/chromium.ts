/**
 * Debian's Chromium for the browser tests, installed with apt-get when it is missing (never a browser that
 * playwright downloads: only Debian's packages are reachable, and intranet CI machines are the same).
 */
import { run, which } from '../../scripts/services/childProcess';

const CANDIDATES = ['chromium', 'chromium-browser'];

export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  const found = () => CANDIDATES.map((name) => which(name)).find(Boolean);
  const existing = found();
  if (existing) return existing;
  log('[browser] Chromium is missing: installing Debian\'s chromium package (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (await run('apt-get', ['update', '-qq'], { env }) !== 0
    || await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk'], { env }) !== 0) {
    throw new Error('installing Chromium with apt-get failed; the browser tests need Debian\'s chromium package (apt-get install chromium)');
  }
  const installed = found();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium executable is on PATH');
  return installed;
}
