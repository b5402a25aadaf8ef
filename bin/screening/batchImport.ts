/**
 * `fairreview batch import DIR [--name 名称] [--as 用户名] [--batch 批次编号] [--wait]`: an admin starts a screening
 * batch from a folder on the server. The files go into the store (MONGODB_URI) and onto the queue (REDIS_URL),
 * and the running workers screen them. Run again on a folder whose import was interrupted, it carries on that
 * batch (`--batch` names one); `--wait` follows the batch with a progress bar until it is finished.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { loadConfigOrExit } from '../../server/config';
import { connectStore } from '../../server/db/connection';
import { bindModels, syncIndexes } from '../../server/db/models/index';
import { toActor } from '../../server/domain/roles';
import { batchProgress } from '../../server/domain/screeningBatch';
import { batchCounts, readableBatch, startBatchFromDirectory } from '../../server/services/screening/batches';
import { walkDirectory } from '../../server/services/screening/ingest';
import { createQueues } from '../../server/queues';

export const BATCH_USAGE = `用法：
  fairreview batch import <文件夹> [--name 批次名称] [--as 用户名] [--batch 批次编号] [--wait]
    把服务器上的文件夹作为存量清理批次导入（需设置 MONGODB_URI、REDIS_URL；由运行中的 worker 筛查）。
    --as 以该账号发起（缺省 admin，须为管理员或市场监管部门审查员）；--wait 显示进度直到完成。
    同一文件夹的导入中断后再次运行，会续传原批次（已导入的文件不重复）；--batch 指定要续传的批次。`;

export async function batchCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') {
    console.error(BATCH_USAGE);
    return 2;
  }
  let dir = '';
  let name: string | undefined;
  let username = 'admin';
  let batchId: string | undefined;
  let wait = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--name') name = rest[++i];
    else if (arg === '--as') username = rest[++i] ?? '';
    else if (arg === '--batch') batchId = rest[++i];
    else if (arg === '--wait') wait = true;
    else if (!arg.startsWith('--') && !dir) dir = arg;
    else {
      console.error(`未知参数：${arg}\n${BATCH_USAGE}`);
      return 2;
    }
  }
  if (!dir) {
    console.error(`缺少要导入的文件夹\n${BATCH_USAGE}`);
    return 2;
  }
  const config = loadConfigOrExit();
  const store = await connectStore(config.MONGODB_URI);
  const models = bindModels(store);
  await syncIndexes(models);
  const queues = createQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  try {
    const user = await models.User.findOne({ username, active: true }).lean();
    if (!user) {
      console.error(`账号 ${username} 不存在或已停用`);
      return 2;
    }
    const actor = toActor(user);
    const deps = { models, store, queues, config };
    let total = 0;
    for await (const _ of walkDirectory(path.resolve(dir))) total++;
    const bar = new cliProgress.SingleBar({ format: '导入 |{bar}| {value}/{total} 个文件', noTTYOutput: true, notTTYSchedule: 5000 }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    let imported = 0;
    const batch = await startBatchFromDirectory(deps, actor, { dir: path.resolve(dir), name, batchId, onFile: () => bar.update(++imported) });
    bar.stop();
    console.log(`批次 ${batch.id}（${batch.name}）：${batch.resumed ? '续传完成，' : ''}已导入 ${batch.ingest.files} 个文件，等待 worker 筛查。`);
    if (!wait) return 0;

    const progress = new cliProgress.SingleBar({ format: '筛查 |{bar}| {value}/{total} 份 | {rate} 份/小时 | 剩余 {left}', noTTYOutput: true, notTTYSchedule: 5000 }, cliProgress.Presets.shades_classic);
    progress.start(1, 0, { rate: '-', left: '-' });
    for (;;) {
      const current = await readableBatch(deps, actor, batch.id);
      const p = batchProgress(await batchCounts(deps, current));
      progress.setTotal(Math.max(1, p.documents));
      progress.update(p.done, { rate: p.ratePerHour ?? '-', left: p.secondsLeft === null ? '-' : `${p.secondsLeft} 秒` });
      if (current.state !== 'running' && current.state !== 'paused') {
        progress.stop();
        console.log(`批次已${current.state === 'completed' ? '完成' : `结束（${current.state}）`}：筛查 ${p.screened} 份，无法读取 ${p.failed} 份，重复文件 ${p.duplicates} 个。`);
        return current.state === 'completed' ? 0 : 1;
      }
      await sleep(1000);
    }
  } finally {
    await queues.close();
    await store.close();
  }
}
