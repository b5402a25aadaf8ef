/**
 * fairreview CLI (bin/fairreview.js registers tsx and imports this file).
 *
 *   fairreview analyze FILE [--json]     findings of a DOCX/PDF/TXT as a table (or the full JSON result)
 *   fairreview analyze --jsonl [FILE]    one {"id","text"} per line in (stdin or FILE), one line out per input:
 *                                        {"id","flagged","items":[best first],"findings":[...]}
 *   --point review|screen                the operating point (default review: recall first; screen: precision first)
 *   fairreview export-decisions          reviewers' decisions as training clauses (server/cli/exportDecisions.ts)
 *
 * The JSONL interface is what evaluation harnesses call; keep its shape stable.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { analyzeDocument, loadAnalyzer, OPERATING_POINTS, type Finding, type OperatingPoint } from './analyze.js';
import { shutdownPdfWorker } from './extract/index.js';
import { findingsTable } from './table.js';

const USAGE = `用法：
  fairreview analyze <文件.docx|文件.pdf|文件.txt> [--json] [--point review|screen]
  fairreview analyze --jsonl [文件.jsonl] [--point review|screen]   （缺省从标准输入读取，每行 {"id","text"}）
  fairreview export-decisions > decisions.jsonl   （导出审查人员的确认/排除决定，供 npm run train -- --with 使用）
  --point：review（默认，自我审查，召回优先）或 screen（存量清理，精确优先）`;

function findingDetails(findings: Finding[]): string {
  return findings
    .map((f, i) =>
      [
        `[${i + 1}] ${f.itemId}${f.subItemId ? `（${f.subItemId}）` : ''}  ${f.path || '正文'}  分数 ${f.score.toFixed(2)}`,
        `    原文：${f.text}`,
        `    说明：${f.explanation}`,
        `    依据：${f.basis}`,
        `    建议：${f.suggestion}`,
      ].join('\n'),
    )
    .join('\n\n');
}

async function analyzeFile(path: string, asJson: boolean, point: OperatingPoint): Promise<void> {
  const buf = readFileSync(path);
  const result = await analyzeDocument(buf, { filename: basename(path), point });
  if (asJson) {
    const { document, ...rest } = result;
    console.log(JSON.stringify({ ...rest, document: { format: document.format, pages: document.pages, chars: document.text.length } }, null, 2));
    return;
  }
  const doc = result.document;
  console.log(`文件：${basename(path)}（${doc.format}，${doc.text.length} 字${doc.pages ? `，${doc.pages} 页` : ''}）  检查清单版本：${result.checklistVersion}`);
  if (result.findings.length === 0) {
    console.log('未发现疑似排除、限制竞争的条款。');
    return;
  }
  console.log(`发现 ${result.findings.length} 处疑似问题：\n`);
  console.log(findingsTable(result.findings));
  console.log(`\n${findingDetails(result.findings)}`);
}

async function analyzeJsonl(path: string | undefined, point: OperatingPoint): Promise<void> {
  const analyzer = loadAnalyzer();
  const input = createInterface({ input: path ? createReadStream(path) : process.stdin, crlfDelay: Infinity });
  for await (const line of input) {
    if (line.trim().length === 0) continue;
    let id: unknown = null;
    try {
      const parsed = JSON.parse(line) as { id?: unknown; text?: unknown };
      id = parsed.id ?? null;
      if (typeof parsed.text !== 'string') throw new Error('缺少字符串字段 text');
      const { flagged, items, findings } = analyzer.analyzeClause(parsed.text, { point });
      process.stdout.write(JSON.stringify({ id, flagged, items, findings }) + '\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ id, flagged: false, items: [], findings: [], error: (error as Error).message }) + '\n');
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'analyze') {
    console.error(USAGE);
    return 2;
  }
  const pointAt = rest.indexOf('--point');
  const pointName = pointAt >= 0 ? rest[pointAt + 1] : 'review';
  if (!(OPERATING_POINTS as readonly (string | undefined)[]).includes(pointName)) {
    console.error(`--point 应为 ${OPERATING_POINTS.join(' 或 ')}\n${USAGE}`);
    return 2;
  }
  const point = pointName as OperatingPoint;
  const args = pointAt >= 0 ? [...rest.slice(0, pointAt), ...rest.slice(pointAt + 2)] : rest;
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const files = args.filter((a) => !a.startsWith('--'));
  if (flags.has('--jsonl')) {
    await analyzeJsonl(files[0], point);
    return 0;
  }
  if (files.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  try {
    await analyzeFile(files[0]!, flags.has("--json"), point);
    return 0;
  } catch (error) {
    console.error(`分析失败：${(error as Error).message}`);
    return 1;
  } finally {
    await shutdownPdfWorker();
  }
}

process.exitCode = await main(process.argv.slice(2));
