/** Shared presentation helpers: badge colours, failure messages and short confirmations. */
import { ElMessage } from 'element-plus';
import { ApiError } from './api.js';

/** Our tones → Element Plus tag types. */
const TAG_TYPES = { neutral: 'info', info: 'primary', success: 'success', warning: 'warning', danger: 'danger' };
export const tagType = (tone) => TAG_TYPES[tone] ?? 'info';

/** Chinese text for any failure; never a stack trace or "undefined". */
export function errorMessage(err) {
  if (err instanceof ApiError) return err.detail || err.title || `请求失败（HTTP ${err.status}）`;
  return '操作失败，请刷新页面后重试';
}

export function toast(message, tone = 'success') {
  ElMessage({ message, type: tone === 'error' ? 'error' : tone, duration: 4000, grouping: true });
}

/**
 * Runs `work` with `state.busy` set and `state.error` cleared; a failure lands in `state.error` (or a toast).
 * Returns the result, or undefined when it failed.
 */
export async function attempt(state, work) {
  state.busy = true;
  state.error = null;
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ApiError)) console.error(err);
    if ('error' in state) state.error = err;
    else toast(errorMessage(err), 'error');
    return undefined;
  } finally {
    state.busy = false;
  }
}
