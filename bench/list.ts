/**
 * Policy list filter benchmark (issue 18): `npm run bench -- list [policies=10000] [runs=5]`.
 *
 * On its own system (bench/support/browserSystem.ts: store, Redis, the API process serving the web UI, Chromium)
 * seeded with `policies` policies drafted in turn by two departments in four states (bench/api.ts's seeding), the
 * regulator filters the list the way a person does: picks a drafting department, then a state, `runs` times with
 * a different state each time. Each filter is timed from the click on the option until the table shows only rows
 * of that state; then the same filters are asked of the API alone. Prints p50 and max against the 1 s target, and
 * the API's p50.
 */
import os from 'node:os';
import { POLICY_STATE_LABELS } from '../server/domain/vocabulary';
import { seedPolicies } from './api';
import { p50, startBrowserSystem } from './support/browserSystem';

const TARGET_MS = 1000;
/** States bench/api.ts seeds that the regulator sees (drafts are their department's), in the order the runs pick them. */
const STATES = ['self_review', 'concluded', 'published'] as const;

export default async function listBench(options: Record<string, number | string> = {}) {
  const size = Number(options.policies ?? 10_000);
  const runs = Number(options.runs ?? 5);
  // two turns of the drafter to one of drafter2: with the four states in turn, each department has every state
  const system = await startBrowserSystem('list', (models) => seedPolicies(models, size, [], ['drafter', 'drafter', 'drafter2']));
  try {
    const drafter = (await system.models.User.findOne({ username: 'drafter' }).lean())!;
    const department = (await system.models.Department.findById(drafter.departmentId).lean())!;
    const page = await system.signedIn('regulator');
    await page.goto(`${system.base}/#/policies`);
    await page.locator('.policy-table .el-table__row').first().waitFor({ timeout: 180_000 });
    await page.locator('.select-department').click();
    await page.getByRole('option', { name: department.name, exact: true }).filter({ visible: true }).first().click();
    await page.waitForURL((u) => u.hash.includes(`department=${department._id}`));

    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const label = POLICY_STATE_LABELS[STATES[i % STATES.length]!];
      await page.locator('.select-state').click();
      const option = page.getByRole('option', { name: label, exact: true }).filter({ visible: true }).first();
      await option.waitFor();
      const began = performance.now();
      await option.click();
      await page.waitForFunction((wanted) => {
        const badges = Array.from(document.querySelectorAll('.policy-table .el-table__row .state-badge'));
        return badges.length > 0 && badges.every((b) => b.textContent?.trim() === wanted);
      }, label, { timeout: 180_000 });
      samples.push(performance.now() - began);
    }
    // the same filters asked of the API alone, to tell the API's share from the page's
    const login = await fetch(`${system.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'regulator', password: 'demo1234' }) });
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const apiSamples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const began = performance.now();
      const res = await fetch(`${system.base}/api/v1/policies?department=${department._id}&state=${STATES[i % STATES.length]}&page=1`, { headers: auth });
      await res.json();
      apiSamples.push(performance.now() - began);
    }
    return {
      policies: await system.models.Policy.countDocuments(),
      filter: 'drafting department, then state',
      runs,
      p50Ms: Math.round(p50(samples)),
      maxMs: Math.round(Math.max(...samples)),
      samplesMs: samples.map(Math.round),
      apiP50Ms: Math.round(p50(apiSamples)),
      apiSamplesMs: apiSamples.map(Math.round),
      targetMs: TARGET_MS,
      withinTarget: p50(samples) < TARGET_MS,
      cpus: os.cpus().length,
      load1: Number(os.loadavg()[0]!.toFixed(2)),
    };
  } finally {
    await system.close();
  }
}
