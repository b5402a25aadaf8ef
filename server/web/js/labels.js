/** Chinese wording for the machine values the API uses. An unknown value is shown as given, never dropped. */

export const ROLE_LABELS = {
  drafter: '起草人',
  drafting_lead: '起草单位负责人',
  regulator: '市场监管部门审查员',
  committee_member: '会审成员',
  evaluator: '第三方评估机构',
  complaint_handler: '举报处理人员',
  admin: '系统管理员',
};

export const POLICY_STATE_LABELS = {
  draft: '草稿',
  self_review: '自我审查',
  joint_review: '会审',
  third_party_evaluation: '第三方评估',
  concluded: '已作出审查结论',
  published: '已出台',
  recheck: '复查',
  abolished: '已废止',
  withdrawn: '已撤回',
};

/** Badge colour per state: grey = not started, blue = under review, green = done, red/amber = attention. */
export const POLICY_STATE_TONES = {
  draft: 'neutral',
  self_review: 'info',
  joint_review: 'info',
  third_party_evaluation: 'info',
  concluded: 'success',
  published: 'success',
  recheck: 'warning',
  abolished: 'danger',
  withdrawn: 'neutral',
};

export const POLICY_KIND_LABELS = {
  law_draft: '法律草案',
  administrative_regulation_draft: '行政法规草案',
  local_regulation_draft: '地方性法规草案',
  rule: '规章',
  normative_document: '规范性文件',
  other_measure: '其他政策措施',
};

export const ISSUING_LEVEL_LABELS = {
  department: '部门制定',
  government: '县级以上人民政府（办公厅）制定',
  legislature: '人大及其常委会制定',
};

export const OUTCOME_LABELS = {
  compliant: '符合公平竞争审查标准',
  compliant_after_revision: '经修改后符合公平竞争审查标准',
  non_compliant: '不符合公平竞争审查标准，不得出台',
  exception: '具有排除、限制竞争效果，但符合例外规定',
};

export const EXCEPTION_SITUATION_LABELS = {
  national_security_development: '为维护国家安全和发展利益',
  technology_innovation: '为促进科学技术进步、增强国家自主创新能力',
  public_interest: '为实现节约能源、保护环境、救灾救助等社会公共利益',
  law_or_state_council: '法律、行政法规规定或者经国务院批准的其他情形',
};

export const LEGAL_BASIS_KIND_LABELS = {
  law: '法律',
  administrative_regulation: '行政法规',
  state_council_approval: '国务院批准',
};

export const VOTE_LABELS = {
  approve: '同意',
  approve_with_changes: '修改后同意',
  reject: '不同意',
};

export const VOTE_TONES = { approve: 'success', approve_with_changes: 'warning', reject: 'danger' };

export const ANALYSIS_STATUS_LABELS = {
  queued: '排队中',
  analysing: '分析中',
  analysed: '已分析',
  failed: '分析失败',
};

export const ANALYSIS_STATUS_TONES = { queued: 'neutral', analysing: 'info', analysed: 'success', failed: 'danger' };

export const FINDING_DECISION_LABELS = {
  open: '待审查',
  pending: '待审查',
  confirmed: '已确认',
  dismissed: '已排除',
};

export const FINDING_DECISION_TONES = { open: 'warning', pending: 'warning', confirmed: 'danger', dismissed: 'neutral' };

export const CONSULTATION_AUDIENCE_LABELS = { stakeholders: '利害关系人', public: '社会公众' };

export const RECHECK_SOURCE_LABELS = { complaint: '举报', spot_check: '抽查', evaluation: '定期评估', other: '其他' };

export const ACTION_LABELS = {
  create: '登记',
  upload_version: '上传文本',
  update_self_review: '保存自我审查',
  sign_off: '会审签署',
  start_review: '开始自我审查',
  request_joint_review: '提请会审',
  request_evaluation: '委托第三方评估',
  submit_evaluation: '提交评估意见',
  conclude: '作出审查结论',
  publish: '登记出台',
  open_recheck: '启动复查',
  resume_after_recheck: '修订后重新审查',
  close_recheck: '复查结束（维持）',
  abolish: '废止',
  withdraw: '撤回',
  decide_finding: '审查疑似问题',
};

export const COMPLAINT_STATE_LABELS = {
  received: '已收到',
  supplement_requested: '待补正',
  accepted: '已受理',
  not_accepted: '不予受理',
  verifying: '核查中',
  violation_confirmed: '核查属实',
  no_violation: '核查不属实',
  replied: '已答复',
  closed: '已办结',
  transferred: '已移送',
};

export const COMPLAINT_STATE_TONES = {
  received: 'warning',
  supplement_requested: 'warning',
  accepted: 'info',
  not_accepted: 'neutral',
  verifying: 'info',
  violation_confirmed: 'danger',
  no_violation: 'success',
  replied: 'success',
  closed: 'neutral',
  transferred: 'neutral',
};

export const COMPLAINT_ACTION_LABELS = {
  receive: '收到举报',
  assign: '指派',
  request_supplement: '要求补正',
  submit_supplement: '提交补正',
  lapse: '逾期未补正',
  accept: '受理',
  reject: '不予受理',
  transfer: '移送',
  start_verification: '开始核查',
  extend: '批准延期',
  conclude_violation: '认定违反',
  conclude_no_violation: '认定不违反',
  reply: '答复举报人',
  close: '办结',
  mark_reminded: '到期提醒',
  mark_overdue: '标记逾期',
};

/** The four categories of the checklist (条例第八条至第十一条). */
export const CHECKLIST_CATEGORY_LABELS = { entry: '市场准入和退出', flow: '商品和要素自由流动', cost: '影响生产经营成本', behavior: '影响生产经营行为' };

export const SPOT_CHECK_OUTCOME_LABELS = { no_problem: '未发现问题', problem: '发现问题' };

export const REPORT_KIND_LABELS = {
  review_form: '公平竞争审查表',
  annotated_draft: '批注稿（标注疑似问题）',
  joint_review_opinion: '会审意见书',
  evaluation_summary: '第三方评估摘要',
  complaint_reply: '举报答复函',
  statistics: '统计报告',
};

/** A label from a table, or the value itself when the table does not know it. */
export function labelOf(table, value) {
  if (value === undefined || value === null || value === '') return '';
  return Object.hasOwn(table, value) ? table[value] : String(value);
}

// ---------- what a 422 says is missing ----------

const FIELD_LABELS = {
  analysedVersion: '已完成分析的文本版本',
  evaluation: '第三方评估',
  version: '文本版本',
  newVersion: '复查开始后上传的新版本',
  members: '会审成员',
  quorum: '法定签署人数',
  deadline: '截止时间',
  evaluatorId: '第三方评估机构',
  scope: '评估范围',
  summary: '摘要说明',
  outcome: '审查结论',
  reasoning: '结论理由',
  docNumber: '文号',
  publishedOn: '出台日期',
  reason: '理由',
  comment: '意见说明',
  vote: '表决意见',
  draftConclusion: '初审结论',
  consultation: '征求意见情况',
  jointReview: '会审（政府或人大制定的政策措施须经会审）',
  'jointReview.quorum': '会审签署达到法定人数',
  'selfReview.version': '针对最新版本的自我审查（文本已更新，需重新填写）',
  'consultation.audiencesOrConfidentialityNote': '征求意见对象，或不征求意见的保密说明',
  'consultation.channel': '征求意见方式',
  'consultation.startDate': '征求意见开始日期',
  'consultation.endDate': '征求意见结束日期',
  'consultation.feedback': '收到的意见',
  'consultation.adoption': '意见采纳情况',
  'exception.restrictiveEffect': '例外说明（一）对公平竞争的影响',
  'exception.situation': '例外说明（二）适用的例外情形',
  'exception.situationExplanation': '例外说明（二）情形的具体说明',
  'exception.situationBasis': '例外情形所依据的法律、行政法规或国务院批准文件',
  'exception.leastRestrictive': '例外说明（三）不存在对竞争影响更小的替代方案',
  'exception.periodReasonableness': '例外说明（四）实施期限或终止条件的合理性',
  'exception.other': '例外说明（五）其他需要说明的情况（无则填“无”）',
  'exception.endDateOrTerminationCondition': '实施期限（截止日期）或终止条件',
  items: '需补正的材料',
  assignee: '承办人（请先指派）',
  text: '答复内容',
  toAuthority: '移送机关',
  newDueDate: '延期后的期限',
  note: '补正说明',
  'reporter.name': '举报人姓名',
  'reporter.contact': '举报人联系方式',
  'target.policyId|target.measureText': '被举报的政策措施',
  reporterName: '举报人姓名',
  reporterContact: '举报人联系方式',
  measureText: '被举报的政策措施',
  description: '举报内容',
  assigneeId: '承办人',
  policyId: '涉及的政策措施',
  refNo: '举报编号',
  accessCode: '查询码',
  notes: '问题说明',
  sampleSize: '抽取数量',
  seed: '随机种子',
  from: '开始日期',
  to: '结束日期',
  title: '名称',
  kind: '性质',
  issuingLevel: '制定层级',
  industries: '涉及行业领域',
  answers: '逐项回答',
  status: '处理结果',
  file: '文件',
  rev: '版本号',
};

/** '检查项 entry-1', 'cost-2 的法律依据', or the Chinese name of a field; unknown names are shown as given. */
export function missingLabel(name, checklistTitle = () => '', overrides = {}) {
  if (overrides[name]) return overrides[name];
  const item = /^checklist\.([a-z]+-\d)$/.exec(name);
  if (item) return `检查项 ${item[1]}（${checklistTitle(item[1]) || '未作答'}）的回答`;
  const basis = /^checklist\.([a-z]+-\d)\.legalBasis$/.exec(name);
  if (basis) return `检查项 ${basis[1]} 的法律、行政法规依据或国务院批准文件（条例第十条）`;
  return FIELD_LABELS[name] ?? name;
}

// ---------- what a 400 says is wrong ----------

/** The Chinese name of a request field path such as 'body.exception.endDate' or 'answers[3].note'. */
export function fieldLabel(path, overrides = {}) {
  const bare = String(path ?? '').replace(/^(body|query|params)\./, '');
  if (overrides[bare]) return overrides[bare];
  if (FIELD_LABELS[bare]) return FIELD_LABELS[bare];
  // answers[3].note, or item:flow-2.note once the form has put the item id in place of the position
  const answer = /^(?:answers(?:\[(\d+)\]|\.(\d+))|item:([a-z]+-\d))\.(\w+)/.exec(bare);
  if (answer) {
    const part = { note: '说明', answer: '回答', itemId: '审查项', findingIds: '关联疑似问题', legalBasis: '法律依据' }[answer[4]] ?? answer[4];
    return answer[3] ? `审查项 ${answer[3]} 的${part}` : `第 ${Number(answer[1] ?? answer[2]) + 1} 项回答的${part}`;
  }
  const last = bare.split('.').at(-1);
  return FIELD_LABELS[last] ?? bare;
}

/** Validation messages from the schema layer are English; say them in Chinese. Chinese messages pass through. */
export function issueMessage(message) {
  const m = String(message ?? '');
  if (/[\u4e00-\u9fff]/.test(m)) return m;
  if (/^Invalid option|^Invalid enum/i.test(m)) return '请从给定选项中选择';
  if (/expected string/i.test(m)) return '应为文本';
  if (/expected number|expected int/i.test(m)) return '应为数字';
  if (/expected array/i.test(m)) return '应为列表';
  if (/too big|too long|at most/i.test(m)) return '内容过长';
  if (/too small|at least/i.test(m)) return '不能为空';
  if (/unrecognized key/i.test(m)) return '包含不允许的字段';
  if (/required/i.test(m)) return '必填';
  return '格式不正确';
}
