/**
 * The 19 checklist items of the 2024 《公平竞争审查条例》 (条例8–11), for the self-review form.
 * A copy of checklists/data/items/*.json (id, title, article): the API has no endpoint that lists them yet.
 */
export const CHECKLIST_ITEMS = [
  { id: 'entry-1', title: '违法设置市场准入审批程序', basis: '《公平竞争审查条例》第八条第（一）项' },
  { id: 'entry-2', title: '违法设置或者授予特许经营权', basis: '《公平竞争审查条例》第八条第（二）项' },
  { id: 'entry-3', title: '限定经营、购买或者使用特定经营者提供的商品和服务', basis: '《公平竞争审查条例》第八条第（三）项' },
  { id: 'entry-4', title: '设置不合理或者歧视性的准入、退出条件', basis: '《公平竞争审查条例》第八条第（四）项' },
  { id: 'entry-5', title: '其他限制市场准入和退出的内容（兜底）', basis: '《公平竞争审查条例》第八条第（五）项' },
  { id: 'flow-1', title: '限制外地或者进口商品、要素进入本地市场，或者阻碍本地经营者迁出、商品要素输出', basis: '《公平竞争审查条例》第九条第（一）项' },
  { id: 'flow-2', title: '排斥、限制、强制外地经营者在本地投资经营或者设立分支机构', basis: '《公平竞争审查条例》第九条第（二）项' },
  { id: 'flow-3', title: '排斥、限制外地经营者参加本地政府采购、招标投标活动', basis: '《公平竞争审查条例》第九条第（三）项' },
  { id: 'flow-4', title: '对外地或者进口商品、要素设置歧视性收费项目、收费标准、价格或者补贴', basis: '《公平竞争审查条例》第九条第（四）项' },
  { id: 'flow-5', title: '在资质标准、监管执法等方面对外地经营者设置歧视性要求', basis: '《公平竞争审查条例》第九条第（五）项' },
  { id: 'flow-6', title: '其他限制商品、要素自由流动的内容（兜底）', basis: '《公平竞争审查条例》第九条第（六）项' },
  { id: 'cost-1', title: '给予特定经营者税收优惠', basis: '《公平竞争审查条例》第十条第（一）项' },
  { id: 'cost-2', title: '给予特定经营者选择性、差异化的财政奖励或者补贴', basis: '《公平竞争审查条例》第十条第（二）项' },
  { id: 'cost-3', title: '在要素获取、行政事业性收费、政府性基金、社会保险费等方面给予特定经营者优惠', basis: '《公平竞争审查条例》第十条第（三）项' },
  { id: 'cost-4', title: '其他影响生产经营成本的内容（兜底）', basis: '《公平竞争审查条例》第十条第（四）项' },
  { id: 'behavior-1', title: '强制或者变相强制经营者实施垄断行为，或者为其提供便利条件', basis: '《公平竞争审查条例》第十一条第（一）项' },
  { id: 'behavior-2', title: '超越定价权限进行政府定价，或者违法提供优惠价格', basis: '《公平竞争审查条例》第十一条第（二）项' },
  { id: 'behavior-3', title: '违法干预实行市场调节价的商品和服务的价格水平', basis: '《公平竞争审查条例》第十一条第（三）项' },
  { id: 'behavior-4', title: '其他影响生产经营行为的内容（兜底）', basis: '《公平竞争审查条例》第十一条第（四）项' },
];

export const CATEGORY_LABELS = { entry: '市场准入和退出', flow: '商品和要素自由流动', cost: '影响生产经营成本', behavior: '影响生产经营行为' };

const byId = new Map(CHECKLIST_ITEMS.map((item) => [item.id, item]));

export function checklistTitle(id) {
  return byId.get(id)?.title ?? '';
}

export function isCostItem(id) {
  return id.startsWith('cost-');
}
