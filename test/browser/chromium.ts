/**
 * Debian's Chromium for the browser tests, installed with apt-get when it is missing (never a browser that
 * playwright downloads: only Debian's packages are reachable, and intranet CI machines are the same).
 */
import { aptGet, which } from '../../scripts/services/childProcess';

const CANDIDATES = ['chromium', 'chromium-browser'];

export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  const found = () => CANDIDATES.map((name) => which(name)).find(Boolean);
  const existing = found();
  if (existing) return existing;
  log('[browser] Chromium is missing: installing Debian\'s chromium package (apt-get)');
  if (await aptGet(['update', '-qq']) !== 0
    || await aptGet(['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk']) !== 0) {
    throw new Error('installing Chromium with apt-get failed; the browser tests need Debian\'s chromium package (apt-get install chromium)');
  }
  const installed = found();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium executable is on PATH');
  return installed;
}
