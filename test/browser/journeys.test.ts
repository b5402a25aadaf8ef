/// <reference lib="dom" />
/**
 * The main journeys in a real Chromium against the real system (API, store, Redis, worker): what people do with
 * the web UI, end to end, clicking and typing as they would. Timings of the upload and of page loads are printed
 * (speed targets live in benchmarks, not in assertions here).
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Download, Page } from 'playwright-core';
import { makeDocx } from '../fixtures/makeDocuments';
import { DRAFT_V1, PolicyFixtures, completeSelfReview, upload, waitForVersion, type DemoUsers, type PolicyBody } from '../integration/api/policyHelpers';
import { DESKTOP, PHONE, choose, median, signIn, useBrowserSuite, timed, type Harness } from './harness';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const HOSTILE_TITLE = '<img src=x onerror="window.__hacked=1">关于支持本地商贸企业的若干措施（征求意见稿）';
const HOSTILE_FILENAME = '<svg onload=window.__hacked=1>措施.docx';

describe('browser journeys (Chromium)', function () {
  this.timeout(240_000);
  let h: Harness;
  let u: DemoUsers;
  let fixtures: PolicyFixtures;
  const timings: string[] = [];

  useBrowserSuite('browser', (started) => ({ h, u } = started));
  before(function () {
    fixtures = new PolicyFixtures(h.app, u);
  });
  after(function () {
    if (timings.length) console.log(`\n  [browser timings]\n${timings.map((t) => `    ${t}`).join('\n')}`);
  });

  const url = (hash: string) => `${h.baseUrl}/#${hash}`;
  const toast = (page: Page, text: string) => page.locator('.el-message', { hasText: text }).first().waitFor();
  const act = async (page: Page, action: string) => {
    await page.locator(`.workflow [data-action="${action}"]`).click();
    await page.locator('.action-panel').waitFor();
  };
  const confirm = (page: Page) => page.locator('.action-panel .confirm-action').click();
  const policyState = (page: Page, label: string) => page.locator('.page-header .state-badge', { hasText: label }).waitFor();

  async function download(page: Page, kind: string): Promise<Download> {
    const row = page.locator(`.report-row[data-kind="${kind}"]`);
    await row.getByRole('button', { name: '生成' }).click();
    const link = row.locator('a.download-link');
    await link.waitFor({ timeout: 90_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
    return file;
  }
  async function expectDocx(file: Download) {
    expect(file.suggestedFilename()).to.match(/\.docx$/);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).to.be.greaterThan(1000);
    expect(bytes.subarray(0, 2).toString()).to.equal('PK');
  }

  it('drafter: registers a policy, uploads the draft, decides every finding and completes the self-review; hostile names stay text', async function () {
    const page = await h.open('drafter');
    await page.goto(url('/policies/new'));
    await page.locator('input[name=title]').fill(HOSTILE_TITLE);
    await choose(page, '.select-kind', '规范性文件');
    await choose(page, '.select-level', '部门制定');
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForURL(/#\/policies\/[0-9a-f]{24}\?tab=documents/);
    expect(await page.locator('h1.policy-title').textContent()).to.equal(HOSTILE_TITLE);

    const docx = await makeDocx(DRAFT_V1.split('\n').map((paragraph) => ({ paragraph })));
    await page.locator('input[type=file][name=file]').setInputFiles({ name: HOSTILE_FILENAME, mimeType: DOCX_TYPE, buffer: docx });
    const uploadMs = await timed(
      () => page.getByRole('button', { name: '上传并分析' }).click(),
      () => page.locator('.finding-card').first().waitFor({ timeout: 60_000 }),
    );
    timings.push(`upload → findings visible: ${Math.round(uploadMs)} ms`);
    expect(await page.locator('.version a', { hasText: HOSTILE_FILENAME }).count()).to.equal(1);
    expect(await page.locator('.policy-title img, .version svg').count()).to.equal(0);
    expect(await page.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).to.equal(undefined);

    // No checklist codes or raw ids where people read: titles instead.
    const findingsText = await page.locator('.findings').innerText();
    expect(findingsText).not.to.match(/\b(entry|flow|cost|behavior)-\d\b/);
    expect(findingsText).not.to.match(/[0-9a-f]{24}/);

    const cards = page.locator('.finding-card');
    const total = await cards.count();
    expect(total).to.be.greaterThan(0);
    await cards.nth(0).locator('.confirm-finding').click();
    await page.locator('.finding-card[data-status="confirmed"]').first().waitFor();
    for (let i = 1; i < total; i++) {
      const card = page.locator('.finding-card[data-status="pending"]').first();
      await card.locator('textarea').fill('该条款仅作原则性表述，不构成对外地经营者的差别待遇。');
      await card.locator('.dismiss-finding').click();
      await page.locator('.finding-card[data-status="dismissed"]').nth(i - 1).waitFor();
    }
    expect(await page.locator('.finding-card[data-status="pending"]').count()).to.equal(0);

    await page.getByRole('tab', { name: '概况与办理' }).click();
    await page.waitForURL(/tab=overview/);
    await act(page, 'start_review');
    await confirm(page);
    await policyState(page, '自我审查');

    await page.getByRole('tab', { name: '自我审查' }).click();
    const confirmedItem = page.locator('.checklist-item', { hasText: '已确认问题' }).first();
    await confirmedItem.getByRole('radio', { name: '是' }).check({ force: true });
    await confirmedItem.locator('textarea').first().fill('第三条对本地纳税百强企业返还土地出让金，拟删除该条。');
    await page.locator('.fill-no').click();
    await page.locator('.answered-count', { hasText: '已作答 19 / 19' }).waitFor();
    await page.locator('.self-review-form .el-checkbox', { hasText: '利害关系人' }).first().click();
    await page.locator('input[name=channel]').fill('座谈会、书面征求意见');
    await page.locator('.consultation-start input').fill('2025-03-01');
    await page.locator('.consultation-start input').press('Enter');
    await page.locator('.consultation-end input').fill('2025-03-31');
    await page.locator('.consultation-end input').press('Enter');
    await page.locator('textarea[name=feedback]').fill('收到意见 5 条');
    await page.locator('textarea[name=adoption]').fill('采纳 4 条，未采纳 1 条并说明理由');
    await choose(page, '.draft-outcome', '经修改后符合公平竞争审查标准');
    await page.locator('textarea[name=draftReasoning]').fill('删除第三条后符合审查标准。');
    await page.locator('.save-self-review').click();
    await toast(page, '自我审查已保存');

    // Back returns to the previous tab: the tabs are history entries.
    await page.goBack();
    await page.waitForURL(/tab=overview/);
    await page.locator('.workflow').waitFor();

    // 提交审核: the lead finds it in 待办 and sends it back with comments; the drafter reads them
    await act(page, 'submit_to_lead');
    await confirm(page);
    await page.locator('.handover', { hasText: '提交负责人审核' }).waitFor();
    const lead = await h.open('lead');
    const policyUrl = page.url();
    await lead.locator('.task', { hasText: HOSTILE_TITLE }).waitFor();
    await lead.goto(policyUrl);
    await act(lead, 'return_to_drafter');
    await lead.locator('.action-panel textarea[name=reason]').fill('请补充征求意见的采纳情况');
    await confirm(lead);
    await lead.locator('.handover', { hasText: '退回修改' }).waitFor();
    await page.reload();
    await page.locator('.handover', { hasText: '请补充征求意见的采纳情况' }).waitFor();
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('government measure: lead requests a joint review, three members sign, an evaluation, the regulator concludes, the drafter publishes; history verifies; four policy reports download', async function () {
    const id = await fixtures.completeSelfReview('government');
    const lead = await h.open('lead');
    await lead.goto(url(`/policies/${id}`));
    await act(lead, 'request_joint_review');
    // the committee's members are loaded after the panel opens, all three ticked by default
    const ticked = lead.locator('.action-panel .el-checkbox.is-checked');
    await ticked.nth(2).waitFor();
    expect(await ticked.count()).to.equal(3);
    await confirm(lead);
    await policyState(lead, '会审');
    // Members show by name, never as an id fragment.
    const memberNames = await lead.locator('.joint-review .sign-off .title').allInnerTexts();
    expect(memberNames).to.have.members(['会审成员一', '会审成员二', '会审成员三']);

    for (const member of ['member1', 'member2', 'member3']) {
      const page = await h.open(member);
      // signed in, a member lands on 待办: the sign-off is there with its deadline, and the bell counts the hand-over
      await page.locator('.task', { hasText: '会审签署' }).filter({ hasText: '会审截止' }).first().waitFor();
      expect(Number(await page.locator('.notification-badge .el-badge__content').innerText())).to.be.at.least(1);
      await page.goto(url(`/policies/${id}`));
      await page.locator('.sign-off-form').getByRole('radio', { name: '同意', exact: true }).check({ force: true });
      await page.getByRole('button', { name: '签署会审意见' }).click();
      await toast(page, '会审意见已签署');
      await page.locator('.joint-review', { hasText: '您已签署会审意见' }).waitFor();
    }

    const regulator = await h.open('regulator');
    await regulator.goto(url(`/policies/${id}`));
    await act(regulator, 'request_evaluation');
    await choose(regulator, '.select-evaluator', '第三方评估员', { exact: false });
    await regulator.locator('.action-panel textarea').first().fill('对补贴条款的竞争影响进行评估');
    await confirm(regulator);
    await policyState(regulator, '第三方评估');

    const evaluator = await h.open('evaluator');
    await evaluator.goto(url(`/policies/${id}`));
    await act(evaluator, 'submit_evaluation');
    await evaluator.locator('textarea[name=summary]').fill('对竞争影响有限，建议删除第三条。');
    await confirm(evaluator);
    await toast(evaluator, '已');

    await regulator.reload();
    await act(regulator, 'conclude');
    await choose(regulator, '.select-outcome', '符合公平竞争审查标准');
    await regulator.locator('textarea[name=reasoning]').fill('会审通过，评估意见已采纳。');
    await confirm(regulator);
    await policyState(regulator, '已作出审查结论');

    const drafter = await h.open('drafter');
    await drafter.goto(url(`/policies/${id}`));
    await act(drafter, 'publish');
    await drafter.locator('input[name=docNumber]').fill('某政发〔2026〕3号');
    await confirm(drafter);
    await policyState(drafter, '已出台');

    await drafter.getByRole('tab', { name: '审查记录' }).click();
    await drafter.locator('.verify-history').click();
    await drafter.locator('.verify-result', { hasText: '校验通过' }).waitFor();
    expect(await drafter.locator('.history-list li[data-action="sign_off"]').count()).to.equal(3);

    await drafter.getByRole('tab', { name: '文书下载' }).click();
    for (const kind of ['review_form', 'annotated_draft', 'joint_review_opinion', 'evaluation_summary']) await expectDocx(await download(drafter, kind));
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('public complaint: the reporter files it, the handler takes it through to a reply and its letter, the reporter sees the result', async function () {
    const visitor = await h.open();
    await visitor.goto(url('/report'));
    await visitor.locator('textarea[name=measureText]').fill('《关于支持本地商贸企业发展的若干措施》第三条');
    await visitor.locator('textarea[name=description]').fill('<script>window.__hacked=1</script>对本地企业返还土地出让金，排斥外地经营者。');
    await visitor.locator('input[name=reporterName]').fill('张三');
    await visitor.locator('input[name=reporterContact]').fill('13800000000');
    await visitor.getByRole('button', { name: '提交举报' }).click();
    const refNo = (await visitor.locator('#receipt-ref').textContent())!.trim();
    const accessCode = (await visitor.locator('#receipt-code').textContent())!.trim();
    expect(refNo).to.match(/^JB-/);

    const handler = await h.open('handler');
    await handler.goto(url('/complaints'));
    await handler.getByRole('link', { name: refNo }).click();
    expect(await handler.locator('.complaint-description').textContent()).to.include('<script>');
    const steps: Array<[string, (() => Promise<void>)?]> = [
      ['assign'], ['accept'], ['start_verification'],
      ['conclude_no_violation', () => handler.locator('textarea[name=summary]').fill('经核查，该条款已在出台前删除。')],
      ['reply', () => handler.locator('textarea[name=text]').fill('经核查，您反映的条款已删除，感谢监督。')],
    ];
    for (const [action, fill] of steps) {
      await handler.locator(`[data-action="${action}"]`).click();
      await fill?.();
      await handler.locator('.action-panel .confirm-action').click();
      await handler.locator(`[data-action="${action}"]`).waitFor({ state: 'detached' });
    }
    await expectDocx(await download(handler, 'complaint_reply'));

    await visitor.goto(url(`/report/status?refNo=${encodeURIComponent(refNo)}`));
    await visitor.locator('input[name=accessCode]').fill(accessCode);
    await visitor.getByRole('button', { name: '查询' }).click();
    await visitor.locator('.complaint-status', { hasText: '经核查，您反映的条款已删除' }).waitFor();
    expect(await visitor.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).to.equal(undefined);
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('spot check: the regulator draws published measures, the assigned reviewer records a result; statistics and their report download', async function () {
    await fixtures.published();
    const regulator = await h.open('regulator');
    await regulator.goto(url('/spot-checks'));
    await regulator.locator('.new-spot-check').click();
    await regulator.locator('.draw-spot-check').click();
    await regulator.waitForURL(/#\/spot-checks\/[0-9a-f]{24}$/);
    const checkId = regulator.url().split('/').at(-1)!;
    const check = await u.admin.api.get<{ entries: Array<{ reviewerIds: string[] }> }>(`/api/v1/spot-checks/${checkId}`);
    const reviewerId = check.body.entries[0]!.reviewerIds[0]!;
    const reviewer = (Object.entries(u) as Array<[string, { id: string }]>).find(([, user]) => user.id === reviewerId)![0];

    const page = reviewer === 'regulator' ? regulator : await h.open(reviewer);
    await page.goto(url(`/spot-checks/${checkId}`));
    const form = page.locator('.spot-result-form').first();
    await form.getByRole('radio', { name: '未发现问题' }).check({ force: true });
    await form.getByRole('button', { name: '登记结果' }).click();
    await toast(page, '已登记');

    await regulator.goto(url('/stats'));
    await regulator.locator('.stat').first().waitFor();
    await expectDocx(await download(regulator, 'statistics'));
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('screening: the regulator starts a small batch from a ZIP, follows it to completion, downloads the clean-up list, confirms a document and opens its recheck', async function () {
    const zip = new JSZip();
    zip.file('存量文件/市商务局/关于支持本地商贸企业发展的若干措施.txt', DRAFT_V1);
    zip.file('存量文件/市商务局/副本.txt', DRAFT_V1);
    zip.file('存量文件/市住房和城乡建设局/通知.txt', '关于进一步优化政务服务的通知\n第一条\u3000推进政务服务“一网通办”，企业开办全程网上办理。\n第二条\u3000本通知自发布之日起施行。');
    zip.file('存量文件/市住房和城乡建设局/损坏.docx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 1)]));
    const page = await h.open('regulator');
    await page.goto(url('/screening'));
    await page.locator('.batch-name input').fill('浏览器清理批次');
    await page.locator('input[type=file][name=file]').setInputFiles({ name: '存量文件.zip', mimeType: 'application/zip', buffer: await zip.generateAsync({ type: 'nodebuffer' }) });
    await page.locator('.start-batch').click();
    await page.waitForURL(/#\/screening\/[0-9a-f]{24}$/);
    await page.locator('.batch-state', { hasText: '已完成' }).waitFor({ timeout: 90_000 });
    await page.locator('.batch-progress', { hasText: '共 4 个文件（去重后 3 份，重复 1 个）' }).waitFor();

    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('a.download-list').click()]);
    expect(file.suggestedFilename()).to.match(/清理清单-浏览器清理批次\.xlsx$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(Buffer.concat(chunks)).buffer);
    expect(workbook.getWorksheet('文件清单')!.rowCount).to.equal(1 + 3);
    expect(workbook.getWorksheet('问题条款')!.rowCount).to.be.greaterThan(1);

    await page.locator('.document-row a.title').first().click();
    await page.locator('.confirm-document').click();
    await toast(page, '已确认存在问题');
    await page.locator('.create-recheck:not([disabled])').click();
    await page.waitForURL(/#\/policies\/[0-9a-f]{24}$/);
    await policyState(page, '复查');
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('at 390 px the findings read as cards: no element is narrower than four characters of its text', async function () {
    const id = await fixtures.selfReview();
    const page = await h.open('drafter', PHONE);
    await page.goto(url(`/policies/${id}?tab=documents`));
    await page.locator('.finding-card').first().waitFor();
    const cramped = await page.evaluate(() => {
      const canvas = document.createElement('canvas').getContext('2d')!;
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('.findings *, .versions *'))) {
        const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
        if (own.length < 4 || el.getClientRects().length === 0) continue;
        const style = getComputedStyle(el);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const needed = canvas.measureText([...own].slice(0, 4).join('')).width;
        const width = el.getBoundingClientRect().width;
        if (width + 1 < needed) out.push(`${el.tagName}.${el.className}: ${Math.round(width)} px < ${Math.round(needed)} px for “${own.slice(0, 12)}”`);
      }
      return out;
    });
    expect(cramped).to.deep.equal([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the page scrolls sideways').to.be.at.most(0);
  });

  it('page loads: the list, a policy, its findings, 待办 (p50 over 5 loads each, printed)', async function () {
    const id = await fixtures.selfReview();
    const page = await h.open('drafter', DESKTOP);
    const pages: Array<[string, string, string]> = [
      ['政策措施列表', '/policies', '.policy-table .el-table__row'],
      ['政策措施详情', `/policies/${id}`, '.workflow'],
      ['疑似问题', `/policies/${id}?tab=documents`, '.finding-card'],
      ['待办', '/tasks', '.task'],
    ];
    for (const [name, hash, ready] of pages) {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        await page.goto('about:blank');
        samples.push(await timed(() => page.goto(url(hash)), () => page.locator(ready).first().waitFor()));
      }
      timings.push(`${name} page load p50 of 5: ${Math.round(median(samples))} ms (samples ${samples.map(Math.round).join(', ')})`);
    }
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('offers exactly the actions the API allows, and says why the others are not possible yet', async function () {
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '尚未上传文本的措施', kind: 'normative_document', issuingLevel: 'department' });
    const drafter = await h.open('drafter');
    await drafter.goto(url(`/policies/${created.body.id}`));
    await drafter.locator('.workflow').waitFor();
    expect(await drafter.locator('.workflow [data-action="start_review"]').count()).to.equal(0);
    expect(await drafter.locator('[data-blocked="start_review"]').innerText()).to.include('请先上传草案文件');

    type Listed = { action: string; allowed: boolean };
    const id = await fixtures.completeSelfReview('government');
    for (const who of ['lead', 'regulator', 'drafter'] as const) {
      const page = await h.open(who);
      await page.goto(url(`/policies/${id}`));
      await page.locator('.workflow').waitFor();
      const offered = await page.locator('.workflow .action-buttons [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')!));
      const listed = (await u[who].api.get<{ allowedActions: Listed[] }>(`/api/v1/policies/${id}`)).body.allowedActions;
      const transitions = listed.filter((a) => a.allowed && !['upload_version', 'update_self_review', 'decide_finding', 'sign_off', 'reanalyse', 'request_report'].includes(a.action)).map((a) => a.action);
      expect(offered.sort(), who).to.deep.equal(transitions.sort());
    }
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('says what went wrong in words: a wrong password, a wrong access code, the title limit from the API, the upload limit', async function () {
    const visitor = await h.open();
    await visitor.goto(url('/login'));
    await visitor.locator('input[name=username]').fill('drafter');
    await visitor.locator('input[name=password]').fill('wrong-password');
    await visitor.getByRole('button', { name: '登录' }).click();
    expect(await visitor.locator('.error-panel .el-alert__title').innerText()).to.equal('用户名或密码错误');

    await visitor.goto(url('/report/status?refNo=JB-20260101-0001'));
    await visitor.locator('input[name=accessCode]').fill('WRONG1');
    await visitor.getByRole('button', { name: '查询' }).click();
    expect(await visitor.locator('.error-panel .el-alert__title').innerText()).to.equal('举报编号或查询码不正确');

    const drafter = await h.open('drafter');
    await drafter.goto(url('/policies/new'));
    type OpenApi = { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: { title: { maxLength: number } } } }> } } }> };
    const doc = (await u.drafter.api.get<OpenApi>('/api/v1/openapi.json')).body;
    const limit = doc.paths['/api/v1/policies']!.post.requestBody.content['application/json']!.schema.properties.title.maxLength;
    expect(limit).to.be.a('number');
    expect(await drafter.locator('input[name=title]').getAttribute('maxlength')).to.equal(String(limit));
    const created = await u.drafter.api.post<PolicyBody>('/api/v1/policies', { title: '待上传的措施', kind: 'normative_document', issuingLevel: 'department' });
    await drafter.goto(url(`/policies/${created.body.id}?tab=documents`));
    await drafter.locator('.upload-form', { hasText: '不超过 20 MB' }).waitFor();
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('a conclusion needs every finding decided or explained: the lead is told which, gives a reason, and the history shows each decision', async function () {
    const id = await fixtures.completeSelfReview();
    const first = (await u.drafter.api.get<{ items: Array<{ id: string; path: string }> }>(`/api/v1/policies/${id}/findings`)).body.items[0]!;
    const lead = await h.open('lead');
    await lead.goto(url(`/policies/${id}?tab=documents`));
    await lead.locator('.finding-card').first().waitFor();
    expect(await lead.locator('.finding-card[data-status="pending"]').count()).to.equal(0);

    await lead.getByRole('tab', { name: '概况与办理' }).click();
    await act(lead, 'conclude');
    await choose(lead, '.select-outcome', '经修改后符合公平竞争审查标准');
    await lead.locator('textarea[name=reasoning]').fill('删除第二条后符合审查标准。');
    await confirm(lead);
    await lead.locator('.action-panel .error-panel', { hasText: '修改后的文本' }).waitFor();
    await choose(lead, '.select-outcome', '符合公平竞争审查标准');
    await confirm(lead);
    await policyState(lead, '已作出审查结论');

    await lead.getByRole('tab', { name: '审查记录' }).click();
    const decisions = lead.locator('.history-list li[data-action="decide_finding"]');
    await decisions.first().waitFor();
    expect(await decisions.count()).to.be.at.least(2);
    expect(await decisions.allInnerTexts()).to.satisfy((texts: string[]) => texts.some((t) => t.includes(first.path)));
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('the conclusion form lists undecided findings by place and item title, and takes a reason for each', async function () {
    const id = await fixtures.selfReview();
    const current = await u.drafter.api.get<PolicyBody>(`/api/v1/policies/${id}`);
    expect((await u.drafter.api.put(`/api/v1/policies/${id}/self-review`, completeSelfReview(current.body.rev))).status).to.equal(200);
    const pending = (await u.drafter.api.get<{ items: Array<{ id: string; path: string }> }>(`/api/v1/policies/${id}/findings`)).body.items;

    const lead = await h.open('lead');
    await lead.goto(url(`/policies/${id}`));
    await act(lead, 'conclude');
    await choose(lead, '.select-outcome', '符合公平竞争审查标准');
    await lead.locator('textarea[name=reasoning]').fill('符合审查标准。');
    await lead.locator('.action-panel h3', { hasText: `尚未确认或排除的疑似问题（${pending.length} 处）` }).waitFor();
    await confirm(lead);
    await lead.locator('.action-panel .error-panel', { hasText: '尚有疑似问题未确认或排除' }).waitFor();
    const panelText = await lead.locator('.action-panel .error-panel').innerText();
    for (const f of pending) expect(panelText).to.include(f.path);
    expect(panelText).not.to.match(/[0-9a-f]{24}|finding:/);
    const inputs = lead.locator('.undecided-reason input');
    for (let i = 0; i < pending.length; i++) await inputs.nth(i).fill('出台前一并修改');
    await confirm(lead);
    await policyState(lead, '已作出审查结论');
    await lead.locator('.conclusion-card', { hasText: '未确认或排除的疑似问题' }).waitFor();
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('a revised version keeps the decisions on its unchanged clauses, marked as carried, and the reviewer can change one', async function () {
    const id = await fixtures.selfReview();
    await fixtures.decideFindings(id);
    const uploaded = await upload(h.app.baseUrl, u.drafter.token, id, Buffer.from(DRAFT_V1, 'utf8'), '措施（修改稿）.txt', 'text/plain');
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(202);
    expect((await waitForVersion(u.drafter.api, id, 2)).status).to.equal('analysed');

    const lead = await h.open('lead');
    await lead.goto(url(`/policies/${id}?tab=documents`));
    await lead.locator('.findings .card-title', { hasText: '第 2 版' }).waitFor();
    const carried = lead.locator('.finding-card', { has: lead.locator('.carried-badge', { hasText: '沿用上一版本的决定' }) });
    await carried.first().waitFor();
    const total = await lead.locator('.finding-card').count();
    expect(await carried.count()).to.equal(total);
    expect(await lead.locator('.finding-card[data-status="pending"]').count()).to.equal(0);

    const dismissed = lead.locator('.finding-card[data-status="dismissed"]').first();
    const changedId = await dismissed.getAttribute('id');
    await dismissed.locator('.confirm-finding').click();
    const changed = lead.locator(`#${changedId}`);
    await lead.locator(`#${changedId}[data-status="confirmed"]`).waitFor();
    expect(await changed.locator('.carried-badge').count(), 'a decision made on this version is no longer carried').to.equal(0);

    await lead.getByRole('tab', { name: '审查记录' }).click();
    await lead.locator('.history-list li[data-action="carry_decisions"]', { hasText: '沿用第 1 版的决定' }).waitFor();
    expect(h.pageErrors).to.deep.equal([]);
  });

  it('系统管理: the admin creates an account that signs in, a duplicate username is refused in words, the account is disabled and can no longer sign in', async function () {
    const admin = await h.open('admin');
    await admin.locator('.nav a', { hasText: '系统管理' }).click();
    await admin.waitForURL(/#\/admin/);
    await admin.locator('input[name=username]').fill('newclerk');
    await admin.locator('input[name=displayName]').fill('新来的起草人');
    await choose(admin, '.new-account .select-department', '市商务局');
    await choose(admin, '.new-account .select-role', '起草人');
    await admin.locator('input[name=password]').fill('clerk-pass-1');
    await admin.locator('.create-account').click();
    await toast(admin, '已新建账号 新来的起草人');
    const card = admin.locator('.account[data-username="newclerk"]');
    await card.waitFor();

    // the same username again: 409, said in words
    await admin.locator('input[name=username]').fill('newclerk');
    await admin.locator('input[name=displayName]').fill('重名的人');
    await admin.locator('input[name=password]').fill('clerk-pass-2');
    await admin.locator('.create-account').click();
    await admin.locator('.new-account .error-panel', { hasText: '用户名“newclerk”已被使用' }).waitFor();

    const clerk = await h.open();
    await signIn(clerk, h.baseUrl, 'newclerk', 'clerk-pass-1');
    await clerk.locator('.user-name', { hasText: '新来的起草人' }).waitFor();

    await card.locator('.disable-account').click();
    await toast(admin, '已停用 新来的起草人');
    await admin.locator('.account[data-username="newclerk"][data-active="false"]').waitFor();
    const again = await h.open();
    await again.goto(`${h.baseUrl}/#/login`);
    await again.locator('input[name=username]').fill('newclerk');
    await again.locator('input[name=password]').fill('clerk-pass-1');
    await again.getByRole('button', { name: '登录' }).click();
    await again.locator('.error-panel', { hasText: '用户名或密码错误' }).waitFor();

    await admin.getByRole('tab', { name: '单位' }).click();
    await admin.waitForURL(/tab=departments/);
    await admin.locator('.department', { hasText: '市商务局' }).waitFor();
    expect(h.pageErrors).to.deep.equal([]);
  });
});
