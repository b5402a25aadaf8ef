/** Who the signed-in user is to this policy (the server decides; this only chooses what to offer). */

export function isDraftingStaff(page) {
  const { user, policy } = page;
  return ['drafter', 'drafting_lead'].includes(user.role) && user.departmentId === policy.draftingDepartmentId;
}
