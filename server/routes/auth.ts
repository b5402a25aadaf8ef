import bcrypt from 'bcryptjs';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { RateLimitedError, UnauthenticatedError } from '../domain/errors';
import { SESSION_COOKIE, type SessionTokens } from '../auth/tokens';
import { userAllowedActions } from '../domain/permissions/allowedActions';

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** A hash of a password nobody has, so an unknown user costs as much time as a wrong password. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

export function authRoutes(deps: AppDeps, tokens: SessionTokens): ApiRouter {
  const api = new ApiRouter();

  // Failed logins per client address and username: 10 per 15 minutes, counted in Redis so that every
  // server instance shares the tally. Successful logins do not count.
  api.router.post('/auth/login', rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { username?: unknown })?.username ?? '')}`,
    store: new RedisStore({
      prefix: `${deps.config.QUEUE_PREFIX}:login:`,
      sendCommand: (command: string, ...args: string[]) => deps.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, _res, next) => next(new RateLimitedError('too_many_login_attempts', '登录失败次数过多，请15分钟后再试')),
  }));

  api.endpoint({ method: 'post', path: '/auth/login', summary: '登录，返回令牌并设置会话 Cookie', tag: 'auth', auth: 'public', body: loginBody, responses: { 401: '用户名或密码错误', 429: '尝试过于频繁' } }, async ({ body, res }) => {
    const user = await deps.models.User.findOne({ username: body.username, active: true }).lean();
    const ok = await bcrypt.compare(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new UnauthenticatedError('invalid_credentials', '用户名或密码错误');
    const { token, expiresAt } = await tokens.issue(String(user._id));
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: deps.config.NODE_ENV === 'production', expires: expiresAt, path: '/' });
    const department = await deps.models.Department.findById(user.departmentId).lean();
    return { token, expiresAt, user: publicUser(user, department?.name) };
  });

  api.endpoint({ method: 'post', path: '/auth/logout', summary: '退出登录（清除会话 Cookie）', tag: 'auth', auth: 'public' }, async ({ res }) => {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
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
