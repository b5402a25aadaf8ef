import type { RequestHandler } from 'express';
import { Types } from 'mongoose';
import type { Models } from '../db/models/index';
import { toActor } from '../domain/roles';
import { SESSION_COOKIE, type SessionTokens } from '../auth/tokens';

/**
 * Sets req.actor from a bearer token or the session cookie. A missing or invalid token leaves the request
 * anonymous; endpoints that need a user answer 401. The user is re-read on every request so a deactivated
 * account, a changed role or a revoked session takes effect at once.
 */
export function authenticate({ models }: { models: Models }, tokens: SessionTokens): RequestHandler {
  return async (req, _res, next) => {
    try {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (req.cookies?.[SESSION_COOKIE] as string | undefined);
      if (token) {
        const claims = await tokens.verify(token);
        if (claims && Types.ObjectId.isValid(claims.userId)) {
          const user = await models.User.findById(claims.userId).lean();
          // a token from before the user's last logout or password change is revoked
          if (user?.active && (user.sessionEpoch ?? 0) === claims.epoch) req.actor = toActor(user);
        }
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
