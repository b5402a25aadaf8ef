/**
 * What the server says about itself (GET /api/v1/meta, no login needed): its version, whether it runs in demo
 * mode, and the checklist of the 2024 《公平竞争审查条例》 — the 19 items in the regulation's order with their
 * titles, legal basis and sub-items. The UI keeps no copy of the rulebook.
 *
 * Loaded once at boot; screens that cannot work without the checklist await `loadMeta()` (which asks again
 * after a failure), the synchronous helpers answer '' / [] until it has arrived.
 */
import { api } from './api.js';

let meta = null;
let pending = null;
let byId = new Map();

/** The meta document; one request however often it is asked for, a new one after a failure. */
export function loadMeta() {
  pending ??= api.get('/meta').then(
    (result) => {
      meta = result;
      byId = new Map((result.checklist?.items ?? []).map((item) => [item.id, item]));
      return result;
    },
    (err) => {
      pending = null;
      throw err;
    },
  );
  return pending;
}

/** The 19 checklist items, waiting for the meta document when it has not arrived yet. */
export async function checklistItems() {
  return (await loadMeta()).checklist.items;
}

/** The title of a checklist item, or '' when unknown (or the meta document is not loaded). */
export function checklistTitle(id) {
  return byId.get(id)?.title ?? '';
}

/** How the severities read. */
export const SEVERITY_LABELS = { high: '严重', medium: '较重', low: '一般' };

/** The severity the rulebook gives a checklist item: 'high' | 'medium' | 'low' ('' when unknown). */
export function checklistSeverity(id) {
  return byId.get(id)?.severity ?? '';
}

/** 条例第十条 (影响生产经营成本): a "是" may cite a legal basis. */
export function isCostItem(id) {
  return (byId.get(id)?.category ?? String(id).split('-')[0]) === 'cost';
}

/** '不超过 20 MB': the server's upload size limit in words, or '' until the meta document has arrived. */
export function uploadLimitText() {
  const bytes = meta?.limits?.uploadBytes;
  if (typeof bytes !== 'number') return '';
  return bytes >= 1024 * 1024 ? `不超过 ${Number((bytes / 1024 / 1024).toFixed(1))} MB` : `不超过 ${Math.ceil(bytes / 1024)} KB`;
}

/** Whether the server runs in demo mode (demo accounts seeded); false until known. */
export function isDemo() {
  return meta?.demo === true;
}
