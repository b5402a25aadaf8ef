import bcrypt from 'bcryptjs';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { UnauthenticatedError } from '../domain/errors';
import { limitRequests } from '../middleware/rateLimit';
import { SESSION_COOKIE, type SessionTokens } from '../auth/tokens';
import { userAllowedActions } from '../domain/permissions/allowedActions';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

const passwordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(8, '新密码至少 8 个字符').max(200),
});

/** A hash of a password nobody has, so an unknown user costs as much time as a wrong password. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

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
    const user = await deps.models.User.findOne({ username: body.username, active: true }).lean();
    const ok = await bcrypt.compare(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new UnauthenticatedError('invalid_credentials', '用户名或密码错误');
    const { token, expiresAt } = await tokens.issue(String(user._id), user.sessionEpoch ?? 0);
    setSessionCookie(res, token, expiresAt);
    const department = await deps.models.Department.findById(user.departmentId).lean();
    return { token, expiresAt, user: publicUser(user, department?.name) };
  });

  api.endpoint({ method: 'post', path: '/auth/logout', summary: '退出登录（清除会话 Cookie，并使该用户此前签发的全部令牌失效）', tag: 'auth', auth: 'public' }, async ({ actor, res }) => {
    if (actor) await deps.models.User.updateOne({ _id: actor.id }, { $inc: { sessionEpoch: 1 } });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  api.endpoint({ method: 'post', path: '/auth/password', summary: '修改密码（需当前密码；此前签发的全部令牌失效，返回新令牌）', tag: 'auth', auth: 'user', body: passwordBody, responses: { 401: '当前密码错误' } }, async ({ actor, body, res }) => {
    const user = await deps.models.User.findById(actor.id).lean();
    if (!user || !(await bcrypt.compare(body.currentPassword, user.passwordHash))) throw new UnauthenticatedError('invalid_credentials', '当前密码错误');
    const updated = await deps.models.User.findOneAndUpdate(
      { _id: actor.id },
      { $set: { passwordHash: await bcrypt.hash(body.newPassword, 10) }, $inc: { sessionEpoch: 1 } },
      { new: true },
    ).lean();
    const { token, expiresAt } = await tokens.issue(actor.id, updated?.sessionEpoch ?? 0);
    setSessionCookie(res, token, expiresAt);
    return { token, expiresAt };
  });

  api.endpoint({ method: 'get', path: '/auth/me', summary: '当前登录用户', tag: 'auth', auth: 'user' }, async ({ actor }) => {
    const user = await deps.models.User.findById(actor.id).lean();
    const department = await deps.models.Department.findById(actor.departmentId).lean();
    return { user: publicUser(user!, department?.name), allowedActions: userAllowedActions(actor) };
  });

  return api;
}

export function publicUser(user: { _id: unknown; username: string; displayName: string; role: string; departmentId: unknown }, departmentName?: string) {
  return { id: String(user._id), username: user.username, displayName: user.displayName, role: user.role, departmentId: String(user.departmentId), departmentName: departmentName ?? '' };
}
