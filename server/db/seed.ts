import bcrypt from 'bcryptjs';
import type { Models } from './models/index';
import type { Role } from './models/user';

interface DemoDepartment { code: string; name: string; kind: 'drafting' | 'regulator' | 'committee' | 'evaluator' | 'complaints' | 'admin' }
interface DemoUser { username: string; displayName: string; role: Role; department: string }

export const demoDepartments: DemoDepartment[] = [
  { code: 'shangwu', name: '市商务局', kind: 'drafting' },
  { code: 'zhujian', name: '市住房和城乡建设局', kind: 'drafting' },
  { code: 'scjg', name: '市市场监督管理局', kind: 'regulator' },
  { code: 'lianxi', name: '市公平竞争审查联席会议', kind: 'committee' },
  { code: 'pinggu', name: '某公平竞争第三方评估研究院', kind: 'evaluator' },
  { code: 'jubao', name: '市市场监督管理局举报处理科', kind: 'complaints' },
  { code: 'xitong', name: '系统管理', kind: 'admin' },
];

export const demoUsers: DemoUser[] = [
  { username: 'drafter', displayName: '商务局起草人', role: 'drafter', department: 'shangwu' },
  { username: 'lead', displayName: '商务局负责人', role: 'drafting_lead', department: 'shangwu' },
  { username: 'drafter2', displayName: '住建局起草人', role: 'drafter', department: 'zhujian' },
  { username: 'regulator', displayName: '市场监管局审查员', role: 'regulator', department: 'scjg' },
  { username: 'member1', displayName: '会审成员一', role: 'committee_member', department: 'lianxi' },
  { username: 'member2', displayName: '会审成员二', role: 'committee_member', department: 'lianxi' },
  { username: 'member3', displayName: '会审成员三', role: 'committee_member', department: 'lianxi' },
  { username: 'evaluator', displayName: '第三方评估员', role: 'evaluator', department: 'pinggu' },
  { username: 'handler', displayName: '举报处理员', role: 'complaint_handler', department: 'jubao' },
  { username: 'admin', displayName: '系统管理员', role: 'admin', department: 'xitong' },
];

/**
 * Seeds the demo departments and accounts, only on an empty store (no users yet), so a restart
 * never resets passwords or duplicates anything. Returns whether it seeded.
 */
export async function seedDemoData(models: Models, password: string): Promise<boolean> {
  if ((await models.User.countDocuments()) > 0) return false;
  const passwordHash = await bcrypt.hash(password, 10);
  const idByCode = new Map<string, unknown>();
  for (const department of demoDepartments) {
    const saved = await models.Department.findOneAndUpdate({ code: department.code }, { $setOnInsert: department }, { upsert: true, new: true });
    idByCode.set(department.code, saved._id);
  }
  for (const user of demoUsers) {
    await models.User.create({ username: user.username, displayName: user.displayName, role: user.role, departmentId: idByCode.get(user.department), passwordHash });
  }
  return true;
}
