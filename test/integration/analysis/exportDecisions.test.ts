import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mongoose';
import { bindModels, type Models } from '../../../server/db/models/index';
import { loadRuleEngine } from '../../../workers/analysis/analyze.js';
import { featurize, trainModel } from '../../../workers/analysis/model/train.js';
import { loadSets, readDecisions } from '../../../scripts/trainingData.js';
import { connectStore } from '../../../server/db/connection';
import { isolatedStoreUri } from '../../support/services';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../bin/fairreview.js', import.meta.url));

describe('export-decisions → train (real store)', function () {
  this.timeout(120_000);
  let uri: string;
  let connection: Connection;
  let models: Models;
  let dir: string;

  before(async () => {
    uri = isolatedStoreUri('decisions');
    connection = await connectStore(uri);
    models = bindModels(connection);
    dir = mkdtempSync(join(tmpdir(), 'decisions-'));
    const finding = (n: number, text: string, itemId: string, status: string, reason = '') => ({
      policyId: 'p1',
      versionN: 1,
      start: n * 100,
      end: n * 100 + text.length,
      text,
      itemId,
      decision: { status, reason, by: 'u1', byUsername: 'lead', at: '2026-12-01T00:00:00Z' },
    });
    await models.Finding.create([
      finding(1, '乙方经营期限内，甲方不在城区内引进其他同类共享单车企业。', 'entry-2', 'confirmed', '合同承诺排他经营'),
      finding(2, '各类经营主体依法平等参与本项目竞争性磋商。', 'flow-3', 'dismissed', '平等参与'),
      // the same clause dismissed for one item and confirmed for another is a violation of the confirmed item
      finding(3, '县内餐厨垃圾统一由城投环境公司收运处置。', 'flow-1', 'dismissed'),
      finding(4, '县内餐厨垃圾统一由城投环境公司收运处置。', 'entry-3', 'confirmed'),
      finding(5, '本办法自印发之日起施行。', 'entry-1', 'pending'),
    ]);
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports decided findings as labelled clauses and training takes them', async () => {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'export-decisions'], { env: { ...process.env, MONGODB_URI: uri } });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string; item: string | null });
    expect(stderr).to.include('已导出 3 条');
    expect(lines.map((l) => [l.text.slice(0, 6), l.label, l.item])).to.have.deep.members([
      ['乙方经营期限', 'violation', 'entry-2'],
      ['各类经营主体', 'compliant', null],
      ['县内餐厨垃圾', 'violation', 'entry-3'],
    ]);

    const file = join(dir, 'decisions.jsonl');
    writeFileSync(file, stdout);
    const decisions = readDecisions(file);
    expect(decisions.map((d) => d.source)).to.deep.equal(['decisions', 'decisions', 'decisions']);
    const engine = loadRuleEngine();
    const own = loadSets().find((s) => s.source === 'own')!.clauses.slice(0, 200);
    const { artefact } = trainModel(engine, featurize(engine, [...own, ...decisions]), { review: 0.5, screen: 0.7 });
    expect(artefact.training.sources.decisions).to.deep.equal({ clauses: 3, violations: 2 });
  });

  it('refuses to run without a store address', async () => {
    const env = { ...process.env };
    delete env.MONGODB_URI;
    const failed = await run(process.execPath, [CLI, 'export-decisions'], { env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).to.equal(2);
    expect(failed?.stderr).to.include('MONGODB_URI');
  });
});
