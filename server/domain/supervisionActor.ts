/**
 * Who acts on the supervision side (complaints, spot checks): staff are the roles.ts `Actor`; two pseudo-actors
 * exist only here: the reminder/deadline job (`system`) and the anonymous reporter who proved knowledge of the
 * case's refNo and access code (`reporter`).
 */
import type { Actor } from './roles';

export type StaffActor = Actor;

export interface SystemActor {
  readonly id: 'system';
  readonly username: 'system';
  readonly role: 'system';
}

/** The reporter, authenticated by the route with the case's refNo and access code. */
export interface ReporterActor {
  readonly id: string;
  readonly username: 'reporter';
  readonly role: 'reporter';
}

export type SupervisionActor = StaffActor | SystemActor | ReporterActor;

export const SYSTEM_ACTOR: SystemActor = { id: 'system', username: 'system', role: 'system' };

export function reporterActor(refNo: string): ReporterActor {
  return { id: `reporter:${refNo}`, username: 'reporter', role: 'reporter' };
}

export function isStaff(actor: SupervisionActor): actor is StaffActor {
  return actor.role !== 'system' && actor.role !== 'reporter';
}
