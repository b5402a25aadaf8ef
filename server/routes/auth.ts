import { ipKeyGenerator } from 'express-rate-limit';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { limitRequests } from '../middleware/rateLimit';
import { SESSION_COOKIE, type SessionTokens } from '../auth/tokens';
import { changePassword, checkCredentials, currentUser, revokeSessions } from '../services/accounts';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

const passwordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(8, '新密码至少 8 个字符').max(200),
});

export function authRoutes(deps: AppDeps, tokens: SessionTokens): ApiRouter {
  const api = new ApiRouter();
  const setSessionCookie = (res: Response, token: string, expiresAt: Date) =>
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: deps.config.NODE_ENV === 'production', expires: expiresAt, path: '/' });

  // Failed logins (successful ones do not count), 15-minute windows, counted in Redis for every server instance:
  // per address and username (a typo-prone user is not locked out by others), per username from any address
  // (guessing one password from many machines), and per address over all usernames (one password sprayed over
  // many accounts).
  const failedLogins = (name: string, limit: number, key: (req: Request) => string, message: string) =>
    limitRequests(deps, { name, windowMs: 15 * 60_000, limit, failedOnly: true, key, code: 'too_many_login_attempts', message });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? '');
  const username = (req: Request) => String((req.body as { username?: unknown })?.username ?? '').trim().toLowerCase();
  api.router.post('/auth/login',
    failedLogins('login-address', 30, address, '此地址登录失败次数过多，请15分钟后再试'),
    failedLogins('login-user', 30, username, '该账号登录失败次数过多，请15分钟后再试'),
    failedLogins('login', 10, (req) => `${address(req)}|${username(req)}`, '登录失败次数过多，请15分钟后再试'),
  );

  api.endpoint({ method: 'post', path: '/auth/login', summary: '登录，返回令牌并设置会话 Cookie', tag: 'auth', auth: 'public', body: loginBody, responses: { 401: '用户名或密码错误', 429: '尝试过于频繁' } }, async ({ body, res }) => {
    const { user, sessionEpoch } = await checkCredentials(deps, body.username, body.password);
    const { token, expiresAt } = await tokens.issue(user.id, sessionEpoch);
    setSessionCookie(res, token, expiresAt);
    return { token, expiresAt, user };
  });

  api.endpoint({ method: 'post', path: '/auth/logout', summary: '退出登录（清除会话 Cookie，并使该用户此前签发的全部令牌失效）', tag: 'auth', auth: 'public' }, async ({ actor, res }) => {
    if (actor) await revokeSessions(deps, actor);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  api.endpoint({ method: 'post', path: '/auth/password', summary: '修改密码（需当前密码；此前签发的全部令牌失效，返回新令牌）', tag: 'auth', auth: 'user', body: passwordBody, responses: { 401: '当前密码错误' } }, async ({ actor, body, res }) => {
    const sessionEpoch = await changePassword(deps, actor, body.currentPassword, body.newPassword);
    const { token, expiresAt } = await tokens.issue(actor.id, sessionEpoch);
    setSessionCookie(res, token, expiresAt);
    return { token, expiresAt };
  });

  api.endpoint({ method: 'get', path: '/auth/me', summary: '当前登录用户', tag: 'auth', auth: 'user' }, ({ actor }) => currentUser(deps, actor));

  return api;
}
