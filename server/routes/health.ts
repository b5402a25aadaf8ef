import { Router } from 'express';
import type { AppDeps } from '../appDeps';
import { pingStore, withTimeout } from '../db/connection';

type PartStatus = 'ok' | 'down';

/** GET /health → {store, redis, version}; 200 only when both are reachable, 503 naming the failing part. */
export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [store, redis] = await Promise.all([
      check(() => pingStore(deps.store)),
      check(() => withTimeout(deps.redis.ping(), 1500, 'redis ping timed out')),
    ]);
    const healthy = store === 'ok' && redis === 'ok';
    const down = [store === 'down' ? 'store' : null, redis === 'down' ? 'redis' : null].filter(Boolean);
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', store, redis, version: deps.version, ...(healthy ? {} : { down }) });
  });
  return router;
}

async function check(probe: () => Promise<unknown>): Promise<PartStatus> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'down';
  }
}
