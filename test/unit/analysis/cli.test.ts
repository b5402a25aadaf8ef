import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayWidth, fitColumn } from '../../../workers/analysis/table.js';

const BIN = fileURLToPath(new URL('../../../bin/fairreview.js', import.meta.url));

function runCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('fairreview CLI', function () {
  this.timeout(60_000);

  it('analyze --jsonl answers one line per input line, in order, with the stable shape', async () => {
    const input = [
      { id: 'a', text: '对年度纳税额排名全县前十位的企业给予奖励。' },
      { id: 'b', text: '各类经营主体依法平等参与政府采购活动。' },
      { id: 3, text: '投标人须在本市设立分公司。' },
    ];
    const { code, stdout } = await runCli(['analyze', '--jsonl'], input.map((x) => JSON.stringify(x)).join('\n') + '\n');
    expect(code).to.equal(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).to.deep.equal(['a', 'b', 3]);
    for (const l of lines) expect(Object.keys(l).sort()).to.deep.equal(['findings', 'flagged', 'id', 'items']);
    expect(lines[0]).to.include({ flagged: true });
    expect(lines[0]!.items).to.deep.equal(['cost-2']);
    expect(lines[1]).to.deep.include({ flagged: false, items: [], findings: [] });
    expect(lines[2]!.items).to.include('flow-2');
    const finding = (lines[0]!.findings as Record<string, unknown>[])[0]!;
    expect(finding).to.include.keys('path', 'text', 'start', 'end', 'itemId', 'score', 'evidence', 'basis', 'explanation', 'suggestion');
  });

  it('analyze --jsonl reports a malformed line without stopping', async () => {
    const { code, stdout } = await runCli(['analyze', '--jsonl'], 'not json\n{"id":"x"}\n{"id":"ok","text":"本措施自发布之日起施行。"}\n');
    expect(code).to.equal(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).to.have.length(3);
    expect(lines[0]).to.include({ id: null, flagged: false }).and.have.property('error');
    expect(lines[1]).to.include({ id: 'x', flagged: false }).and.have.property('error');
    expect(lines[2]).to.deep.equal({ id: 'ok', flagged: false, items: [], findings: [] });
  });

  it('analyze FILE prints a readable table of findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairreview-cli-'));
    try {
      const file = join(dir, 'policy.txt');
      writeFileSync(file, '第一条 为规范市场秩序，制定本办法。\n第二条 外地车辆进入城区的，停车收费标准按本地车辆的两倍执行。\n');
      const { code, stdout } = await runCli(['analyze', file]);
      expect(code).to.equal(0);
      expect(stdout).to.contain('policy.txt').and.contain('发现 1 处疑似问题');
      expect(stdout).to.match(/第二条\s+flow-4/);
      expect(stdout).to.contain('建议：');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits with a usage message on a bad command and an error message on an unreadable file', async () => {
    const usage = await runCli(['frobnicate']);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.contain('用法');
    const missing = await runCli(['analyze', '/nonexistent/policy.docx']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('分析失败');
  });

  it('pads and cuts table columns by display width (CJK counts double)', () => {
    expect(displayWidth('本市ab')).to.equal(6);
    expect(fitColumn('本市注册企业', 8)).to.equal('本市注… ');
    expect(fitColumn('本市注册', 8)).to.equal('本市注册');
    expect(displayWidth(fitColumn('本市注册企业', 8))).to.equal(8);
    expect(fitColumn('ab', 4)).to.equal('ab  ');
  });
});
