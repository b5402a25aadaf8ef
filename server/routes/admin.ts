/**
 * 系统管理 (administrators): accounts (create; change name, department, role; disable and enable; reset the
 * password), departments (create, rename) and the working-day calendar (load a year's official holiday
 * schedule). Each endpoint is its schema and one call into services/accountAdmin.ts or services/calendar.ts.
 */
import { z } from 'zod';
import type { AppDeps } from '../appDeps';
import { ApiRouter } from '../http/endpoint';
import { pathId } from '../http/schemas';
import { DEPARTMENT_KINDS, ROLES } from '../domain/roles';
import { listCalendarYears, loadCalendarYear } from '../services/calendar';
import { createAccount, createDepartment, listAccounts, renameDepartment, resetPassword, updateAccount } from '../services/accountAdmin';

const username = z.string()
  .min(3, '用户名至少 3 个字符')
  .max(32, '用户名不能超过 32 个字符')
  .regex(/^[A-Za-z0-9_.-]+$/, '用户名只能由字母、数字、下划线、点和连字符组成');
const displayName = z.string().trim().min(1, '姓名不能为空').max(50, '姓名不能超过 50 个字');
const password = z.string().min(8, '密码至少 8 个字符').max(200, '密码不能超过 200 个字符');
const departmentId = z.string().regex(/^[a-f0-9]{24}$/i, '请从单位列表中选择所属单位');
const idParams = z.strictObject({ id: pathId });
const role = z.enum(ROLES, '请从给定的角色中选择');

const newAccount = z.strictObject({ username, displayName, departmentId, role, password });
const accountChange = z.strictObject({ displayName: displayName.optional(), departmentId: departmentId.optional(), role: role.optional(), active: z.boolean('应为是或否').optional() });
const passwordReset = z.strictObject({ password });
const departmentName = z.string().trim().min(1, '单位名称不能为空').max(100, '单位名称不能超过 100 个字');
const newDepartment = z.strictObject({
  code: z.string().min(2, '单位代码至少 2 个字符').max(32, '单位代码不能超过 32 个字符').regex(/^[a-z0-9_-]+$/, '单位代码只能由小写字母、数字、下划线和连字符组成'),
  name: departmentName,
  kind: z.enum(DEPARTMENT_KINDS, '请从给定的单位类型中选择'),
});
const departmentRename = z.strictObject({ name: departmentName });
const yearParams = z.strictObject({ year: z.coerce.number('年份应为数字').int('年份应为整数').min(2000, '年份不能早于 2000 年').max(2100, '年份不能晚于 2100 年') });
const localDate = z.string().max(10, '日期应为 YYYY-MM-DD');
const schedule = z.strictObject({
  notice: z.string().trim().max(300, '放假通知不能超过 300 个字').default(''),
  periods: z.array(z.strictObject({
    name: z.string().trim().min(1, '假期名称不能为空').max(20, '假期名称不能超过 20 个字'),
    from: localDate,
    to: localDate,
    adjustedWorkdays: z.array(localDate).max(10, '每个假期的调休上班日不能超过 10 天').default([]),
  }), '放假安排应为假期列表').min(1, '至少填写一个假期').max(20, '一年的假期不能超过 20 个'),
});

export function adminRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const forbidden = { 403: '只有系统管理员可以管理账号和单位' };

  api.endpoint({ method: 'get', path: '/admin/users', summary: '全部账号（含已停用）', tag: 'admin', auth: 'user', responses: forbidden },
    ({ actor }) => listAccounts(deps, actor));
  api.endpoint({ method: 'post', path: '/admin/users', summary: '新建账号（用户名、姓名、所属单位、角色、初始密码）', tag: 'admin', auth: 'user', body: newAccount, status: 201, responses: { ...forbidden, 409: '用户名已被使用' } },
    ({ actor, body }) => createAccount(deps, actor, body));
  api.endpoint({ method: 'patch', path: '/admin/users/:id', summary: '修改账号（姓名、所属单位、角色；停用或启用，停用后此前签发的令牌全部失效）', tag: 'admin', auth: 'user', params: idParams, body: accountChange, responses: { ...forbidden, 404: '账号不存在', 409: '不能停用自己或取消自己的管理员角色' } },
    ({ actor, params, body }) => updateAccount(deps, actor, params.id, body));
  api.endpoint({ method: 'post', path: '/admin/users/:id/password', summary: '重置密码（此前签发的令牌全部失效）', tag: 'admin', auth: 'user', params: idParams, body: passwordReset, responses: { ...forbidden, 404: '账号不存在' } },
    ({ actor, params, body }) => resetPassword(deps, actor, params.id, body.password));
  api.endpoint({ method: 'post', path: '/admin/departments', summary: '新建单位', tag: 'admin', auth: 'user', body: newDepartment, status: 201, responses: { ...forbidden, 409: '单位代码已被使用' } },
    ({ actor, body }) => createDepartment(deps, actor, body));
  api.endpoint({ method: 'patch', path: '/admin/departments/:id', summary: '修改单位名称', tag: 'admin', auth: 'user', params: idParams, body: departmentRename, responses: { ...forbidden, 404: '单位不存在' } },
    ({ actor, params, body }) => renameDepartment(deps, actor, params.id, body.name));

  api.endpoint({ method: 'get', path: '/calendar', summary: '工作日历：已有官方放假安排的年份（其他年份暂按周一至周五计算）', tag: 'calendar', auth: 'user' },
    () => listCalendarYears(deps));
  api.endpoint({ method: 'put', path: '/admin/calendar/:year', summary: '载入（或替换）某年的官方放假安排：假期及调休上班日；此后计算的期限按其计算', tag: 'calendar', auth: 'user', params: yearParams, body: schedule, responses: { 400: '日期不在该年内、重复或调休日不是周末', 403: '只有系统管理员可以载入放假安排' } },
    ({ actor, params, body }) => loadCalendarYear(deps, actor, params.year, body));

  return api;
}
