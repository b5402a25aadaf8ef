/// <reference lib="dom" />
/**
 * The policy list in a real Chromium against the real system (issue 18): every filter and sort the page offers
 * (drafting department, state, open findings, deadline, search; 名称, 截止时间, 最近修改) shows exactly the rows
 * the API answers for the parameters in the page's URL, and the URL keeps them across a reload and Back.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { POLICY_STATE_LABELS } from '../../server/domain/vocabulary';
import { PolicyFixtures, daysFromNow, type DemoUsers, type PolicyBody } from '../integration/api/policyHelpers';
import { choose, useBrowserSuite, type Harness } from './harness';

type Row = { id: string; title: string; state: string; draftingDepartmentId: string; deadline: string | null; openFindings: number; updatedAt: string };

/** The Beijing calendar date of an instant. */
const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

describe('policy list (Chromium)', function () {
  this.timeout(300_000);
  let h: Harness;
  let u: DemoUsers;

  useBrowserSuite('policy-list', (started) => ({ h, u } = started));

  const url = (hash: string) => `${h.baseUrl}/#${hash}`;
  /** The list query in the page's URL (after the hash). */
  const urlQuery = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
  const rowIds = (page: Page) => page.locator('.policy-table .el-table__row td:first-child a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!.split('/').at(-1)!));

  /** The admin's answer of the API for the page's URL query, once the table shows exactly its rows (in order). */
  async function showsWhatTheApiAnswers(page: Page): Promise<Row[]> {
    const query = urlQuery(page).toString();
    const answer = await u.admin.api.get<{ items: Row[]; total: number }>(`/api/v1/policies?${query}`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const ids = answer.body.items.map((r) => r.id);
    await page.waitForFunction((wanted) => {
      const shown = Array.from(document.querySelectorAll('.policy-table .el-table__row td:first-child a')).map((a) => a.getAttribute('href')!.split('/').at(-1));
      return JSON.stringify(shown) === JSON.stringify(wanted);
    }, ids).catch(() => undefined);
    expect(await rowIds(page), `rows for ?${query}`).to.deep.equal(ids);
    return answer.body.items;
  }

  it('filtered by drafting department and state, as the API answers; the filters stay in the URL', async function () {
    const mine = await u.drafter.api.post<PolicyBody & Row>('/api/v1/policies', { title: '列表筛选用的商务局措施', kind: 'normative_document', issuingLevel: 'department' });
    const theirs = await u.drafter2.api.post<PolicyBody & Row>('/api/v1/policies', { title: '列表筛选用的另一单位措施', kind: 'normative_document', issuingLevel: 'department' });
    expect(mine.body.draftingDepartmentId).not.to.equal(theirs.body.draftingDepartmentId);
    // drafts are seen by their department and admins: the admin's list has both departments' drafts
    const departments = (await u.admin.api.get<Array<{ id: string; name: string }>>('/api/v1/departments')).body;
    const department = departments.find((d) => d.id === mine.body.draftingDepartmentId)!;

    const page = await h.open('admin');
    await page.goto(url('/policies'));
    await page.locator('.policy-table .el-table__row').first().waitFor();
    await choose(page, '.select-department', department.name);
    await page.waitForURL(new RegExp(`department=${department.id}`));
    await choose(page, '.select-state', POLICY_STATE_LABELS.draft);
    await page.waitForURL(/state=draft/);
    const shown = await showsWhatTheApiAnswers(page);
    expect(shown.map((p) => p.title)).to.include(mine.body.title).and.not.include(theirs.body.title);
    // Back returns to the list filtered by department only
    await page.goBack();
    await page.waitForURL((u) => u.hash.includes(`department=${department.id}`) && !u.hash.includes('state='));
    await showsWhatTheApiAnswers(page);
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('sorted by name, deadline and last change over all pages, filtered by open findings, deadline and search, as the API answers; a reload keeps it all', async function () {
    const fixtures = new PolicyFixtures(h.app, u);
    // more policies than a page holds, registered oldest first under names that sort the other way round
    for (let i = 1; i <= 24; i++) {
      const created = await u.drafter.api.post('/api/v1/policies', { title: `列表排序用措施${String(i).padStart(2, '0')}号`, kind: 'normative_document', issuingLevel: 'department' });
      expect(created.status).to.equal(201);
    }
    const withFindings = await fixtures.draft();
    const evaluation = async (days: number) => {
      const id = await fixtures.completeSelfReview();
      await fixtures.transition('lead', id, { action: 'request_evaluation', evaluatorId: u.evaluator.id, scope: '对本地企业的影响', deadline: daysFromNow(days) });
      return id;
    };
    const soon = await evaluation(5);
    const later = await evaluation(40);

    const page = await h.open('admin');
    await page.goto(url('/policies'));
    const newestFirst = await showsWhatTheApiAnswers(page);
    expect(newestFirst).to.have.length(20);

    // 名称: ascending, then descending; the first page sorted by the API, not the page's rows re-sorted
    await page.locator('.policy-table th', { hasText: '名称' }).click();
    await page.waitForURL((u) => u.hash.includes('sort=title') && u.hash.includes('order=asc'));
    const byName = await showsWhatTheApiAnswers(page);
    expect(byName.map((r) => r.title)).to.include('列表排序用措施01号');
    expect(newestFirst.map((r) => r.title)).not.to.include('列表排序用措施01号');
    await page.locator('.policy-table th', { hasText: '名称' }).click();
    await page.waitForURL((u) => u.hash.includes('sort=title') && u.hash.includes('order=desc'));
    await showsWhatTheApiAnswers(page);

    // 截止时间: the nearest first, each with its date and the days left
    await page.locator('.policy-table th', { hasText: '截止时间' }).click();
    await page.waitForURL((u) => u.hash.includes('sort=deadline') && u.hash.includes('order=asc'));
    const byDeadline = await showsWhatTheApiAnswers(page);
    expect(byDeadline.slice(0, 2).map((r) => r.id)).to.deep.equal([soon, later]);
    for (const row of byDeadline.slice(0, 2)) {
      const days = Math.round((Date.parse(shanghaiDate(row.deadline!)) - Date.parse(shanghaiDate(new Date().toISOString()))) / 86_400_000);
      const cell = page.locator('.policy-table .el-table__row', { has: page.locator(`a[href$="/${row.id}"]`) });
      expect(await cell.locator('.deadline-date').innerText()).to.equal(shanghaiDate(row.deadline!));
      expect(await cell.locator('.deadline-note').innerText()).to.equal(`剩 ${days} 天`);
    }

    // 截止不晚于: typed as a date
    await page.locator('.pick-deadline-before input').fill(shanghaiDate(daysFromNow(10)));
    await page.locator('.pick-deadline-before input').press('Enter');
    await page.waitForURL((u) => u.hash.includes(`deadlineBefore=${shanghaiDate(daysFromNow(10))}`) && u.hash.includes('sort=deadline'));
    expect((await showsWhatTheApiAnswers(page)).map((r) => r.id)).to.deep.equal([soon]);

    // a reload shows the same list from the URL alone
    await page.reload();
    await page.locator('.policy-table .el-table__row').first().waitFor();
    expect((await showsWhatTheApiAnswers(page)).map((r) => r.id)).to.deep.equal([soon]);
    expect(await page.locator('.policy-table th.descending, .policy-table th.ascending').innerText()).to.include('截止时间');

    // 有待审查的问题, after clearing the other filters (the sort stays)
    await page.locator('.clear-filters').click();
    await page.waitForURL((u) => !u.hash.includes('deadlineBefore') && u.hash.includes('sort=deadline'));
    await choose(page, '.select-open-findings', '有待审查的问题');
    await page.waitForURL(/hasOpenFindings=true/);
    const open = await showsWhatTheApiAnswers(page);
    expect(open.map((r) => r.id)).to.include(withFindings).and.not.include(soon);
    expect(open.every((r) => r.openFindings > 0)).to.equal(true);
    await choose(page, '.select-open-findings', '无待审查的问题');
    await page.waitForURL(/hasOpenFindings=false/);
    expect((await showsWhatTheApiAnswers(page)).map((r) => r.id)).to.include(soon).and.not.include(withFindings);

    // the search box asks as one types, without a button
    await page.locator('.clear-filters').click();
    await page.waitForURL((u) => !u.hash.includes('hasOpenFindings'));
    await page.locator('.search-policies input').pressSequentially('排序用措施1', { delay: 30 });
    await page.waitForURL((u) => u.hash.includes(`q=${encodeURIComponent('排序用措施1')}`));
    const found = await showsWhatTheApiAnswers(page);
    expect(found.map((r) => r.title).sort()).to.deep.equal(Array.from({ length: 10 }, (_, i) => `列表排序用措施${10 + i}号`));
    await page.locator('.search-policies input').fill('没有这样的措施');
    await page.waitForURL(/q=%E6%B2%A1/);
    await page.locator('.policy-table .el-empty', { hasText: '没有符合条件的政策措施' }).waitFor();
    expect(await page.locator('.policy-table .el-table__row').count()).to.equal(0);

    // 最近修改: newest first (the default, so the URL names no sort), then turned round
    await page.locator('.clear-filters').click();
    await page.waitForURL((u) => !u.hash.includes('q='));
    await page.locator('.policy-table th', { hasText: '最近修改' }).click();
    await page.waitForURL((u) => u.hash.startsWith('#/policies') && !u.hash.includes('sort='));
    expect((await showsWhatTheApiAnswers(page)).map((r) => r.id)).to.deep.equal(newestFirst.map((r) => r.id));
    await page.locator('.policy-table th', { hasText: '最近修改' }).click();
    await page.waitForURL((u) => u.hash.includes('sort=updatedAt') && u.hash.includes('order=asc'));
    const oldestFirst = await showsWhatTheApiAnswers(page);
    expect(oldestFirst.map((r) => r.updatedAt)).to.deep.equal(oldestFirst.map((r) => r.updatedAt).sort());
    expect(oldestFirst.map((r) => r.id)).to.include.members(byName.slice(0, 5).map((r) => r.id));
    expect(h.pageErrors).to.deep.equal([]);
  });
});
