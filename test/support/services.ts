/**
 * Access to the real services `npm test` started (MONGODB_URI, REDIS_URL), with per-suite isolation:
 * each suite gets its own database name and its own BullMQ key prefix.
 */
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectStore } from '../../server/db/connection';

export function requireEnv(name: 'MONGODB_URI' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through \`npm test\`, which starts the store and Redis`);
  return value;
}

/** The test store's URI with a fresh database name, so suites never see each other's data. */
export function isolatedStoreUri(label: string): string {
  const uri = new URL(requireEnv('MONGODB_URI'));
  uri.pathname = `/t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 20)}_${crypto.randomBytes(4).toString('hex')}`;
  return uri.toString();
}

export async function connectIsolatedStore(label: string): Promise<Connection> {
  return connectStore(isolatedStoreUri(label));
}

export function uniquePrefix(label: string): string {
  return `t-${label}-${crypto.randomBytes(4).toString('hex')}`;
}
