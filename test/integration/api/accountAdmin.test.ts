/**
 * 系统管理 over HTTP on the real store: an administrator creates accounts (a duplicate username is 409), assigns
 * roles and departments, disables an account (its tokens are refused at once and it cannot sign in) and enables it
 * again, resets a password (earlier tokens revoked), creates and renames departments; bad input gets a Chinese
 * message naming the field and the limit and changes nothing; nobody else may do any of it.
 */
import { expect } from 'chai';
import { client, login, type JsonResponse } from '../../support/http';
import { startTestApp, type TestApp } from '../../support/testApp';
import { demoUsers, expectProblem, type DemoUsers } from './policyHelpers';

interface Account { id: string; username: string; displayName: string; role: string; departmentId: string; departmentName: string; active: boolean }
interface Department { id: string; code: string; name: string; kind: string }
interface Issue { path: string; message: string }

describe('account and department administration (系统管理)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let u: DemoUsers;
  let departments: Department[];
  const departmentNamed = (name: string) => departments.find((d) => d.name === name)!;

  before(async function () {
    app = await startTestApp({ label: 'accounts' });
    u = await demoUsers(app);
    departments = (await u.admin.api.get<Department[]>('/api/v1/departments')).body;
  });
  after(async function () {
    await app?.close();
  });

  const me = (token: string) => client(app.baseUrl, token).get<{ user: Account; allowedActions: Array<{ action: string }> }>('/api/v1/auth/me');
  const accounts = async () => (await u.admin.api.get<{ items: Account[] }>('/api/v1/admin/users')).body.items;
  const issues = (res: JsonResponse) => (res.body as unknown as { issues: Issue[] }).issues;
  let serial = 0;
  const newAccount = (overrides: Record<string, unknown> = {}) => ({
    username: `clerk${++serial}`,
    displayName: `新起草人${serial}`,
    departmentId: departmentNamed('市商务局').id,
    role: 'drafter',
    password: 'initial-pass-1',
    ...overrides,
  });

  it('creates an account that can sign in at once, and refuses a second account with the same username (409)', async function () {
    const body = newAccount();
    const created = await u.admin.api.post<Account>('/api/v1/admin/users', body);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ username: body.username, displayName: body.displayName, role: 'drafter', departmentName: '市商务局', active: true });
    expect(created.body).not.to.have.property('passwordHash');

    const token = await login(app.baseUrl, body.username, body.password);
    expect((await me(token)).body.user).to.include({ id: created.body.id, displayName: body.displayName });
    expect((await me(token)).body.allowedActions.map((a) => a.action)).to.include('create_policy');

    const duplicate = await u.admin.api.post('/api/v1/admin/users', { ...newAccount(), username: body.username });
    expectProblem(duplicate, 409, 'username_taken');
    expect(duplicate.body.detail).to.include(body.username);
    expect((await accounts()).filter((a) => a.username === body.username)).to.have.length(1);
  });

  it('says in Chinese which field breaks which limit, and changes nothing', async function () {
    const before = (await accounts()).length;
    const short = await u.admin.api.post('/api/v1/admin/users', newAccount({ password: 'short' }));
    expectProblem(short, 400, 'invalid_request');
    expect(issues(short)).to.deep.include({ path: 'body.password', message: '密码至少 8 个字符' });
    const long = await u.admin.api.post('/api/v1/admin/users', newAccount({ displayName: '名'.repeat(51) }));
    expect(issues(long)).to.deep.include({ path: 'body.displayName', message: '姓名不能超过 50 个字' });
    const badName = await u.admin.api.post('/api/v1/admin/users', newAccount({ username: '张三丰' }));
    expect(issues(badName)[0]!.message).to.match(/^用户名只能由字母、数字/);
    const nowhere = await u.admin.api.post('/api/v1/admin/users', newAccount({ departmentId: '0123456789abcdef01234567' }));
    expectProblem(nowhere, 400, 'unknown_department');
    expect(nowhere.body.detail).to.include('所属单位');
    const wrongRole = await u.admin.api.post('/api/v1/admin/users', newAccount({ role: 'superuser' }));
    expect(issues(wrongRole)).to.deep.include({ path: 'body.role', message: '请从给定的角色中选择' });
    expect((await accounts()).length, 'nothing created').to.equal(before);
  });

  it('disables an account: its tokens are refused and it cannot sign in; enabled again it signs in, old tokens stay revoked', async function () {
    const body = newAccount();
    const created = (await u.admin.api.post<Account>('/api/v1/admin/users', body)).body;
    const token = await login(app.baseUrl, body.username, body.password);
    expect((await me(token)).status).to.equal(200);

    const disabled = await u.admin.api.patch<Account>(`/api/v1/admin/users/${created.id}`, { active: false });
    expect(disabled.status, JSON.stringify(disabled.body)).to.equal(200);
    expect(disabled.body.active).to.equal(false);
    expect((await me(token)).status, 'the token of a disabled account').to.equal(401);
    const refused = await client(app.baseUrl).post('/api/v1/auth/login', { username: body.username, password: body.password });
    expectProblem(refused, 401, 'invalid_credentials');

    expect((await u.admin.api.patch<Account>(`/api/v1/admin/users/${created.id}`, { active: true })).body.active).to.equal(true);
    expect((await me(await login(app.baseUrl, body.username, body.password))).status).to.equal(200);
    expect((await me(token)).status, 'a token from before the account was disabled').to.equal(401);
  });

  it('resets a password: earlier tokens and the old password stop working, the new one works', async function () {
    const body = newAccount();
    const created = (await u.admin.api.post<Account>('/api/v1/admin/users', body)).body;
    const token = await login(app.baseUrl, body.username, body.password);
    const reset = await u.admin.api.post(`/api/v1/admin/users/${created.id}/password`, { password: 'brand-new-pass' });
    expect(reset.status, JSON.stringify(reset.body)).to.equal(200);
    expect((await me(token)).status).to.equal(401);
    expectProblem(await client(app.baseUrl).post('/api/v1/auth/login', { username: body.username, password: body.password }), 401, 'invalid_credentials');
    expect((await me(await login(app.baseUrl, body.username, 'brand-new-pass'))).status).to.equal(200);
  });

  it('assigns a role and a department; the account acts in them on its next request', async function () {
    const body = newAccount();
    const created = (await u.admin.api.post<Account>('/api/v1/admin/users', body)).body;
    const token = await login(app.baseUrl, body.username, body.password);
    const changed = await u.admin.api.patch<Account>(`/api/v1/admin/users/${created.id}`, { role: 'regulator', departmentId: departmentNamed('市市场监督管理局').id, displayName: '调任审查员' });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expect(changed.body).to.include({ role: 'regulator', departmentName: '市市场监督管理局', displayName: '调任审查员' });
    const now = (await me(token)).body;
    expect(now.user).to.include({ role: 'regulator', displayName: '调任审查员' });
    expect(now.allowedActions.map((a) => a.action)).to.include('view_statistics').and.not.include('create_policy');
  });

  it('creates and renames departments; a duplicate code is 409', async function () {
    const created = await u.admin.api.post<Department>('/api/v1/admin/departments', { code: 'jiaotong', name: '市交通运输局', kind: 'drafting' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expectProblem(await u.admin.api.post('/api/v1/admin/departments', { code: 'jiaotong', name: '另一个单位', kind: 'drafting' }), 409, 'department_code_taken');
    const renamed = await u.admin.api.patch<Department>(`/api/v1/admin/departments/${created.body.id}`, { name: '市交通运输委员会' });
    expect(renamed.body).to.include({ id: created.body.id, name: '市交通运输委员会' });
    const listed = (await u.drafter.api.get<Department[]>('/api/v1/departments')).body;
    expect(listed.filter((d) => d.code === 'jiaotong').map((d) => d.name)).to.deep.equal(['市交通运输委员会']);
    const tooLong = await u.admin.api.patch(`/api/v1/admin/departments/${created.body.id}`, { name: '局'.repeat(101) });
    expect(issues(tooLong)).to.deep.include({ path: 'body.name', message: '单位名称不能超过 100 个字' });
    expectProblem(await u.admin.api.patch('/api/v1/admin/departments/0123456789abcdef01234567', { name: '不存在' }), 404, 'department_not_found');
  });

  it('a renamed department shows under its new name in the policy list at once', async function () {
    const created = await u.drafter.api.post<{ id: string; draftingDepartmentId: string }>('/api/v1/policies', { title: '单位更名后的列表', kind: 'other_measure', issuingLevel: 'department' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const departmentId = created.body.draftingDepartmentId;
    const before = (await u.drafter.api.get<Department[]>('/api/v1/departments')).body.find((d) => d.id === departmentId)!;
    const listedName = async () => (await u.drafter.api.get<{ items: Array<{ id: string; draftingDepartmentName: string }> }>('/api/v1/policies?pageSize=100')).body.items.find((p) => p.id === created.body.id)?.draftingDepartmentName;
    expect(await listedName()).to.equal(before.name);
    expect((await u.admin.api.patch(`/api/v1/admin/departments/${departmentId}`, { name: '市商务局（更名）' })).status).to.equal(200);
    try {
      expect(await listedName()).to.equal('市商务局（更名）');
    } finally {
      await u.admin.api.patch(`/api/v1/admin/departments/${departmentId}`, { name: before.name });
    }
  });

  it('keeps an administrator from locking themselves out, answers 404 for unknown accounts, and 403 to everyone else', async function () {
    expectProblem(await u.admin.api.patch(`/api/v1/admin/users/${u.admin.id}`, { active: false }), 409, 'self_lockout');
    expectProblem(await u.admin.api.patch(`/api/v1/admin/users/${u.admin.id}`, { role: 'regulator' }), 409, 'self_lockout');
    expectProblem(await u.admin.api.patch('/api/v1/admin/users/0123456789abcdef01234567', { active: false }), 404, 'user_not_found');
    expectProblem(await u.admin.api.post('/api/v1/admin/users/not-an-id/password', { password: 'whatever-123' }), 404, 'user_not_found');
    for (const who of ['drafter', 'lead', 'regulator', 'handler'] as const) {
      expectProblem(await u[who].api.get('/api/v1/admin/users'), 403);
      expectProblem(await u[who].api.post('/api/v1/admin/users', newAccount()), 403);
      expectProblem(await u[who].api.patch(`/api/v1/admin/users/${u.drafter.id}`, { role: 'admin' }), 403);
      expectProblem(await u[who].api.post('/api/v1/admin/departments', { code: `x${who}`, name: '某单位', kind: 'drafting' }), 403);
    }
    expect((await me(u.drafter.token)).body.user.role).to.equal('drafter');
    expect((await me(u.admin.token)).body.allowedActions.map((a) => a.action)).to.include('manage_accounts');
    expect((await me(u.regulator.token)).body.allowedActions.map((a) => a.action)).not.to.include('manage_accounts');
  });
});
