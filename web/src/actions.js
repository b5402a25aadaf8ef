/**
 * What the signed-in user may do with a resource, as the API says: `allowedActions` (each with the reason when
 * not yet possible) when the server sends it, else the older `availableActions` / `availableRecordActions`
 * lists. The UI keeps no role rules of its own; the server checks everything again.
 *
 * Returns { allowed: Set of action names, blocked: [{ action, reason }] }.
 */
export function actionsOf(resource, user = null) {
  const allowed = new Set();
  const blocked = [];
  const listed = resource?.allowedActions;
  if (Array.isArray(listed) || (listed && typeof listed === 'object')) {
    const entries = Array.isArray(listed)
      ? listed.map((a) => (typeof a === 'string' ? { action: a, allowed: true } : a))
      : Object.entries(listed).map(([action, v]) => ({ action, ...(typeof v === 'object' ? v : { allowed: Boolean(v) }) }));
    for (const entry of entries) {
      const action = entry.action ?? entry.name;
      if (!action) continue;
      if (entry.allowed !== false) allowed.add(action);
      else if (entry.reason) blocked.push({ action, reason: entry.reason });
    }
    return { allowed, blocked };
  }
  for (const action of [...(resource?.availableActions ?? []), ...(resource?.availableRecordActions ?? [])]) allowed.add(action);
  // Older servers do not list finding decisions: drafting staff and regulators decide while under review.
  if (user && FINDING_REVIEW_STATES.includes(resource?.state)
    && ((['drafter', 'drafting_lead'].includes(user.role) && user.departmentId === resource.draftingDepartmentId) || user.role === 'regulator')) {
    allowed.add('decide_finding');
  }
  return { allowed, blocked };
}

const FINDING_REVIEW_STATES = ['draft', 'self_review', 'joint_review', 'third_party_evaluation', 'recheck'];
