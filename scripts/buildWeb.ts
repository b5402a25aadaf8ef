/** `npm run build:web`: builds the web UI into web/dist when its sources changed (npm start and npm test do this too). */
import { ensureWebBuild } from './services/webBuild';

if (!(await ensureWebBuild())) console.log('[web] web/dist is up to date');
