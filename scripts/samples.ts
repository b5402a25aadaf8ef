/**
 * Writes one sample of every report from the demo data in scripts/sample-data.ts:
 *   npx tsx scripts/samples.ts [outDir]      (default: samples/)
 * `scripts/samples-to-pdf.sh [outDir]` then converts them to PDF where LibreOffice is installed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPORT_FILE_NAMES, REPORT_KINDS, buildReport, type ReportDataByKind, type ReportKind } from '../templates/index.js';
import { sampleReports } from './sample-data.js';

function buildSample<K extends ReportKind>(kind: K, samples: ReportDataByKind): Promise<Buffer> {
  return buildReport(kind, samples[kind]);
}

export async function writeSamples(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const samples = sampleReports();
  const written: string[] = [];
  for (const kind of REPORT_KINDS) {
    const path = join(outDir, `${kind}-${REPORT_FILE_NAMES[kind]}.docx`);
    await writeFile(path, await buildSample(kind, samples));
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of await writeSamples(resolve(process.argv[2] ?? 'samples'))) console.log(path);
}
