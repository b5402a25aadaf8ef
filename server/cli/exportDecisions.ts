/**
 * fairreview export-decisions: reviewers' confirm/dismiss decisions from the store (MONGODB_URI) as labelled
 * clauses on standard output, one JSON object per line, for `npm run train -- --with FILE`.
 */
import { connectStore } from '../db/connection';
import { bindModels } from '../db/models/index';
import { exportDecisions } from '../services/exportDecisions';

const uri = process.env.MONGODB_URI;
if (!uri) {
  console.error('请设置 MONGODB_URI（审查数据所在的数据库地址），例如 MONGODB_URI=mongodb://127.0.0.1:27017/fairreview');
  process.exitCode = 2;
} else {
  const connection = await connectStore(uri);
  try {
    const clauses = await exportDecisions(bindModels(connection));
    for (const c of clauses) process.stdout.write(`${JSON.stringify(c)}\n`);
    console.error(`已导出 ${clauses.length} 条审查人员决定（确认 ${clauses.filter((c) => c.label === 'violation').length}，排除 ${clauses.filter((c) => c.label === 'compliant').length}）`);
  } finally {
    await connection.close();
  }
}
