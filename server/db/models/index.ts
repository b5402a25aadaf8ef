import type { Connection } from 'mongoose';
import { departmentModel } from './department';
import { userModel } from './user';

/** Every model bound to one connection; routes and processors receive this, never the global mongoose. */
export function bindModels(connection: Connection) {
  return {
    Department: departmentModel(connection),
    User: userModel(connection),
  };
}

export type Models = ReturnType<typeof bindModels>;

/** Builds indexes (unique constraints) before the app serves requests. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.init();
}
