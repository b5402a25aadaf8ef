/**
 * People's names where users read them: the display name of every account a record refers to by id (who
 * uploaded, decided, signed, was asked to evaluate…), never a username or a bare id. Names of colleagues are
 * not confidential inside the system; the reporter of a complaint is not an account and never appears here.
 */
import mongoose from 'mongoose';
import type { Policy } from '../domain/policy';
import { isObjectIdHex } from '../db/storedValues';
import type { Models } from '../db/models/index';

/** What the history names when no user acted (decisions carried to a new version, deadline jobs). */
const SYSTEM_NAME = '系统（自动）';
/** A complaint's reporter acts under `reporter:<refNo>`; their name is confidential and never shown here. */
const REPORTER_NAME = '举报人';

/** id → display name for the given ids ('system' and reporters included); unknown ids are left out. */
export async function displayNames(models: Models, ids: Iterable<string | null | undefined>): Promise<Record<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  const users = await models.User.find({ _id: mongoose.trusted({ $in: wanted.filter(isObjectIdHex) }) }, { displayName: 1 }).lean();
  const names: Record<string, string> = Object.fromEntries(users.map((u) => [String(u._id), u.displayName]));
  if (wanted.includes('system')) names.system = SYSTEM_NAME;
  for (const id of wanted) if (id.startsWith('reporter:')) names[id] = REPORTER_NAME;
  return names;
}

/** A history's events with each actor's display name beside the username the event was sealed with. */
export function withActorNames<E extends { actor: { id: string; username: string } }>(events: readonly E[], names: Record<string, string>): E[] {
  return events.map((e) => ({ ...e, actor: { ...e.actor, displayName: names[e.actor.id] ?? e.actor.username } }));
}

/** Every account a policy's record and history refer to. */
export function peopleOf(policy: Policy): string[] {
  return [
    policy.createdBy,
    ...policy.versions.map((v) => v.uploadedBy),
    ...(policy.jointReview ? [policy.jointReview.requestedBy, ...policy.jointReview.members, ...policy.jointReview.signOffs.map((s) => s.memberId)] : []),
    ...policy.evaluations.flatMap((e) => [e.evaluatorId, e.requestedBy]),
    policy.conclusion?.concludedBy,
    policy.handover?.submittedBy,
    policy.handover?.returnedBy,
    ...policy.events.map((e) => e.actor.id),
  ].filter((id): id is string => Boolean(id));
}
