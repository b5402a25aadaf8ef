/**
 * The hardened edge of every response and request:
 * - security headers (helmet): a Content-Security-Policy without inline scripts, nosniff, frame-ancestors 'none',
 *   Referrer-Policy same-origin;
 * - `Cache-Control: no-store` on API answers (they carry personal and unpublished data);
 * - a same-origin check on cookie-authenticated unsafe requests (cross-site request forgery).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { ForbiddenError } from '../domain/errors';
import { SESSION_COOKIE } from '../auth/tokens';

/**
 * The web UI is a Vite-built Vue + Element Plus app served from this origin, and Swagger UI is served from
 * /api/docs: both load scripts only as files from 'self', so no inline script and no eval is allowed.
 * Styles allow 'unsafe-inline' because Element Plus positions popovers, dialogs and tables through inline
 * `style` attributes (and Swagger UI ships a <style> block); inline styles cannot run code, so this keeps the
 * script policy strict at a small cost. Images may be data: URLs (icons in both UIs); ECharts draws on a canvas.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    // The API and UI share one origin; nothing is embedded cross-origin.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** API answers are never stored by a browser or proxy cache. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that changes something and is authenticated by the session cookie must come from a page of this
 * origin. Browsers send `Origin` on every cross-origin request and on same-origin unsafe ones, so a
 * mismatching (or "null") Origin is a forged request; without Origin the Referer decides. A request with
 * neither comes from a program, not a browser page, and is let through, as is one with a bearer token (a page
 * of another origin cannot read the token to send it).
 */
export const sameOriginForCookieSessions: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method) || req.headers.authorization?.startsWith('Bearer ') || !req.cookies?.[SESSION_COOKIE]) return next();
  const source = req.headers.origin ?? req.headers.referer;
  if (source === undefined) return next();
  let host: string | null;
  try {
    host = new URL(source).host;
  } catch {
    host = null;
  }
  // req.host: the Host header, or X-Forwarded-Host behind a trusted proxy (TRUST_PROXY)
  if (host !== null && host === req.host) return next();
  next(new ForbiddenError('cross_origin_request', '拒绝跨站请求：使用登录 Cookie 的修改操作必须来自本系统页面'));
};
