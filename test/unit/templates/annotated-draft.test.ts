import { expect } from 'chai';
import mammoth from 'mammoth';
import { buildAnnotatedDraft, type AnnotatedDraftData, type DraftFinding } from '../../../templates/annotated-draft.js';
import { articleText, documentText, layOut, XML_SPECIAL } from './fixtures.js';
import { commentAnchors, commentBodies, openDocx, paragraphs, runsInComment, tableRows, visibleXml } from './docx-reader.js';

type Opened = Awaited<ReturnType<typeof openDocx>>;

function finding(overrides: Partial<DraftFinding> & Pick<DraftFinding, 'start' | 'end'>): DraftFinding {
  return {
    id: `F-${overrides.start}-${overrides.end}`,
    itemId: 'flow-3',
    itemTitle: '排斥、限制外地经营者参加本地政府采购、招标投标',
    legalBasis: '《公平竞争审查条例》第九条第（三）项',
    why: '以注册地作为优先条件',
    suggestedRewrite: '删除“本地”限定',
    status: 'confirmed',
    ...overrides,
  };
}

/** The expected anchor: the extracted document text between the offsets, less the separators between units. */
function clause(data: AnnotatedDraftData, f: { start: number; end: number }): string {
  return documentText(data.units).slice(f.start, f.end).replaceAll('\n', '');
}

/** Comment ids by finding index (0-based), read from the "问题n【" heading each comment starts with. */
function commentIdsByFinding(opened: Opened): Map<number, number> {
  const ids = new Map<number, number>();
  for (const [id, text] of commentBodies(opened.comments)) {
    const n = /^问题(\d+)【/.exec(text)?.[1];
    if (n) ids.set(Number(n) - 1, id);
  }
  return ids;
}

function commentIdOf(opened: Opened, index: number): number {
  const id = commentIdsByFinding(opened).get(index);
  if (id === undefined) throw new Error(`no comment for finding ${index + 1}`);
  return id;
}

function expectEveryCommentOnItsClause(opened: Opened, data: AnnotatedDraftData) {
  const anchors = commentAnchors(opened.document);
  const ids = commentIdsByFinding(opened);
  expect(anchors.size).to.equal(data.findings.length);
  expect(ids.size).to.equal(data.findings.length);
  data.findings.forEach((f, i) => {
    expect(anchors.get(ids.get(i) ?? -1), `finding ${i + 1}`).to.equal(clause(data, f));
  });
}

describe('templates/annotated-draft (审查批注稿)', () => {
  const texts = [
    '第一条 为优化营商环境，制定本措施。',
    '第二条 政府采购项目同等条件下优先采购本地企业产品，投标人须在本市设立分支机构。',
    '第三条 对新迁入本区的总部企业按其地方财政贡献给予奖励。',
    '第四条 本措施自印发之日起施行。',
  ];
  const units = layOut(texts);
  const at = (unit: number, phrase: string) => {
    const u = units[unit];
    if (!u) throw new Error('no unit');
    const start = u.start + u.text.indexOf(phrase);
    return { start, end: start + phrase.length, quote: phrase };
  };
  const data: AnnotatedDraftData = {
    policyName: '关于进一步优化营商环境的若干措施',
    draftingBody: '某区发展和改革局',
    version: 2,
    generatedOn: '2025-06-01',
    units,
    findings: [
      finding({ ...at(1, '同等条件下优先采购本地企业产品'), status: 'confirmed', reviewer: '李审查', decisionNote: '属于本地优先' }),
      finding({ ...at(1, '本地企业产品，投标人须在本市设立分支机构'), itemId: 'flow-2', itemTitle: '排斥、限制、强制外地经营者在本地投资或设分支机构', status: 'pending' }),
      finding({ ...at(2, '按其地方财政贡献给予奖励'), itemId: 'cost-2', itemTitle: '选择性、差异化的财政奖励或补贴', status: 'dismissed', decisionNote: '已有上位法依据' }),
      // Spans the end of 第三条 and the start of 第四条.
      finding({ start: units[2]!.start + 20, end: units[3]!.start + 4, itemId: 'cost-4', itemTitle: '其他影响生产经营成本的内容', status: 'pending' }),
      // Same clause as the first finding, under another item.
      finding({ ...at(1, '同等条件下优先采购本地企业产品'), itemId: 'entry-4', itemTitle: '不合理或歧视性的准入、退出条件', status: 'dismissed' }),
    ],
  };
  let opened: Opened;
  before(async () => {
    opened = await openDocx(await buildAnnotatedDraft(data));
  });

  it('opens with the policy title and lays the draft out unit by unit', () => {
    const ps = paragraphs(opened.document);
    expect(ps[0]).to.equal('关于进一步优化营商环境的若干措施');
    expect(ps[1]).to.equal('（公平竞争审查批注稿）');
    for (const text of texts) expect(ps).to.include(text);
  });

  it('anchors each comment exactly on its clause, including overlapping, identical and cross-paragraph spans', () => {
    expectEveryCommentOnItsClause(opened, data);
  });

  it('writes the item, legal basis, reasoning, suggested rewrite and the reviewer decision into each comment', () => {
    const first = commentBodies(opened.comments).get(commentIdOf(opened, 0)) ?? '';
    expect(first).to.include('问题1【flow-3 排斥、限制外地经营者参加本地政府采购、招标投标】');
    expect(first).to.include('审查依据：《公平竞争审查条例》第九条第（三）项');
    expect(first).to.include('问题说明：以注册地作为优先条件');
    expect(first).to.include('修改建议：删除“本地”限定');
    expect(first).to.include('审查意见：已确认（李审查，2025年6月1日）：属于本地优先'.replace('，2025年6月1日', ''));
    const third = commentBodies(opened.comments).get(commentIdOf(opened, 2)) ?? '';
    expect(third).to.include('【cost-2 选择性、差异化的财政奖励或补贴】').and.include('审查意见：已排除：已有上位法依据');
    expect(opened.comments).to.match(/w:author="李审查"/);
  });

  it('makes confirmed, pending and dismissed clauses look different', () => {
    const only = (i: number) => runsInComment(opened.document, commentIdOf(opened, i));
    // 第三条's finding is dismissed and overlaps only the pending cross-paragraph span at its end.
    const dismissedRuns = only(2).filter((r) => !r.includes('w:val="cyan"'));
    expect(dismissedRuns.length).to.be.greaterThan(0);
    for (const r of dismissedRuns) expect(r).to.include('<w:color w:val="808080"/>').and.include('w:val="dotted"').and.not.include('<w:highlight');
    expect(only(0).every((r) => r.includes('<w:highlight w:val="yellow"/>'))).to.equal(true);
    const pendingOnly = only(3).filter((r) => !r.includes('808080'));
    expect(pendingOnly.length).to.be.greaterThan(0);
    for (const r of pendingOnly) expect(r).to.include('<w:highlight w:val="cyan"/>');
  });

  it('lets the most serious status win where clauses overlap', () => {
    // Text shared by the confirmed and the dismissed finding on the same clause is highlighted as confirmed.
    for (const r of runsInComment(opened.document, commentIdOf(opened, 4))) expect(r).to.include('<w:highlight w:val="yellow"/>');
  });

  it('ends with a summary table of every finding', () => {
    const rows = tableRows(opened.document);
    expect(rows[0]).to.deep.equal(['序号', '位置', '检查项', '原文摘录', '审查意见', '修改建议']);
    expect(rows.slice(1).map((r) => r[0])).to.deep.equal(['1', '2', '3', '4', '5']);
    expect(rows[3]?.[2]).to.equal('cost-2 选择性、差异化的财政奖励或补贴');
    expect(rows[3]?.[3]).to.equal('按其地方财政贡献给予奖励');
    expect(rows[3]?.[4]).to.equal('已排除：已有上位法依据');
    expect(paragraphs(opened.document)).to.include('共标注5处：已确认1处，待审查2处，已排除2处。');
  });

  it('keeps the Chinese text readable by other readers (mammoth)', async () => {
    const { value } = await mammoth.extractRawText({ buffer: await buildAnnotatedDraft(data) });
    for (const text of texts) expect(value).to.include(text);
  });

  it('with no findings: no comments, no highlights, and says nothing was found', async () => {
    const clean = await openDocx(await buildAnnotatedDraft({ ...data, findings: [] }));
    expect(clean.document).not.to.include('commentRangeStart');
    expect(clean.document).not.to.include('<w:highlight');
    expect(clean.comments ?? '').not.to.include('<w:comment ');
    expect(paragraphs(clean.document)).to.include('经审查，本稿未发现涉嫌违反公平竞争审查标准的内容。');
    expect(tableRows(clean.document)[1]).to.deep.equal(['无']);
  });

  it('anchors 500 findings, many overlapping, each on its own clause', async () => {
    const many = layOut(Array.from({ length: 120 }, (_, i) => articleText(i + 1, 200)));
    const total = many[many.length - 1]!.start + 200;
    const findings = Array.from({ length: 500 }, (_, i) => {
      const start = (i * 97) % (total - 300);
      return finding({ start, end: start + 5 + (i % 7) * 40, status: (['confirmed', 'pending', 'dismissed'] as const)[i % 3] });
    });
    const big = { ...data, units: many, findings };
    const bigDocx = await openDocx(await buildAnnotatedDraft(big));
    expectEveryCommentOnItsClause(bigDocx, big);
    expect(tableRows(bigDocx.document)).to.have.length(501);
  });

  it('anchors a finding inside a very long clause and one covering all of it', async () => {
    const long = articleText(1, 30_000);
    const longUnits = layOut(['第一章 总则', long, '第二条 附则。']);
    const start = longUnits[1]!.start + 12_345;
    const longData = {
      ...data,
      units: longUnits,
      findings: [finding({ start, end: start + 50 }), finding({ start: longUnits[1]!.start, end: longUnits[1]!.start + long.length })],
    };
    const longDocx = await openDocx(await buildAnnotatedDraft(longData));
    expectEveryCommentOnItsClause(longDocx, longData);
    expect(commentAnchors(longDocx.document).get(commentIdOf(longDocx, 1))).to.have.length(30_000);
  });

  it('escapes XML-special characters in clauses and comments and anchors on them unchanged', async () => {
    const special = layOut([`第一条 ${XML_SPECIAL} 的企业优先。`]);
    const specialData = {
      ...data,
      policyName: `《${XML_SPECIAL}》`,
      units: special,
      findings: [finding({ start: 4, end: 4 + XML_SPECIAL.length, why: XML_SPECIAL, suggestedRewrite: '<删除>' })],
    };
    const specialDocx = await openDocx(await buildAnnotatedDraft(specialData));
    expect(commentAnchors(specialDocx.document).get(0)).to.equal(XML_SPECIAL);
    expect(commentBodies(specialDocx.comments).get(0)).to.include(`问题说明：${XML_SPECIAL}`).and.include('修改建议：<删除>');
    expect(specialDocx.document).not.to.include('<C>');
  });

  it('drops characters XML cannot carry without shifting the anchors after them', async () => {
    const dirty = layOut(['第一条\u0001 须在\u000B本市设立分支机构。']);
    const start = dirty[0]!.text.indexOf('本市');
    const dirtyData = { ...data, units: dirty, findings: [finding({ start, end: start + 6 })] };
    const dirtyDocx = await openDocx(await buildAnnotatedDraft(dirtyData));
    expect(commentAnchors(dirtyDocx.document).get(0)).to.equal('本市设立分支');
    expect(paragraphs(dirtyDocx.document)).to.include('第一条  须在 本市设立分支机构。');
    expect([...dirtyDocx.document].some((c) => c < ' ' && c !== '\n' && c !== '\r' && c !== '\t')).to.equal(false);
  });

  it('keeps rare characters whole when a span boundary falls inside a surrogate pair', async () => {
    const rare = layOut(['第一条 支持𠮷祥汽车有限公司独家经营。']);
    const index = rare[0]!.text.indexOf('𠮷');
    // One span starts inside the pair, another ends inside it.
    const rareData = { ...data, units: rare, findings: [finding({ start: index + 1, end: index + 9 }), finding({ start: index - 2, end: index + 1 })] };
    const rareDocx = await openDocx(await buildAnnotatedDraft(rareData));
    expect(commentAnchors(rareDocx.document).get(0)).to.equal('𠮷祥汽车有限公司');
    expect(commentAnchors(rareDocx.document).get(1)).to.equal('支持𠮷');
    expect(rareDocx.document).not.to.include('\uFFFD');
    expect(paragraphs(rareDocx.document)).to.include('第一条 支持𠮷祥汽车有限公司独家经营。');
  });

  it('re-anchors a finding whose offsets drifted, and lists an unplaceable one without a comment', async () => {
    const drifted = finding({ start: 2, end: 9, quote: '地方财政贡献' });
    const lost = finding({ start: 9_999, end: 10_050, quote: null });
    const driftData = { ...data, findings: [drifted, lost] };
    const driftDocx = await openDocx(await buildAnnotatedDraft(driftData));
    const anchors = commentAnchors(driftDocx.document);
    expect([...anchors.values()]).to.deep.equal(['地方财政贡献']);
    expect(tableRows(driftDocx.document)[2]?.[3]).to.equal('（未能在原文中定位）');
    expect(paragraphs(driftDocx.document).join('\n')).to.include('其中1处未能在本稿原文中定位');
  });

  it('renders missing optional fields as blanks, never "undefined" or "null"', async () => {
    const bare: AnnotatedDraftData = {
      policyName: '最简草案',
      units: layOut(['第一条 本地企业优先。']),
      findings: [{ id: 'F1', itemId: 'flow-3', itemTitle: '采购', start: 4, end: 8, status: 'pending' }],
    };
    const bareDocx = await openDocx(await buildAnnotatedDraft(bare));
    expect(visibleXml(bareDocx)).not.to.match(/undefined|null|NaN/);
    expect(paragraphs(bareDocx.document)).to.include('起草单位：').and.include('版本：');
    const body = commentBodies(bareDocx.comments).get(0) ?? '';
    expect(body.split('\n')).to.deep.equal(['问题1【flow-3 采购】', '位置：', '审查依据：', '问题说明：', '修改建议：', '审查意见：待审查']);
  });

  it('keeps a title unit of the draft itself instead of adding a second title', async () => {
    const titled = { ...data, units: [{ path: '标题', text: '某某措施', start: 0, kind: 'title' as const }, ...layOut(['第一条 内容。']).map((u) => ({ ...u, start: u.start + 5 }))], findings: [] };
    const ps = paragraphs((await openDocx(await buildAnnotatedDraft(titled))).document);
    expect(ps[0]).to.equal('某某措施');
    expect(ps.filter((p) => p === '某某措施' || p === data.policyName)).to.have.length(1);
  });
});
