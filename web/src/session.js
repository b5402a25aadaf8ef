/** The signed-in user (null when signed out), shared by the shell, the router guard and the screens. */
import { reactive } from 'vue';
import { api } from './api.js';
import { forgetUsers } from './users.js';

export const session = reactive({ user: null, checked: false });

export async function loadSession() {
  try {
    session.user = (await api.get('/auth/me')).user ?? null;
  } catch {
    session.user = null;
  }
  session.checked = true;
}

export function setUser(user) {
  session.user = user;
  forgetUsers();
}

/** Where each role starts. */
export function homeFor(user) {
  if (!user) return '/login';
  if (user.role === 'complaint_handler') return '/complaints';
  return '/policies';
}
