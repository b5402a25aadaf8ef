/** Boot: who is signed in, the checklist (GET /meta), then the app with Element Plus in Chinese. */
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import './app.css';
import App from './App.vue';
import { router } from './router.js';
import { loadSession, session, signOut } from './session.js';
import { loadMeta } from './meta.js';
import { loadLimits } from './limits.js';

window.addEventListener('fr:unauthenticated', () => {
  if (!session.user) return;
  signOut();
  sessionStorage.setItem('fr:expired', '1');
  router.push({ path: '/login', query: { next: router.currentRoute.value.fullPath } });
});

async function boot() {
  // The checklist titles come from GET /meta; screens that need them wait for it (and ask again if it failed).
  await Promise.all([loadSession(), loadMeta().catch(() => null), loadLimits()]);
  createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app');
}
boot();
