/** The signed-in user (null when signed out), shared by the shell, the router guard and the screens. */
import { reactive } from 'vue';
import { api } from './api.js';
import { actionsOf } from './actions.js';
import { forgetUsers } from './users.js';

/** `actions`: what the user may start (GET /auth/me `allowedActions`), for the navigation and the "new" buttons. */
export const session = reactive({ user: null, actions: actionsOf(null) });

export async function loadSession() {
  try {
    const me = await api.get('/auth/me');
    session.user = me.user ?? null;
    session.actions = actionsOf(me);
  } catch {
    session.user = null;
    session.actions = actionsOf(null);
  }
}

/** After signing in: the user and what they may do, as /auth/me says. */
export async function signedIn() {
  forgetUsers();
  await loadSession();
}

export function signOut() {
  session.user = null;
  session.actions = actionsOf(null);
  forgetUsers();
}

/** Whether the signed-in user may start `action` (create_policy, list_complaints, view_statistics, …). */
export const may = (action) => session.actions.allowed.has(action);

/** Whether the signed-in user may request a report of `kind` that is about no one resource (statistics). */
export const mayReport = (kind) => session.actions.reports.get(kind)?.allowed === true;

/** Where everyone starts once signed in: what awaits them. */
export function homeFor(user) {
  return user ? '/tasks' : '/login';
}
