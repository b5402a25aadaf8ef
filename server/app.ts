import express from 'express';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './appDeps';
import { appMetrics } from './http/metrics';
import { notFoundHandler, problemHandler } from './middleware/problem';
import { noStore, sameOriginForCookieSessions, securityHeaders } from './middleware/security';
import { healthRoutes } from './routes/health';
import { apiRoutes } from './routes/index';

export type { AppDeps } from './appDeps';

/** The built web UI (web/ → web/dist by Vite; npm start and npm test build it when its sources changed). */
const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

/** A reporter's access code travels in the complaint status query string; it must not reach the logs. */
function redactAccessCode<T extends { url?: string; query?: Record<string, unknown> }>(req: T): T {
  if (!req.url || !/accessCode=/i.test(req.url)) return req;
  return {
    ...req,
    url: req.url.replace(/accessCode=[^&]*/gi, 'accessCode=[redacted]'),
    ...(req.query ? { query: { ...req.query, accessCode: '[redacted]' } } : {}),
  };
}

/** Builds the Express app from its dependencies; no listen and no global state, so tests build their own. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(deps.config.TRUST_PROXY));
  app.use(pinoHttp({ logger: deps.logger, autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' }, serializers: { req: redactAccessCode } }));
  const metrics = appMetrics(deps);
  app.use(metrics.recordRequests);
  app.use(securityHeaders());
  app.use(express.json({ limit: '1mb', strict: true }));
  app.use(cookieParser());
  app.use(healthRoutes(deps));
  app.use(metrics.routes);
  const { api, docs } = apiRoutes(deps);
  app.use('/api/v1', noStore, sameOriginForCookieSessions, api);
  app.use('/api/docs', docs);
  // Hashed asset names never change content: cache them for a year; index.html is revalidated every time.
  app.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d' }));
  app.use(express.static(webDir, { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}

/** 'false'/'true', a hop count, or addresses/subnets as Express understands them. */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
