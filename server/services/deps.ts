/** What a use case may need, handed in by its caller (the API app or a worker): never a global. */
import type { Connection } from 'mongoose';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Models } from '../db/models/index';
import type { Queues } from '../queues';

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  /** the store connection (GridFS files) */
  store: Connection;
  models: Models;
  queues: Queues;
  /** the time decisions are made with */
  clock: Clock;
}
