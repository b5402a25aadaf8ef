import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { AppDeps } from '../appDeps';
import { SessionTokens } from '../auth/tokens';
import { openApiDocument, type ApiRouter } from '../http/endpoint';
import { authenticate } from '../middleware/authenticate';
import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { complaintRoutes } from './complaints';
import { departmentRoutes } from './departments';
import { findingRoutes } from './findings';
import { metaRoutes } from './meta';
import { notificationRoutes } from './notifications';
import { policyRoutes } from './policies';
import { policyVersionRoutes } from './policyVersions';
import { readingRoutes } from './reading';
import { reportRoutes } from './reports';
import { reviewRoutes } from './reviews';
import { screeningRoutes } from './screening';
import { spotCheckRoutes } from './spotChecks';
import { statsRoutes } from './stats';
import { taskRoutes } from './tasks';
import { userRoutes } from './users';

/** Mounts every resource router under /api/v1 (one file per resource in this folder) and the API docs. */
export function apiRoutes(deps: AppDeps): { api: Router; docs: Router } {
  const tokens = new SessionTokens(deps.config.AUTH_SECRET);
  const routers: ApiRouter[] = [
    authRoutes(deps, tokens),
    policyRoutes(deps),
    reviewRoutes(deps),
    policyVersionRoutes(deps),
    readingRoutes(deps),
    findingRoutes(deps),
    userRoutes(deps),
    reportRoutes(deps),
    complaintRoutes(deps),
    spotCheckRoutes(deps),
    statsRoutes(deps),
    notificationRoutes(deps),
    taskRoutes(deps),
    metaRoutes(deps),
    departmentRoutes(deps),
    adminRoutes(deps),
    screeningRoutes(deps),
  ];
  const api = Router();
  api.use(authenticate(deps, tokens));
  for (const r of routers) api.use(r.router);

  const document = openApiDocument(routers, { title: 'FairReview API 公平竞争审查', version: deps.version });
  api.get('/openapi.json', (_req, res) => { res.json(document); });
  const docs = Router();
  docs.use('/', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'FairReview API' }));
  return { api, docs };
}
