import type { Model, PipelineStage } from 'mongoose';

/**
 * Sums per group with ONE accumulator per $group stage: FerretDB v1 computes only the first accumulator of
 * a $group (later ones come back as 0), so several figures mean several calls. Works the same on MongoDB.
 *   sumBy(Policy, { state: 'published' }, '$draftingDepartmentId')          → counts per department
 *   sumBy(Finding, { decision: 'confirmed' }, '$itemId', '$weight')        → sums of a field per item
 */
export async function sumBy<T>(
  model: Model<T>,
  match: Record<string, unknown>,
  groupBy: string | null,
  value: 1 | `$${string}` = 1,
): Promise<Map<string, number>> {
  const pipeline: PipelineStage[] = [{ $match: match }, { $group: { _id: groupBy, value: { $sum: value } } }];
  const rows = await model.aggregate<{ _id: unknown; value: number }>(pipeline);
  return new Map(rows.map((row) => [String(row._id), row.value]));
}
