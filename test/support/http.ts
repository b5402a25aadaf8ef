/** A tiny JSON client for the HTTP integration tests. */
export interface JsonResponse<T = Record<string, unknown>> { status: number; body: T; headers: Headers }

export function client(baseUrl: string, token?: string) {
  async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body ?? {}, headers),
    put: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('PUT', path, body ?? {}),
    patch: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('PATCH', path, body ?? {}),
    delete: <T = Record<string, unknown>>(path: string) => call<T>('DELETE', path),
  };
}

export async function login(baseUrl: string, username: string, password = 'demo1234'): Promise<string> {
  const res = await client(baseUrl).post<{ token: string }>('/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
