/**
 * fairreview CLI (bin/fairreview.js registers tsx and imports this file).
 *
 *   fairreview analyze FILE [--json]     findings of a DOCX/PDF/TXT as a table (or the full JSON result)
 *   fairreview analyze --jsonl [FILE]    one {"id","text"} per line in (stdin or FILE), one line out per input:
 *                                        {"id","flagged","items":[best first],"findings":[...]}
 *
 * The JSONL interface is what evaluation harnesses call; keep its shape stable.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { analyzeDocument, loadAnalyzer, type Finding } from './analyze.js';

const USAGE = `用法：
  fairreview analyze <文件.docx|文件.pdf|文件.txt> [--json]
  fairreview analyze --jsonl [文件.jsonl]   （缺省从标准输入读取，每行 {"id","text"}）`;

/** Terminal columns taken by a string: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** Cuts to at most `width` columns (ending in "…" when cut) and pads with spaces to exactly `width`. */
export function fitColumn(s: string, width: number): string {
  const flat = s.replace(/\s+/g, ' ');
  if (displayWidth(flat) <= width) return flat + ' '.repeat(width - displayWidth(flat));
  let out = '';
  let w = 0;
  for (const ch of flat) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…' + ' '.repeat(width - w - 1);
}

export function findingsTable(findings: Finding[]): string {
  const columns: [string, number][] = [['#', 4], ['位置', 24], ['条目', 11], ['分数', 6], ['命中要素', 26], ['原文', 48]];
  const row = (cells: string[]) => cells.map((c, i) => fitColumn(c, columns[i]![1])).join(' ').trimEnd();
  const lines = [row(columns.map(([h]) => h)), row(columns.map(([, w]) => '-'.repeat(w)))];
  findings.forEach((f, i) => {
    const where = [f.path || '正文', f.page !== undefined ? `第${f.page}页` : ''].filter(Boolean).join(' ');
    lines.push(row([String(i + 1), where, f.subItemId ?? f.itemId, f.score.toFixed(2), f.evidence.map((e) => e.phrase).join('、'), f.text]));
  });
  return lines.join('\n');
}

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

async function analyzeFile(path: string, asJson: boolean): Promise<void> {
  const buf = readFileSync(path);
  const result = await analyzeDocument(buf, { filename: basename(path) });
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

async function analyzeJsonl(path: string | undefined): Promise<void> {
  const analyzer = loadAnalyzer();
  const input = createInterface({ input: path ? createReadStream(path) : process.stdin, crlfDelay: Infinity });
  for await (const line of input) {
    if (line.trim().length === 0) continue;
    let id: unknown = null;
    try {
      const parsed = JSON.parse(line) as { id?: unknown; text?: unknown };
      id = parsed.id ?? null;
      if (typeof parsed.text !== 'string') throw new Error('缺少字符串字段 text');
      const { flagged, items, findings } = analyzer.analyzeClause(parsed.text);
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
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const files = rest.filter((a) => !a.startsWith('--'));
  if (flags.has('--jsonl')) {
    await analyzeJsonl(files[0]);
    return 0;
  }
  if (files.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  try {
    await analyzeFile(files[0]!, flags.has('--json'));
    return 0;
  } catch (error) {
    console.error(`分析失败：${(error as Error).message}`);
    return 1;
  } finally {
    const { shutdownPdfWorker } = await import('./extract/index.js');
    await shutdownPdfWorker();
  }
}

process.exitCode = await main(process.argv.slice(2));
