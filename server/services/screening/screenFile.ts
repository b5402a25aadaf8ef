/**
 * Screens one file without the store: extract → analyse at the `screen` operating point → the suggested
 * disposition. The batch worker and the offline CLI both call this, so both give the same results.
 */
import { loadAnalyzer, analyzeDocument, type DocumentAnalysis } from '../../../workers/analysis/analyze';
import { isAppError } from '../../domain/errors';
import type { ChecklistItemId } from '../../domain/policy';
import { suggestDisposition, type DispositionSuggestion, type ScreenedClause, type ScreeningOutcome } from '../../domain/screeningDocument';

export interface ScreenedFile {
  outcome: ScreeningOutcome;
  suggestion: DispositionSuggestion;
}

export interface ScreenFileOptions {
  filename: string;
  /** largest file accepted (the same limit as an upload) */
  maxBytes: number;
}

/** The one place screening calls the analyser: at its `screen` operating point (precision first). */
async function analyse(file: Buffer, options: ScreenFileOptions): Promise<DocumentAnalysis> {
  return analyzeDocument(file, { filename: options.filename, maxBytes: options.maxBytes, point: 'screen' });
}

let itemTitles: Map<string, string> | undefined;
function itemName(id: ChecklistItemId): string {
  itemTitles ??= new Map(loadAnalyzer().checklists.items.map((item) => [item.id, item.title]));
  return `「${itemTitles.get(id) ?? id}」`;
}

/**
 * A document the extractor refuses (wrong type, encrypted, corrupt, too large: its typed 4xx errors) is an
 * outcome with its reason, not an error; anything else (a fault of this process) is thrown, to be retried.
 */
export async function screenFile(file: Buffer, options: ScreenFileOptions): Promise<ScreenedFile> {
  let outcome: ScreeningOutcome;
  try {
    const analysis = await analyse(file, options);
    outcome = {
      status: 'screened',
      format: analysis.document.format,
      chars: analysis.document.text.length,
      checklistVersion: analysis.checklistVersion,
      operatingPoint: analysis.operatingPoint,
      clauses: analysis.findings.map((f): ScreenedClause => ({
        path: f.path,
        text: f.text,
        start: f.start,
        end: f.end,
        itemId: f.itemId,
        ...(f.subItemId ? { subItemId: f.subItemId } : {}),
        score: Math.round(f.score * 1000) / 1000,
        evidence: [...new Set(f.evidence.map((e) => e.phrase))],
        basis: f.basis,
        explanation: f.explanation,
        suggestion: f.suggestion,
        ...(f.page !== undefined ? { page: f.page } : {}),
      })),
    };
  } catch (err) {
    if (!isAppError(err) || err.status >= 500) throw err;
    outcome = { status: 'failed', errorCode: err.code, error: err.message };
  }
  return { outcome, suggestion: suggestDisposition(outcome, itemName) };
}
