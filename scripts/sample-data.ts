/**
 * Realistic demo inputs, one per report kind, for `scripts/samples.ts` and the reports benchmark. Names of places,
 * bodies and people are invented ("某市"); the clauses follow the violating patterns of regulations.md §7.
 */
import { loadChecklists } from '../checklists/index.js';
import type { AnnotatedDraftData, DraftFinding, DraftUnit, ReportDataByKind, UnitKind } from '../templates/index.js';

/** The 19 canonical checklist items with their titles, from the rulebook in checklists/. */
export const CHECKLIST_ITEMS: readonly { id: string; title: string }[] = loadChecklists().items.map(({ id, title }) => ({ id, title }));

const titleOf = (id: string) => CHECKLIST_ITEMS.find((i) => i.id === id)?.title ?? id;

export const POLICY_NAME = '某市关于促进新能源汽车产业高质量发展的若干措施';

/** The demo draft: [kind, text] blocks in document order. */
const DRAFT: readonly (readonly [UnitKind, string])[] = [
  ['title', POLICY_NAME],
  ['chapter', '第一章 总则'],
  ['article', '第一条 为加快推动本市新能源汽车产业高质量发展，培育壮大战略性新兴产业，根据国家和省有关规定，结合本市实际，制定本措施。'],
  ['article', '第二条 本措施适用于在本市行政区域内从事新能源汽车整车、关键零部件研发制造以及充电基础设施建设运营的经营主体。'],
  ['chapter', '第二章 产业扶持'],
  ['article', '第三条 对新迁入本市且注册地、纳税地均在本市的整车企业，按其上一年度对地方财政贡献的50%给予奖励，连续奖励三年。'],
  ['article', '第四条 本市党政机关、事业单位更新公务用车的，同等条件下优先采购本地企业生产的新能源汽车。'],
  ['article', '第五条 参与本市公交、出租车辆更新项目的供应商，须在本市设立具有独立法人资格的子公司，且注册资本不低于5000万元。'],
  ['article', '第六条 对年销售收入首次突破100亿元的龙头企业，经认定后一次性给予2000万元奖励。'],
  ['chapter', '第三章 基础设施'],
  ['article', '第七条 全市公共充电设施由市城市建设投资集团有限公司统一建设运营，其他经营者不得新建公共充电站。'],
  ['article', '第八条 外地生产的充电设备进入本市销售前，须经市质量检测中心重新检测合格。'],
  ['article', '第九条 公共充电服务费执行每千瓦时0.6元的统一收费标准，各经营者不得自行下浮。'],
  ['chapter', '第四章 附则'],
  ['article', '第十条 本措施由市工业和信息化局负责解释，自印发之日起施行，有效期至2027年12月31日。'],
];

interface DemoFinding {
  phrase: string;
  itemId: string;
  status: DraftFinding['status'];
  legalBasis: string;
  why: string;
  suggestedRewrite: string;
  decisionNote?: string;
}

const DEMO_FINDINGS: readonly DemoFinding[] = [
  {
    phrase: '注册地、纳税地均在本市的整车企业，按其上一年度对地方财政贡献的50%给予奖励',
    itemId: 'cost-2',
    status: 'confirmed',
    legalBasis: '《公平竞争审查条例》第十条第（二）项；《实施办法》第十九条',
    why: '以迁入注册地、在本地纳税为条件，按地方财政贡献给予奖励，属于选择性、差异化的财政奖励。',
    suggestedRewrite: '删除注册地、纳税地条件，改为按公开、统一的技术和投资标准申报，结果公示。',
    decisionNote: '与办法第十九条第（三）项情形一致。',
  },
  {
    phrase: '同等条件下优先采购本地企业生产的新能源汽车',
    itemId: 'flow-3',
    status: 'confirmed',
    legalBasis: '《公平竞争审查条例》第九条第（三）项；《实施办法》第十五条',
    why: '政府采购中对本地企业产品给予优先，排斥外地经营者参与本地政府采购。',
    suggestedRewrite: '删除“优先采购本地企业生产的”表述，按政府采购法规定的统一标准采购。',
  },
  {
    phrase: '须在本市设立具有独立法人资格的子公司',
    itemId: 'flow-2',
    status: 'confirmed',
    legalBasis: '《公平竞争审查条例》第九条第（二）项；《实施办法》第十四条',
    why: '将在本地设立子公司作为参与项目的前提条件，强制外地经营者在本地投资。',
    suggestedRewrite: '改为“中标人应具备在本市提供售后服务的能力”，不得以设立子公司为条件。',
  },
  {
    phrase: '注册资本不低于5000万元',
    itemId: 'entry-4',
    status: 'pending',
    legalBasis: '《公平竞争审查条例》第八条第（四）项；《实施办法》第十二条',
    why: '注册资本门槛与车辆更新项目的履约能力缺乏直接关联，可能构成不合理的准入条件。',
    suggestedRewrite: '以与履约相关的技术、服务能力要求替代注册资本门槛。',
  },
  {
    phrase: '对年销售收入首次突破100亿元的龙头企业，经认定后一次性给予2000万元奖励',
    itemId: 'cost-2',
    status: 'dismissed',
    legalBasis: '《公平竞争审查条例》第十条第（二）项',
    why: '“龙头企业”“经认定”可能指向特定经营者。',
    suggestedRewrite: '明确公开、客观的认定标准。',
    decisionNote: '起草单位补充说明：标准已在配套细则中公开，所有达到标准的企业均可申报，不指向特定经营者。',
  },
  {
    phrase: '全市公共充电设施由市城市建设投资集团有限公司统一建设运营，其他经营者不得新建公共充电站',
    itemId: 'entry-2',
    status: 'confirmed',
    legalBasis: '《公平竞争审查条例》第八条第（二）项；《实施办法》第十条',
    why: '未经竞争方式将充电设施建设运营权授予特定企业，并排除其他经营者进入。',
    suggestedRewrite: '删除本条，或改为通过公开招标等竞争方式确定特许经营者并明确期限。',
  },
  {
    phrase: '其他经营者不得新建公共充电站',
    itemId: 'entry-3',
    status: 'pending',
    legalBasis: '《公平竞争审查条例》第八条第（三）项',
    why: '变相限定只能使用特定经营者提供的充电服务。',
    suggestedRewrite: '删除该限制性表述。',
  },
  {
    phrase: '外地生产的充电设备进入本市销售前，须经市质量检测中心重新检测合格',
    itemId: 'flow-1',
    status: 'confirmed',
    legalBasis: '《公平竞争审查条例》第九条第（一）项；《实施办法》第十三条',
    why: '对外地商品设置重复检测，限制外地商品进入本地市场。',
    suggestedRewrite: '改为“符合国家标准并经具有资质的检测机构检测合格的充电设备均可在本市销售”。',
  },
  {
    phrase: '执行每千瓦时0.6元的统一收费标准，各经营者不得自行下浮',
    itemId: 'behavior-3',
    status: 'pending',
    legalBasis: '《公平竞争审查条例》第十一条第（三）项；《实施办法》第二十三条',
    why: '充电服务费属于市场调节价，设定统一标准并禁止下浮，违法干预市场调节价。',
    suggestedRewrite: '删除统一收费标准，改为要求经营者明码标价。',
  },
];

function draftUnits(): DraftUnit[] {
  let offset = 0;
  let chapter = '';
  return DRAFT.map(([kind, text]) => {
    if (kind === 'chapter') chapter = text.split(' ')[0] ?? '';
    const article = kind === 'article' ? (text.split(' ')[0] ?? '') : '';
    const unit: DraftUnit = { kind, text, start: offset, path: [chapter, article].filter(Boolean).join(' ') || '标题' };
    offset += text.length + 1; // the newline between paragraphs in the extracted text
    return unit;
  });
}

function locate(units: readonly DraftUnit[], demo: DemoFinding, index: number): DraftFinding {
  const unit = units.find((u) => u.text.includes(demo.phrase));
  if (!unit) throw new Error(`demo phrase not in the demo draft: ${demo.phrase}`);
  const start = unit.start + unit.text.indexOf(demo.phrase);
  const decided = demo.status !== 'pending';
  return {
    id: `F-${index + 1}`,
    itemId: demo.itemId,
    itemTitle: titleOf(demo.itemId),
    start,
    end: start + demo.phrase.length,
    quote: demo.phrase,
    path: unit.path,
    legalBasis: demo.legalBasis,
    why: demo.why,
    suggestedRewrite: demo.suggestedRewrite,
    status: demo.status,
    decisionNote: demo.decisionNote,
    reviewer: decided ? '李敏（市市场监管局）' : undefined,
    decidedAt: decided ? '2025-05-16' : undefined,
  };
}

export function annotatedDraftSample(): AnnotatedDraftData {
  const units = draftUnits();
  return {
    policyName: POLICY_NAME,
    draftingBody: '某市工业和信息化局',
    version: '第2稿（征求意见后修改稿）',
    generatedOn: '2025-05-18',
    commentAuthor: 'FairReview',
    units,
    findings: DEMO_FINDINGS.map((f, i) => locate(units, f, i)),
  };
}

function reviewFormSample(): ReportDataByKind['review_form'] {
  const findings = annotatedDraftSample().findings;
  return {
    filledOn: '2025-05-20',
    policy: { name: POLICY_NAME, industries: ['汽车制造', '充电基础设施', '政府采购'], kind: 'normative_document' },
    draftingBody: { name: '某市工业和信息化局', contact: '王晓明', phone: '0571-8888 6666' },
    reviewingBody: { name: '某市工业和信息化局政策法规处', contact: '陈静', phone: '0571-8888 6688' },
    consultation: {
      stakeholders: true,
      public: true,
      method: '召开企业座谈会2场；在市政府门户网站公开征求意见',
      timing: '2025年4月1日至4月30日',
      recipients: '整车及零部件企业15家、充电运营企业9家、市汽车行业协会',
      feedback: '共收到意见建议31条，其中涉及公平竞争的8条',
      adoption: '采纳6条，部分采纳1条，未采纳1条（已向提出单位说明理由）',
    },
    expertAndThirdParty: '征求了市市场监管局意见；未委托第三方评估。',
    conclusion: {
      kind: 'compliant_after_revision',
      text: '第三、四、五、七、八条按审查意见修改后，符合公平竞争审查标准，可以出台。',
    },
    exception: { applies: false },
    otherNotes: '第九条收费标准问题尚待价格主管部门意见，已暂缓。',
    headOpinion: { opinion: '同意按审查意见修改后出台。', signer: '张建国', date: '2025-05-21' },
    items: CHECKLIST_ITEMS.map((item) => {
      const linked = findings.filter((f) => f.itemId === item.id);
      return {
        ...item,
        answer: linked.some((f) => f.status !== 'dismissed') ? 'yes' : 'no',
        findings: linked.map((f) => ({ id: f.id, path: f.path, text: f.quote, status: f.status })),
        notes: linked.some((f) => f.status === 'confirmed') ? '已按审查意见修改' : undefined,
      };
    }),
  };
}

function jointReviewSample(): ReportDataByKind['joint_review_opinion'] {
  return {
    documentNumber: '某市监竞审〔2025〕7号',
    policy: { name: '某市支持数字经济高质量发展的若干政策', draftingBody: '某市发展和改革委员会', submittedOn: '2025-04-02' },
    regulator: '某市市场监督管理局',
    meeting: { date: '2025-04-18', place: '市市场监管局三楼会议室', form: '会议审查' },
    members: [
      { name: '陈立', unit: '市市场监管局', role: '副局长', vote: 'approve_with_changes', comment: '第八条“在本市注册”的条件应删除。', signedAt: '2025-04-18' },
      { name: '刘芳', unit: '市司法局', role: '法规处处长', vote: 'approve', comment: '同意。', signedAt: '2025-04-18' },
      { name: '赵强', unit: '市财政局', role: '预算处处长', vote: 'approve_with_changes', comment: '第十条奖励不得与地方财政贡献挂钩。', signedAt: '2025-04-19' },
      { name: '孙悦', unit: '市商务局', role: '综合处副处长', vote: 'reject', comment: '第十二条指定数据交易平台，建议删除。', signedAt: '2025-04-19' },
      { name: '周敏', unit: '市发展改革委', role: '体改处处长', vote: 'approve', comment: '起草单位将按意见修改。', signedAt: '2025-04-19' },
    ],
    quorum: { required: 4 },
    result: 'approved_with_changes',
    conclusion: {
      kind: 'compliant_after_revision',
      text: '该政策措施涉及第八条、第十条、第十二条的内容违反公平竞争审查标准，按以下意见修改后符合审查标准，可以按程序报请出台。',
      requiredChanges: [
        '删除第八条“在本市注册”的申报条件。',
        '第十条奖励标准改为按项目投资额统一核定，不得与地方财政贡献挂钩。',
        '删除第十二条“统一接入市数据交易平台”的要求。',
      ],
    },
    issuedOn: '2025-04-22',
  };
}

function evaluationSample(): ReportDataByKind['evaluation_summary'] {
  return {
    policy: { name: '某省促进民营经济发展壮大的若干措施', draftingBody: '某省发展和改革委员会' },
    commissionedBy: '某省市场监督管理局',
    evaluator: { name: '某大学竞争政策研究中心', qualification: '高校科研机构，具备法学、经济学专业团队，与起草单位无利害关系', contact: '周教授', phone: '010-6666 8888' },
    evaluationType: '出台前评估（拟适用例外规定）',
    scope: '《若干措施》全文共二十六条，重点评估涉及财政奖励、政府采购、市场准入条件的第九、十二、十八条，以及拟适用例外规定的第二十条。',
    period: { from: '2025-03-01', to: '2025-04-15' },
    methods: ['文件审阅与条款逐项比对', '问卷调查（回收有效问卷126份）', '企业及行业协会座谈会3场', '专家论证会1场'],
    findings: [
      { title: '第十二条按地方财政贡献给予奖励', itemId: 'cost-2', detail: '奖励额度与企业在本地缴纳的税收挂钩，属于选择性、差异化的财政奖励。' },
      { title: '第十八条政府采购本地优先', itemId: 'flow-3', detail: '“同等条件下优先采购本省产品”排斥外地经营者参与政府采购。' },
      { title: '第二十条适用例外规定理由充分', detail: '应急物资储备项目属于救灾救助等社会公共利益，已设定三年实施期限，暂未发现影响更小的替代方案。' },
    ],
    conclusion: { kind: 'compliant_after_revision', text: '第十二条、第十八条修改后，《若干措施》符合公平竞争审查标准；第二十条适用例外规定的条件成立。' },
    recommendations: ['第十二条改为按统一、公开的客观标准给予奖励，并公示结果。', '删除第十八条“优先采购本省产品”表述。', '第二十条实施期满前开展评估。'],
    annexes: ['问卷调查统计表', '座谈会纪要', '专家论证意见'],
    reportDate: '2025-04-20',
  };
}

function complaintReplySample(): ReportDataByKind['complaint_reply'] {
  return {
    referenceNumber: '某市监竞函〔2025〕12号',
    complaintRefNo: 'JB-2025-000317',
    addressee: '某物流有限公司',
    receivedOn: '2025-02-10',
    reported: {
      policyName: '某区关于加快现代物流业发展的实施意见',
      summary: '该文件第九条规定区内重点物流项目须由在本区注册的企业承接，排斥外地物流企业参与。',
    },
    findings: '该文件第九条确有“须由在本区注册的企业承接”的表述，起草单位未能提供法律、行政法规依据，该表述违反《公平竞争审查条例》第九条第（二）项的规定。',
    outcome: { kind: 'violation_confirmed', text: '起草单位已于2025年3月20日删除该表述并重新公布文件。' },
    contact: { person: '钱科长', phone: '0571-8765 4321', address: '某市某区人民路1号' },
    issuingBody: '某市市场监督管理局',
    issuedOn: '2025-03-25',
  };
}

function statisticsSample(): ReportDataByKind['statistics'] {
  return {
    issuingBody: '某市市场监督管理局',
    scope: '全市各级政策制定机关',
    period: { from: '2025-01-01', to: '2025-03-31' },
    generatedOn: '2025-04-05',
    policies: {
      byState: [
        { key: 'draft', count: 4 },
        { key: 'self_review', count: 9 },
        { key: 'joint_review', count: 3 },
        { key: 'concluded', count: 5 },
        { key: 'published', count: 21 },
        { key: 'recheck', count: 2 },
        { key: 'withdrawn', count: 1 },
      ],
      byConclusion: [
        { key: 'compliant', count: 17 },
        { key: 'compliant_after_revision', count: 9 },
        { key: 'non_compliant', count: 1 },
        { key: 'exception', count: 1 },
      ],
    },
    flaggedItems: [
      { itemId: 'flow-3', title: titleOf('flow-3'), findings: 14, confirmed: 8 },
      { itemId: 'cost-2', title: titleOf('cost-2'), findings: 11, confirmed: 6 },
      { itemId: 'entry-4', title: titleOf('entry-4'), findings: 7, confirmed: 3 },
      { itemId: 'flow-2', title: titleOf('flow-2'), findings: 5, confirmed: 3 },
      { itemId: 'entry-3', title: titleOf('entry-3'), findings: 4, confirmed: 2 },
      { itemId: 'behavior-3', title: titleOf('behavior-3'), findings: 2, confirmed: 1 },
    ],
    revisionRate: 9 / 28,
    turnaroundDays: { median: 7.5, p90: 18, reviews: 28 },
    complaints: {
      byState: [
        { key: 'received', count: 2 },
        { key: 'verifying', count: 4 },
        { key: 'violation_confirmed', count: 3 },
        { key: 'no_violation', count: 2 },
        { key: 'closed', count: 6 },
      ],
    },
    overdue: { complaints: 1, reviews: 2 },
    spotChecks: { checked: 30, withProblems: 4, problemRate: 4 / 30 },
    notes: '本报告数据截至2025年3月31日24时，由FairReview系统自动汇总。',
  };
}

/** One realistic input per report kind. */
export function sampleReports(): ReportDataByKind {
  return {
    review_form: reviewFormSample(),
    annotated_draft: annotatedDraftSample(),
    joint_review_opinion: jointReviewSample(),
    evaluation_summary: evaluationSample(),
    complaint_reply: complaintReplySample(),
    statistics: statisticsSample(),
  };
}
