/**
 * The one Chinese wording of every machine value that more than one layer shows: the domain's error messages,
 * the API (`stateLabel`), the DOCX reports (templates/labels.ts re-exports these) and the web UI (served as the
 * web/src/labels.js, bundled into the UI at build time). Change a word here and every
 * layer says the same.
 *
 * Pure data that imports nothing, so that the domain (server/domain/) and the report builders (templates/), which
 * must not depend on each other, both read it; it lives with the rulebook because its words are the 条例 / 办法
 * terms (/work/shared/domain/regulations.md). The keys are exactly the domain's values: code that looks a value up
 * fails to compile when its label is missing, and test/unit/domain/vocabulary.test.ts checks both directions.
 * Long formal sentences that only a document prints (the review form's 审查结论 choices) stay in templates/labels.ts.
 */

type Labels = Readonly<Record<string, string>>;

export const ROLE_LABELS = {
  drafter: '起草人',
  drafting_lead: '起草单位负责人',
  regulator: '市场监管部门审查员',
  committee_member: '会审成员',
  evaluator: '第三方评估机构',
  complaint_handler: '举报处理人员',
  admin: '系统管理员',
} as const satisfies Labels;

/** What a department is in the process (系统管理). */
export const DEPARTMENT_KIND_LABELS = {
  drafting: '起草单位',
  regulator: '市场监管部门',
  committee: '联席会议',
  evaluator: '第三方评估机构',
  complaints: '举报处理机构',
  admin: '系统管理',
} as const satisfies Labels;

/** Where the policy stands. `recheck` (复查) is the review reopened after publication (complaint, spot check). */
export const POLICY_STATE_LABELS = {
  draft: '起草中',
  self_review: '自我审查',
  joint_review: '会审',
  third_party_evaluation: '第三方评估',
  concluded: '已作出审查结论',
  published: '已出台',
  recheck: '复查',
  abolished: '已废止',
  withdrawn: '已撤回',
} as const satisfies Labels;

/** 性质 of the measure (条例2; the review form's choices, in its order). */
export const POLICY_KIND_LABELS = {
  law_draft: '法律草案',
  administrative_regulation_draft: '行政法规草案',
  local_regulation_draft: '地方性法规草案',
  rule: '规章',
  normative_document: '规范性文件',
  other_measure: '其他政策措施',
} as const satisfies Labels;

/** 制定层级: government and legislature measures are reviewed jointly with the market regulator (条例14; 办法30). */
export const ISSUING_LEVEL_LABELS = {
  department: '部门制定',
  government: '县级以上人民政府（办公厅）制定',
  legislature: '人大及其常委会制定',
} as const satisfies Labels;

/** 审查结论 as a name (selects, badges, statistics); the review form prints the full sentences of templates/labels.ts. */
export const CONCLUSION_OUTCOME_LABELS = {
  compliant: '符合公平竞争审查标准',
  compliant_after_revision: '经修改后符合公平竞争审查标准',
  non_compliant: '不符合公平竞争审查标准，不得出台',
  exception: '具有排除、限制竞争效果，但符合例外规定',
} as const satisfies Labels;

/** 条例第十二条 (一)–(四), in the regulation's words; (四) with 办法25's "或者经国务院批准的". */
export const EXCEPTION_SITUATION_LABELS = {
  national_security_development: '为维护国家安全和发展利益',
  technology_innovation: '为促进科学技术进步、增强国家自主创新能力',
  public_interest: '为实现节约能源、保护环境、救灾救助等社会公共利益',
  law_or_state_council: '法律、行政法规规定或者经国务院批准的其他情形',
} as const satisfies Labels;

/** What may lift a `cost-*` concern (条例10). */
export const LEGAL_BASIS_KIND_LABELS = {
  law: '法律',
  administrative_regulation: '行政法规',
  state_council_approval: '国务院批准',
} as const satisfies Labels;

/** 征求意见对象 (条例16; 办法28). */
export const CONSULTATION_AUDIENCE_LABELS = {
  stakeholders: '利害关系人',
  public: '社会公众',
} as const satisfies Labels;

/** 会审 sign-off votes. */
export const VOTE_LABELS = {
  approve: '同意',
  approve_with_changes: '修改后同意',
  reject: '不同意',
} as const satisfies Labels;

export const FINDING_DECISION_LABELS = {
  pending: '待审查',
  confirmed: '已确认',
  dismissed: '已排除',
} as const satisfies Labels;

export const ANALYSIS_STATUS_LABELS = {
  queued: '排队中',
  analysing: '分析中',
  analysed: '已分析',
  failed: '分析失败',
} as const satisfies Labels;

export const RECHECK_SOURCE_LABELS = {
  complaint: '举报',
  spot_check: '抽查',
  evaluation: '定期评估',
  stock_screening: '存量清理',
  other: '其他',
} as const satisfies Labels;

export const POLICY_ACTION_LABELS = {
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
  submit_to_lead: '提交负责人审核',
  return_to_drafter: '退回修改',
  decide_finding: '审查疑似问题',
  carry_decisions: '沿用上一版本的决定',
} as const satisfies Labels;

/** 举报 (条例22; 办法37–38): 补正 within 7 working days, 核查 within 60 days. */
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
} as const satisfies Labels;

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
  recount_deadline: '按放假安排重算期限',
  rate: '评价办理情况',
} as const satisfies Labels;

/** 群众评价 (好差评): the reporter's rating of how a complaint was handled. */
export const RATING_GRADE_LABELS = {
  good: '好评',
  fair: '中评',
  poor: '差评',
} as const satisfies Labels;

/** 抽查 (条例21; 办法39) result of one sampled policy. */
export const SPOT_CHECK_OUTCOME_LABELS = {
  no_problem: '未发现问题',
  problem: '发现问题',
} as const satisfies Labels;

/** 存量政策清理 batches. */
export const SCREENING_BATCH_STATE_LABELS = {
  running: '进行中',
  paused: '已暂停',
  cancelled: '已取消',
  completed: '已完成',
  failed: '失败',
} as const satisfies Labels;

export const SCREENING_DOCUMENT_STATUS_LABELS = {
  queued: '待筛查',
  screened: '已筛查',
  failed: '无法读取',
  cancelled: '未筛查（批次已取消）',
} as const satisfies Labels;

/** The clean-up list's suggested disposition of a screened document (清理意见). */
export const DISPOSITION_LABELS = {
  abolish: '废止',
  revise: '修订',
  manual: '需人工判断',
  keep: '保留',
} as const satisfies Labels;

/** The four categories of the checklist (条例第八条至第十一条). */
export const CHECKLIST_CATEGORY_LABELS = {
  entry: '市场准入和退出',
  flow: '商品和要素自由流动',
  cost: '影响生产经营成本',
  behavior: '影响生产经营行为',
} as const satisfies Labels;

/**
 * The DOCX reports by kind (keys: templates/index.ts REPORT_KINDS, which type-checks against this map); also the
 * stem of the downloaded file's name.
 */
export const REPORT_KIND_LABELS = {
  review_form: '公平竞争审查表',
  annotated_draft: '审查批注稿',
  joint_review_opinion: '会审意见书',
  evaluation_summary: '第三方评估报告摘要',
  complaint_reply: '举报答复函',
  statistics: '公平竞争审查工作统计报告',
} as const satisfies Labels;

/**
 * The Chinese name of every request field and precondition the API names (in a 400's `issues`, a 422's
 * `missing`), so the server's messages and the forms say the same words and no field name leaks to a user.
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  analysedVersion: '已完成分析的文本版本',
  evaluation: '第三方评估',
  version: '文本版本',
  newVersion: '复查开始后上传的新版本',
  revisedVersion: '修改后的文本（“经修改后符合”须先上传修改稿并完成分析）',
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
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  departmentId: '所属单位',
  role: '角色',
  active: '启用状态',
  code: '单位代码',
  name: '名称',
  notice: '放假通知',
  periods: '放假安排',
  adjustedWorkdays: '调休上班日',
  findingId: '疑似问题',
  undecidedFindings: '未确认或排除的疑似问题',
  page: '页码',
  pageSize: '每页条数',
};
