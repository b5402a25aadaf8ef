/**
 * The API client: same-origin calls under /api/v1 with the httpOnly session cookie. Failures become an ApiError
 * carrying the problem+json fields ({title, detail, code, status, missing?, issues?}); nothing else escapes.
 */

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `请求失败（HTTP ${status}）`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? '';
    this.title = problem.title ?? '';
    this.detail = problem.detail ?? '';
    this.missing = Array.isArray(problem.missing) ? problem.missing : [];
    // zod validation answers `issues`, domain validation `problems`; both are [{path, message}]
    const issues = Array.isArray(problem.issues) ? problem.issues : Array.isArray(problem.problems) ? problem.problems : [];
    this.issues = issues.filter((i) => i && typeof i === 'object');
    /** findings a conclusion found undecided: [{id, itemId, path}] */
    this.undecidedFindings = Array.isArray(problem.undecidedFindings) ? problem.undecidedFindings : [];
  }
}

function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The problem of a failed response, or a Chinese stand-in when the body is not problem+json. */
async function problemOf(res) {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await res.json();
      if (body && typeof body === 'object') return body;
    } catch {
      // fall through to the generic message
    }
  }
  const generic = {
    404: '请求的资源不存在',
    413: '文件或请求内容过大',
    429: '请求过于频繁，请稍后再试',
    502: '服务暂不可用，请稍后再试',
    503: '服务暂不可用，请稍后再试',
  };
  return { title: '请求失败', detail: generic[res.status] ?? `服务器返回错误（HTTP ${res.status}）`, status: res.status };
}

/** Paths whose 401 is an answer, not a lapsed session. */
const SILENT_401 = ['/auth/login', '/auth/me'];

async function request(method, path, { query, json, form } = {}) {
  const init = { method, credentials: 'same-origin', headers: { accept: 'application/json, application/problem+json' } };
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = form; // the browser sets the multipart boundary
  }
  let res;
  try {
    res = await fetch(BASE + withQuery(path, query), init);
  } catch {
    throw new ApiError(0, { title: '网络错误', detail: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    const error = new ApiError(res.status, await problemOf(res));
    if (res.status === 401 && !SILENT_401.includes(path)) window.dispatchEvent(new CustomEvent('fr:unauthenticated'));
    throw error;
  }
  if (res.status === 204) return {};
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : {};
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, json = {}) => request('POST', path, { json }),
  put: (path, json = {}) => request('PUT', path, { json }),
  patch: (path, json = {}) => request('PATCH', path, { json }),
  upload: (path, form) => request('POST', path, { form }),
  /** A same-origin URL for links (downloads). */
  url: (path, query) => BASE + withQuery(path, query),
};

/** Calls `step` every `intervalMs` until `done(result)` or the signal aborts; returns the last result. */
export async function poll(step, done, { intervalMs = 1000, signal, maxMs = 10 * 60_000 } = {}) {
  const until = Date.now() + maxMs;
  for (;;) {
    const result = await step();
    if (done(result) || signal?.aborted || Date.now() > until) return result;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    if (signal?.aborted) return result;
  }
}
