/**
 * Reviewers' decisions as labelled clauses, in the training format of the clause model (one JSON object per
 * line: id, text, label, item, note), so a deployment can retrain on its own reviewers' work:
 *   npx fairreview export-decisions > decisions.jsonl
 *   npm run train -- --with decisions.jsonl
 * A confirmed finding makes its clause a violation of the finding's item; a dismissed one makes it compliant,
 * unless another finding on the same clause text was confirmed (a clause can breach one item and not another).
 */
import { FindingRepository } from '../db/findingRepository';
import type { Models } from '../db/models/index';

export interface DecisionClause {
  id: string;
  text: string;
  label: 'violation' | 'compliant';
  item: string | null;
  note: string;
}

/** Decided findings, oldest first, turned into one labelled clause per distinct clause text. */
export async function exportDecisions(models: Models): Promise<DecisionClause[]> {
  const decided = await new FindingRepository(models).decided();
  const byText = new Map<string, DecisionClause>();
  for (const f of decided) {
    const text = f.text.trim();
    if (text.length === 0) continue;
    const confirmed = f.status === 'confirmed';
    const existing = byText.get(text);
    if (existing && (existing.label === 'violation' || !confirmed)) continue;
    byText.set(text, {
      id: `decision-${f.id}`,
      text,
      label: confirmed ? 'violation' : 'compliant',
      item: confirmed ? f.itemId : null,
      note: `审查人员${confirmed ? '确认' : '排除'}（${f.itemId}）${f.reason ? `：${f.reason}` : ''}`,
    });
  }
  return [...byText.values()];
}
