/**
 * `fairreview backup DIR` / `fairreview restore DIR [--force]`: the embedded store's data as a backup folder
 * (server/db/backup.ts), while the system runs or not. The store is, in this order: MONGODB_URI; the store a running
 * `npm start` recorded in the data folder (FAIRREVIEW_DATA_DIR, default .data/); else the embedded store over the
 * data folder, started for the command and stopped after it. Production backs up with mongodump (README).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackupError, backupDatabase, restoreDatabase } from '../server/db/backup';
import { connectStore } from '../server/db/connection';
import { bindModels, syncIndexes } from '../server/db/models/index';
import { advanceSequencePastChanges, rebuildPolicySummaries } from '../server/db/policySummaries';
import { provisionStore, type ProvisionedStore } from '../scripts/services/store';

export const BACKUP_USAGE = `用法：
  fairreview backup <目录>             把数据库（含上传的文件）备份到新目录；系统运行时也可备份
  fairreview restore <目录> [--force]  从备份恢复；目标数据库不为空时拒绝，--force 先清空再恢复
  数据库：MONGODB_URI；未设置时为 npm start 正在使用的嵌入式存储，或数据目录（FAIRREVIEW_DATA_DIR，缺省 .data/）中的嵌入式存储。`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm start` records the address of the store it runs (scripts/start.ts). */
export function storeUriFile(dataDir: string): string {
  return path.join(dataDir, 'store.uri');
}

function answers(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 27017) });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { socket.destroy(); resolve(false); });
  });
}

async function openStore(): Promise<{ uri: string; started?: ProvisionedStore }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI };
  const dataDir = path.resolve(root, process.env.FAIRREVIEW_DATA_DIR ?? '.data');
  const recorded = storeUriFile(dataDir);
  if (fs.existsSync(recorded)) {
    const uri = fs.readFileSync(recorded, 'utf8').trim();
    if (await answers(uri)) return { uri };
  }
  const started = await provisionStore({ dataDir: path.join(dataDir, 'store'), logFile: path.join(dataDir, 'logs', 'store-cli.log') });
  return { uri: started.uri, started };
}

export async function backupCommand(command: 'backup' | 'restore', args: string[]): Promise<number> {
  const dir = args.find((a) => !a.startsWith('--'));
  const force = args.includes('--force');
  if (!dir || args.some((a) => a.startsWith('--') && a !== '--force') || (command === 'backup' && force)) {
    console.error(BACKUP_USAGE);
    return 2;
  }
  const { uri, started } = await openStore();
  const connection = await connectStore(uri);
  try {
    if (command === 'backup') {
      const manifest = await backupDatabase(connection, dir);
      const total = manifest.collections.reduce((n, c) => n + c.count, 0);
      console.log(`已备份 ${manifest.collections.length} 个集合、${total} 条记录到 ${path.resolve(dir)}`);
    } else {
      const manifest = await restoreDatabase(connection, dir, { force });
      const models = bindModels(connection);
      await syncIndexes(models);
      // A backup taken while the system ran may hold list summaries a little ahead of or behind their policies.
      await advanceSequencePastChanges(models);
      await rebuildPolicySummaries(models);
      const total = manifest.collections.reduce((n, c) => n + c.count, 0);
      console.log(`已从 ${path.resolve(dir)} 恢复 ${manifest.collections.length} 个集合、${total} 条记录（备份时间 ${manifest.createdAt}）`);
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await connection.close();
    await started?.stop();
  }
}
