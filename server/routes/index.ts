import { Router } from 'express';
import type { AppDeps } from '../app';

/** Mounts every resource router under /api/v1 (one file per resource in this folder). */
export function apiRoutes(_deps: AppDeps): Router {
  const router = Router();
  return router;
}
