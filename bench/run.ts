/**
 * Benchmark dispatcher: `npm run bench -- <name> [options as key=value]` imports bench/<name>.ts, awaits its
 * default export (an async function returning a plain object) and prints that object as ONE JSON line.
 * Any bench/<name>.ts with such a default export registers itself by existing.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Bench = (options?: Record<string, number | string>) => Promise<unknown>;

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

/** "runs=20" → { runs: 20 }; non-numeric values stay strings. */
function parseOptions(args: string[]): Record<string, number | string> {
  const options: Record<string, number | string> = {};
  for (const arg of args) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (!key || value === undefined) continue;
    options[key] = Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return options;
}

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [key=value ...]`);
  process.exit(2);
}
const module = (await import(pathToFileURL(`${benchDir}${name}.ts`).href)) as { default?: Bench };
if (typeof module.default !== 'function') {
  console.error(`bench/${name}.ts has no default export function`);
  process.exit(2);
}
console.log(JSON.stringify(await module.default(parseOptions(rest))));
