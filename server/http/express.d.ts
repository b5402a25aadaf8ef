import type { Actor } from '../domain/roles';

declare global {
  namespace Express {
    interface Request {
      /** The logged-in user, set by the authenticate middleware. */
      actor?: Actor;
    }
  }
}

export {};
