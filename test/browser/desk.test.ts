/// <reference lib="dom" />
/**
 * The reviewer's desk and the supervisor's view in a real Chromium against the real system (issue 18): the
 * reading view of a long draft (navigation, flagged clauses, deciding one finding and several from the text);
 * the comparison of two versions with the findings each change resolved; the statistics page's charts, read from
 * what ECharts drew (its aria description) and checked against the API's figures, and its DOCX report; a
 * reporter's one rating of a closed complaint (好差评, 一事一评) and the handlers' 问题台账 with its XLSX; the reading
 * view and the comparison on a phone. The policy list's filters and sorting are in policyList.test.ts.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { makeDocx, policyText } from '../fixtures/makeDocuments';
import { DRAFT_V1, DRAFT_V2, upload, waitForVersion, type DemoUsers, type PolicyBody } from '../integration/api/policyHelpers';
import { act, complaintIdOf } from '../integration/supervision/supervisionHelpers';
import { PHONE, useBrowserSuite, type Harness } from './harness';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The series a chart drew, from the aria-label ECharts writes ("登记——2026-01 3；2026-02 0。审结——…。"). */
function drawnSeries(label: string): Record<string, Array<[string, number]>> {
  const series: Record<string, Array<[string, number]>> = {};
  for (const part of label.replace(/^图表(“[^”]*”)?：/, '').split('。').filter(Boolean)) {
    const [name, data = ''] = part.split('——');
    series[name!] = data.split('；').filter(Boolean).map((d) => [d.slice(0, d.lastIndexOf(' ')), Number(d.slice(d.lastIndexOf(' ') + 1))]);
  }
  return series;
}

interface FindingBody { id: string; path: string; start: number; end: number; itemId: string; decision: { status: string } }

describe('reviewer\'s desk and supervisor\'s view (Chromium)', function () {
  this.timeout(300_000);
  let h: Harness;
  let u: DemoUsers;

  useBrowserSuite('desk', (started) => ({ h, u } = started));

  const url = (hash: string) => `${h.baseUrl}/#${hash}`;
  const findingsOf = async (id: string, n: number) => (await u.drafter.api.get<{ items: FindingBody[] }>(`/api/v1/policies/${id}/versions/${n}/findings`)).body.items;
  /** Whether the element lies within the page's viewport. */
  const inViewport = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
  });

  /** Clicks a chapter's link in the navigation and waits until the chapter's first paragraph is in view. */
  async function jumpToChapter(page: Page, text: string, link: Locator) {
    await link.click();
    const paragraph = text.slice(0, Number(await link.getAttribute('data-start'))).split('\n').length - 1;
    await page.waitForFunction((p) => {
      const r = document.querySelector(`.document-text p[data-p="${p}"]`)!.getBoundingClientRect();
      return r.top >= -2 && r.top < window.innerHeight;
    }, paragraph);
  }

  /** A registered draft whose versions (the given texts, as DOCX, in order) are analysed. */
  async function draftWith(title: string, ...texts: string[]): Promise<string> {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title, kind: 'normative_document', issuingLevel: 'department' });
    expect(created.status).to.equal(201);
    for (const [i, text] of texts.entries()) {
      const docx = await makeDocx(text.split('\n').map((paragraph) => ({ paragraph })));
      const uploaded = await upload(h.baseUrl, u.drafter.token, created.body.id, docx, `措施（第${i + 1}稿）.docx`, DOCX_TYPE);
      expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(202);
      expect((await waitForVersion(u.drafter.api, created.body.id, i + 1, ['analysed', 'failed'], 120_000)).status).to.equal('analysed');
    }
    return created.body.id;
  }

  it('reading view: a 60,000-character draft with its chapters, flagged clauses by severity; a finding decided from its clause, two more at once', async function () {
    const text = policyText(60_000);
    const id = await draftWith('某市关于促进民营经济高质量发展的若干措施（征求意见稿）', text);
    const findings = await findingsOf(id, 1);
    expect(findings.length).to.be.greaterThan(20);

    const page = await h.open('drafter');
    await page.goto(url(`/policies/${id}?tab=documents`));
    await page.locator('.read-version').first().click();
    await page.waitForURL(/#\/policies\/[0-9a-f]{24}\/versions\/1\/read/);
    await page.locator('.document-text p').first().waitFor();
    expect(await page.locator('.subtitle').innerText()).to.include(`${text.length} 字`);
    expect(await page.locator('.reading-card').count()).to.equal(findings.length);
    // the whole text is there, paragraph by paragraph, and every finding's clause is marked
    expect((await page.locator('.document-text').innerText()).replace(/\n+/g, '')).to.equal(text.replace(/\n/g, ''));
    const marked = await page.locator('.document-text mark.flag').evaluateAll((els) => [...new Set(els.flatMap((e) => e.getAttribute('data-findings')!.split(' ')))]);
    expect(marked.sort()).to.deep.equal(findings.map((f) => f.id).sort());
    expect(await page.locator('.document-text mark.flag.sev-high, .document-text mark.flag.sev-medium, .document-text mark.flag.sev-low').count()).to.equal(await page.locator('.document-text mark.flag').count());

    // chapter navigation: 第五章 comes into view
    await jumpToChapter(page, text, page.locator('.outline-link.kind-chapter', { hasText: '第五章' }));

    // a finding far down the text: its card locates the clause, which is decided in 当前条款
    const target = findings[Math.floor(findings.length * 0.8)]!;
    const card = page.locator(`.reading-card[data-finding-id="${target.id}"]`);
    await card.locator('.locate-clause').click();
    await page.locator(`.document-text mark.is-active[data-findings~="${target.id}"]`).first().waitFor();
    expect(await inViewport(page, `.document-text mark.is-active[data-findings~="${target.id}"]`)).to.equal(true);
    expect(await page.locator('.active-clause h3').innerText()).to.include(target.path);
    const activeCard = page.locator(`.active-finding[data-finding-id="${target.id}"]`);
    await activeCard.locator('.confirm-finding').click();
    await page.locator(`.active-finding[data-finding-id="${target.id}"][data-status="confirmed"]`).waitFor();
    await page.locator(`.reading-card[data-finding-id="${target.id}"][data-status="confirmed"]`).waitFor();
    expect((await findingsOf(id, 1)).find((f) => f.id === target.id)!.decision.status).to.equal('confirmed');

    // clicking a marked clause in the text opens its findings beside it
    const other = findings[3]!;
    await page.locator(`.document-text mark[data-findings~="${other.id}"]`).first().click();
    await page.locator(`.active-finding[data-finding-id="${other.id}"]`).waitFor();

    // several at once: tick two pending findings and dismiss them with one reason
    const pending = findings.filter((f) => f.id !== target.id).slice(0, 2);
    for (const f of pending) await page.locator(`.reading-card[data-finding-id="${f.id}"] .select-finding`).click();
    await page.locator('.selected-count', { hasText: '已勾选 2 处' }).waitFor();
    await page.locator('.bulk-dismiss').click();
    await page.locator('.bulk-bar .error-panel', { hasText: '批量排除须写明理由' }).waitFor();
    await page.locator('.bulk-reason input').fill('属于原则性表述，不构成差别待遇。');
    await page.locator('.bulk-dismiss').click();
    for (const f of pending) await page.locator(`.reading-card[data-finding-id="${f.id}"][data-status="dismissed"]`).waitFor();
    const after = await findingsOf(id, 1);
    for (const f of pending) expect(after.find((g) => g.id === f.id)!.decision.status).to.equal('dismissed');

    // the findings tab links into the text at the finding's clause
    await page.goto(url(`/policies/${id}?tab=documents`));
    await page.locator(`#finding-${target.id} .read-in-place`).click();
    await page.locator(`.document-text mark.is-active[data-findings~="${target.id}"]`).first().waitFor();
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('version comparison: the changed and removed articles side by side, each with the findings it resolved, as the API reports', async function () {
    const id = await draftWith('某市关于支持本地商贸企业发展的若干措施', DRAFT_V1, DRAFT_V2);
    type Change = { kind: string; resolved: Array<{ id: string }> };
    const api = (await u.drafter.api.get<{ changes: Change[]; resolvedCount: number }>(`/api/v1/policies/${id}/versions/2/comparison`)).body;
    expect(api.resolvedCount).to.be.greaterThan(0);

    const page = await h.open('drafter');
    await page.goto(url(`/policies/${id}?tab=documents`));
    await page.locator('.version[data-version="2"] .compare-version').click();
    await page.waitForURL(/#\/policies\/[0-9a-f]{24}\/versions\/2\/compare/);
    await page.locator('.change-row').first().waitFor();
    expect(await page.locator('.change-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).to.deep.equal(api.changes.map((c) => c.kind));
    for (const [i, change] of api.changes.entries()) {
      const shown = await page.locator('.change-row').nth(i).locator('.resolved-finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding-id')));
      expect(shown, `change ${i}`).to.deep.equal(change.resolved.map((f) => f.id));
    }
    const removed = page.locator('.change-row[data-kind="removed"]', { hasText: '土地出让金' });
    expect(await removed.locator('.resolved-finding').count()).to.be.greaterThan(0);
    expect(await removed.locator('.before-text del').innerText()).to.include('土地出让金');
    const changed = page.locator('.change-row[data-kind="changed"]', { hasText: '政府采购' });
    expect(await changed.locator('.after-text ins').innerText()).to.include('依法平等对待');
    expect(await changed.locator('.before-text del').innerText()).to.include('优先采购本地企业');
    expect(await page.locator('.comparison-summary').innerText()).to.include(`已解决疑似问题 ${api.resolvedCount} 处`);
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('phone (390×844): the reading view and the version comparison fit the width; chapters from a drawer; findings decided under their clause', async function () {
    const text = policyText(8_000);
    const id = await draftWith('某市关于促进民营经济高质量发展的若干措施（手机阅读）', text);
    const findings = await findingsOf(id, 1);
    expect(findings.length).to.be.greaterThan(3);
    const page = await h.open('drafter', PHONE);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.goto(url(`/policies/${id}/versions/1/read`));
    await page.locator('.document-text p').first().waitFor();
    expect(await overflow(), 'the reading view scrolls sideways').to.be.at.most(0);
    expect(await page.locator('.reading-outline, .reading-findings').count(), 'no side columns on a phone').to.equal(0);

    // the chapters from a drawer
    await page.locator('.open-outline').click();
    await jumpToChapter(page, text, page.locator('.outline-drawer .outline-link.kind-chapter', { hasText: '第二章' }));

    // a finding from the list drawer: its clause in view with its card right under it, confirmed there
    const target = findings[Math.floor(findings.length / 2)]!;
    await page.locator('.open-findings').click();
    await page.locator(`.findings-drawer .reading-card[data-finding-id="${target.id}"] .locate-clause`).click();
    const card = page.locator(`.clause-anchor .active-finding[data-finding-id="${target.id}"]`);
    await card.waitFor();
    const underItsClause = () => page.evaluate((fid) => {
      const anchor = document.querySelector('.clause-anchor')!;
      return Boolean(anchor.previousElementSibling?.querySelector(`mark.is-active[data-findings~="${fid}"]`));
    }, target.id);
    expect(await underItsClause(), 'the card follows the paragraph of its clause').to.equal(true);
    expect(await inViewport(page, `.document-text mark.is-active[data-findings~="${target.id}"]`)).to.equal(true);
    expect(await overflow(), 'the opened clause scrolls sideways').to.be.at.most(0);
    await card.locator('.confirm-finding').click();
    await page.locator(`.clause-anchor .active-finding[data-finding-id="${target.id}"][data-status="confirmed"]`).waitFor();
    expect((await findingsOf(id, 1)).find((f) => f.id === target.id)!.decision.status).to.equal('confirmed');

    // a tap on another marked clause moves the card under that clause, where it is dismissed with a reason
    const other = findings.find((f) => f.start !== target.start)!;
    const mark = page.locator(`.document-text mark[data-findings~="${other.id}"]`).first();
    await mark.scrollIntoViewIfNeeded();
    const firstLine = await mark.evaluate((el) => { const r = el.getClientRects()[0]!; return { x: r.left + Math.min(r.width / 2, 20), y: r.top + r.height / 2 }; });
    await page.mouse.click(firstLine.x, firstLine.y);
    const otherCard = page.locator(`.clause-anchor .active-finding[data-finding-id="${other.id}"]`);
    await otherCard.waitFor();
    expect(await page.evaluate((fid) => Boolean(document.querySelector('.clause-anchor')!.previousElementSibling?.querySelector(`mark[data-findings~="${fid}"]`)), other.id)).to.equal(true);
    await otherCard.locator('textarea').fill('属于鼓励性表述，不构成差别待遇。');
    await otherCard.locator('.dismiss-finding').click();
    await page.locator(`.clause-anchor .active-finding[data-finding-id="${other.id}"][data-status="dismissed"]`).waitFor();
    expect((await findingsOf(id, 1)).find((f) => f.id === other.id)!.decision.status).to.equal('dismissed');

    // the comparison: the two texts of a change one above the other, nothing wider than the screen
    const compared = await draftWith('某市关于支持本地商贸企业发展的若干措施（手机比较）', DRAFT_V1, DRAFT_V2);
    await page.goto(url(`/policies/${compared}/versions/2/compare`));
    const changed = page.locator('.change-row[data-kind="changed"]').first();
    await changed.waitFor();
    expect(await overflow(), 'the comparison scrolls sideways').to.be.at.most(0);
    const before = (await changed.locator('.before-text').boundingBox())!;
    const after = (await changed.locator('.after-text').boundingBox())!;
    expect(after.y, 'the later text under the earlier one').to.be.at.least(before.y + before.height);
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('statistics: the charts draw the API\'s figures (monthly trend, departments, checklist items, complaint outcomes and time limits), and the DOCX downloads', async function () {
    await draftWith('某市关于支持本地商贸企业发展的若干措施', DRAFT_V1);
    const intake = await fetch(`${h.baseUrl}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reporterName: '李四', reporterContact: '13900000000', measureText: '《关于支持本地商贸企业发展的若干措施》第三条', description: '对本地企业返还土地出让金。' }),
    });
    expect(intake.status).to.equal(201);
    type Figures = {
      monthly: Array<{ month: string; registered: number; concluded: number; complaintsReceived: number; complaintsDecided: number }>;
      byDepartment: Array<{ name: string; registered: number; concluded: number; inReview: number }>;
      complaintOutcomes: Array<{ key: string; count: number }>;
      complaintDeadlines: { onTime: number; late: number; open: number; openOverdue: number };
    };
    const figures = (await u.regulator.api.get<Figures>('/api/v1/stats/charts')).body;
    const overview = (await u.regulator.api.get<{ flaggedItems: Array<{ findings: number; confirmed: number; dismissed: number }> }>('/api/v1/stats/overview')).body;
    expect(figures.monthly.at(-1)!.registered).to.be.greaterThan(0);
    expect(figures.monthly.at(-1)!.complaintsReceived).to.be.greaterThan(0);

    const page = await h.open('regulator');
    await page.goto(url('/stats'));
    const drawn = async (chart: string) => {
      const el = page.locator(`[data-chart="${chart}"] .chart`);
      await page.waitForFunction((c) => document.querySelector(`[data-chart="${c}"] .chart`)?.getAttribute('aria-label')?.startsWith('图表'), chart);
      return drawnSeries((await el.getAttribute('aria-label'))!);
    };
    const values = (rows: Array<[string, number]>) => rows.map(([, v]) => v);
    const monthly = await drawn('monthly');
    expect(monthly['登记']!.map(([m]) => m)).to.deep.equal(figures.monthly.map((m) => m.month));
    expect(values(monthly['登记']!)).to.deep.equal(figures.monthly.map((m) => m.registered));
    expect(values(monthly['作出结论']!)).to.deep.equal(figures.monthly.map((m) => m.concluded));
    expect(values(monthly['收到举报']!)).to.deep.equal(figures.monthly.map((m) => m.complaintsReceived));
    expect(values(monthly['举报办结']!)).to.deep.equal(figures.monthly.map((m) => m.complaintsDecided));
    const departments = await drawn('departments');
    expect(departments['登记']!.map(([name]) => name)).to.deep.equal(figures.byDepartment.map((d) => d.name));
    expect(values(departments['登记']!)).to.deep.equal(figures.byDepartment.map((d) => d.registered));
    expect(values(departments['审查中']!)).to.deep.equal(figures.byDepartment.map((d) => d.inReview));
    const items = await drawn('items');
    expect(values(items['确认']!)).to.deep.equal(overview.flaggedItems.map((r) => r.confirmed));
    expect(values(items['待审查']!)).to.deep.equal(overview.flaggedItems.map((r) => r.findings - r.confirmed - r.dismissed));
    expect(values((await drawn('outcomes'))['办理结果']!)).to.deep.equal(figures.complaintOutcomes.map((r) => r.count));
    const d = figures.complaintDeadlines;
    expect(values((await drawn('deadlines'))['限时办结']!)).to.deep.equal([d.onTime, d.late, d.open, d.openOverdue]);

    const row = page.locator('.report-row[data-kind="statistics"]');
    await row.getByRole('button', { name: '生成' }).click();
    await row.locator('a.download-link').waitFor({ timeout: 90_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), row.locator('a.download-link').click()]);
    expect(file.suggestedFilename()).to.match(/\.docx$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 2).toString()).to.equal('PK');
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('complaints: the reporter rates the closed case once on the status page (a second rating is refused); the 问题台账 and its XLSX list every open case with its deadline', async function () {
    const file = async (measureText: string) => {
      const res = await fetch(`${h.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reporterName: '赵六', reporterContact: '13600000000', measureText, description: '限定本地企业参与政府采购。' }) });
      expect(res.status).to.equal(201);
      const filed = (await res.json()) as { refNo: string; accessCode: string };
      return { ...filed, id: await complaintIdOf(u.handler, filed.refNo) };
    };
    const closed = await file('《关于支持本地商贸企业发展的若干措施》第二条');
    for (const step of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'accept' }, { action: 'start_verification' }, { action: 'conclude_no_violation', summary: '经核查，该条款已删除。' }, { action: 'reply', text: '经核查，您反映的条款已删除，感谢监督。' }, { action: 'close' }]) {
      expect((await act(h.app.deps.models, u.handler, closed.id, step)).status).to.equal(200);
    }
    const verifying = await file('《关于促进民营经济高质量发展的若干措施》第五条');
    for (const step of [{ action: 'assign', assigneeId: u.handler.id }, { action: 'accept' }, { action: 'start_verification' }]) {
      expect((await act(h.app.deps.models, u.handler, verifying.id, step)).status).to.equal(200);
    }

    // two open pages of the status: the rating given on one is refused on the other
    const [first, second] = [await h.open(), await h.open()];
    for (const page of [first, second]) {
      await page.goto(url(`/report/status?refNo=${encodeURIComponent(closed.refNo)}`));
      await page.locator('input[name=accessCode]').fill(closed.accessCode);
      await page.getByRole('button', { name: '查询' }).click();
      await page.locator('.rating-form').waitFor();
    }
    await first.locator('.rating-grade').getByText('好评').click();
    await first.locator('textarea[name=ratingComment]').fill('答复及时，处理认真。');
    await first.locator('.submit-rating').click();
    await first.locator('.rating-given .rating-grade-given', { hasText: '好评' }).waitFor();
    expect(await first.locator('.rating-form').count()).to.equal(0);
    await second.locator('.rating-grade').getByText('差评').click();
    await second.locator('.submit-rating').click();
    await second.locator('.rating-form .error-panel', { hasText: '一事一评' }).waitFor();
    const status = await fetch(`${h.baseUrl}/api/v1/complaints/status?refNo=${closed.refNo}&accessCode=${closed.accessCode}`);
    expect(((await status.json()) as { rating: { grade: string } }).rating.grade).to.equal('good');

    // the handler's list doubles as the 问题台账
    type Ledger = { items: Array<{ refNo: string; dueDate: string | null; responsiblePerson: string }> };
    const ledger = (await u.handler.api.get<Ledger>('/api/v1/complaints/ledger')).body;
    expect(ledger.items.map((r) => r.refNo)).to.include(verifying.refNo).and.not.include(closed.refNo);
    const handler = await h.open('handler');
    await handler.goto(url('/complaints'));
    await handler.getByRole('tab', { name: '问题台账' }).click();
    await handler.waitForURL(/view=ledger/);
    await handler.locator('.ledger-table .ledger-ref', { hasText: verifying.refNo }).waitFor();
    expect(await handler.locator('.ledger-table .ledger-ref').allInnerTexts()).to.deep.equal(ledger.items.map((r) => r.refNo));
    const [download] = await Promise.all([handler.waitForEvent('download'), handler.locator('a.export-ledger').click()]);
    expect(download.suggestedFilename()).to.match(/^举报问题台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(Buffer.concat(chunks)).buffer);
    const rows = (workbook.getWorksheet('问题台账')!.getSheetValues().slice(2).filter(Boolean) as unknown[][]).map((r) => [r[1], r[8] || null]);
    expect(rows).to.deep.equal(ledger.items.map((r) => [r.refNo, r.dueDate]));
    expect(rows.find(([ref]) => ref === verifying.refNo)![1]).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(h.pageErrors).to.deep.equal([]);
  });
});
