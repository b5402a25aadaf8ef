import type { Actor } from '../domain/roles';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The logged-in user, set by the authenticate middleware. */
      actor?: Actor;
    }
  }
}

export {};
