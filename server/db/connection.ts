import mongoose, { type Connection } from 'mongoose';

/**
 * Opens a connection of our own (no global mongoose state, so tests can hold several).
 * - sanitizeFilter: a value like {"$gt": ""} arriving where a filter expects a value is wrapped in $eq,
 *   never run as an operator (request bodies are validated before this too).
 * - bufferCommands off and short selection timeouts: when the store is down, calls fail fast with an error
 *   instead of queueing forever; the driver reconnects by itself when the store returns.
 * - autoIndex: indexes are built when a model is first bound (unique usernames, etc.).
 */
export async function connectStore(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    sanitizeFilter: true,
    bufferCommands: false,
    serverSelectionTimeoutMS: 3000,
    heartbeatFrequencyMS: 2000,
    autoIndex: true,
  });
  await connection.asPromise();
  return connection;
}

/** Pings the store with a time limit; used by /health. */
export async function pingStore(connection: Connection, timeoutMs = 1500): Promise<void> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) throw new Error('store not connected');
  await withTimeout(db.command({ ping: 1 }), timeoutMs, 'store ping timed out');
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
