/**
 * What the signed-in user may do with a resource, as the API says in its `allowedActions`
 * ([{action, allowed, reason?, kind?, policyId?}]): the UI offers exactly those, shows the reason of those not
 * yet possible, and keeps no role rules of its own. The server checks everything again.
 *
 * Returns { allowed: Set of action names, blocked: [{ action, reason }], reports: Map kind → { allowed, reason },
 *           policies: Set of policy ids (a spot check's `record_result`) }.
 */
export function actionsOf(resource) {
  const allowed = new Set();
  const blocked = [];
  const reports = new Map();
  const policies = new Set();
  for (const entry of resource?.allowedActions ?? []) {
    if (entry.action === 'request_report') {
      reports.set(entry.kind, { allowed: entry.allowed, reason: entry.reason ?? '' });
      continue;
    }
    if (entry.allowed && entry.policyId) policies.add(entry.policyId);
    if (entry.allowed) allowed.add(entry.action);
    else if (entry.reason) blocked.push({ action: entry.action, reason: entry.reason });
  }
  return { allowed, blocked, reports, policies };
}
