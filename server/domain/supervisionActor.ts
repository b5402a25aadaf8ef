/**
 * Who acts on the supervision side (complaints, spot checks).
 *
 * The staff shape is a structural copy of `Actor` in roles.ts, which was being written in parallel and not yet
 * committed when this was; any roles.ts `Actor` is assignable to `StaffActor`. Replace the copy with an import
 * once roles.ts lands. Two pseudo-actors exist only here: the reminder/deadline job (`system`) and the anonymous
 * reporter who proved knowledge of refNo + access code (`reporter`).
 */

export type StaffRole =
  | 'drafter'
  | 'drafting_lead'
  | 'regulator'
  | 'committee_member'
  | 'evaluator'
  | 'complaint_handler'
  | 'admin';

export interface StaffActor {
  readonly id: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly departmentId: string;
}

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
