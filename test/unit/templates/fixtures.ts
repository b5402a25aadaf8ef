/** Inputs shared by the template tests: the 19 canonical checklist items (regulations.md §7) and text generators. */

export const CHECKLIST_ITEMS: readonly { id: string; title: string }[] = [
  { id: 'entry-1', title: '违法设置市场准入审批程序' },
  { id: 'entry-2', title: '违法设置或授予特许经营权' },
  { id: 'entry-3', title: '限定经营、购买、使用特定经营者的商品' },
  { id: 'entry-4', title: '不合理或歧视性的准入、退出条件' },
  { id: 'entry-5', title: '其他限制或者变相限制市场准入和退出的内容' },
  { id: 'flow-1', title: '限制外地/进口商品、要素进入，阻碍迁出或输出' },
  { id: 'flow-2', title: '排斥、限制、强制外地经营者在本地投资或设分支机构' },
  { id: 'flow-3', title: '排斥、限制外地经营者参加本地政府采购、招标投标' },
  { id: 'flow-4', title: '对外地或进口商品、要素设歧视性收费、价格、补贴' },
  { id: 'flow-5', title: '资质标准、监管执法方面歧视外地经营者' },
  { id: 'flow-6', title: '其他限制商品、要素自由流动的内容' },
  { id: 'cost-1', title: '给予特定经营者税收优惠' },
  { id: 'cost-2', title: '选择性、差异化的财政奖励或补贴' },
  { id: 'cost-3', title: '要素获取、行政事业性收费、政府性基金、社会保险费优惠' },
  { id: 'cost-4', title: '其他影响生产经营成本的内容' },
  { id: 'behavior-1', title: '强制、组织、便利垄断行为' },
  { id: 'behavior-2', title: '越权定价、为特定经营者提供优惠价格' },
  { id: 'behavior-3', title: '违法干预市场调节价' },
  { id: 'behavior-4', title: '其他影响生产经营行为的内容' },
];

export const XML_SPECIAL = `A&B <C> "D" 'E' &amp; </w:t>`;

const CLAUSES = [
  '政府采购项目同等条件下优先采购本地企业产品',
  '参与企业须在本市设立独立法人子公司',
  '对新迁入本区的总部企业按其地方财政贡献给予奖励',
  '新建充电设施统一由市城投公司建设运营',
  '外地产品进入本市销售前须重新检测',
];

/** A numbered article of about `length` characters, built from realistic clause fragments. */
export function articleText(n: number, length: number): string {
  let text = `第${n}条 `;
  for (let i = 0; text.length < length; i++) text += `${CLAUSES[(n + i) % CLAUSES.length]}；`;
  return `${text.slice(0, length - 1)}。`;
}

/** Units laid end to end with a one-character separator between them, as an extractor's newline would leave. */
export function layOut(texts: readonly string[], kind: 'article' | 'paragraph' = 'article') {
  let offset = 0;
  return texts.map((text, i) => {
    const unit = { path: `第${i + 1}条`, text, start: offset, kind };
    offset += text.length + 1;
    return unit;
  });
}

export function documentText(units: readonly { text: string; start: number }[]): string {
  const last = units[units.length - 1];
  const chars = new Array<string>(last ? last.start + last.text.length : 0).fill('\n');
  for (const unit of units) for (let i = 0; i < unit.text.length; i++) chars[unit.start + i] = unit.text[i] as string;
  return chars.join('');
}
