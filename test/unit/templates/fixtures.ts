/** Inputs shared by the template tests: the 19 checklist items (titles from checklists/) and text generators. */

export { CHECKLIST_ITEMS } from '../../../scripts/sample-data.js';

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
