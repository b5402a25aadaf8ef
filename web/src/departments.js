/**
 * The department directory (GET /departments, signed-in users), for the spot-check scope and the statistics
 * filter. The same for every user, so it is kept for the page's life once it has been read; a failed read is
 * not kept, so the next picker asks again.
 */
import { api } from './api.js';

let pending = null;

/** Every department ({id, code, name, kind}); an empty list when it cannot be read. */
export function departments() {
  pending ??= api.get('/departments').then(
    (list) => (Array.isArray(list) ? list : []),
    () => {
      pending = null;
      return [];
    },
  );
  return pending;
}

/** The departments that draft policy measures (what a spot check draws from, what statistics filter by). */
export async function draftingDepartments() {
  return (await departments()).filter((d) => d.kind === 'drafting');
}
