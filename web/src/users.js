/**
 * Users by role (GET /users?role=), cached for the signed-in user, to pick members and evaluators and to show
 * names. What one may list depends on the role, so the cache is dropped whenever the user changes.
 */
import { api } from './api.js';

const byRole = new Map();
const names = new Map();

/** The users of a role; an empty list when the caller may not list them. */
export async function usersWithRole(role) {
  if (!byRole.has(role)) {
    byRole.set(role, api.get('/users', { role }).then(
      (result) => {
        const users = result.items ?? [];
        for (const u of users) names.set(u.id, u.displayName || u.username);
        return users;
      },
      () => [],
    ));
  }
  return byRole.get(role);
}

/** A display name for a user id we have seen, else the id's short form. */
export function userName(id, fallback) {
  if (!id) return '';
  return names.get(id) ?? fallback ?? `用户（编号尾号 ${String(id).slice(-6)}）`;
}

/** Remembers a name for an id; a display name from the user list wins over a user name from the history. */
export function rememberUser(id, name) {
  if (id && name && !names.has(id)) names.set(id, name);
}

/** Display names the API sent along with a record (`people`: id → name); they replace anything remembered. */
export function rememberNames(people) {
  for (const [id, name] of Object.entries(people ?? {})) if (name) names.set(id, name);
}

/** Forgets every list and name (on sign-in and sign-out). */
export function forgetUsers() {
  byRole.clear();
  names.clear();
}
