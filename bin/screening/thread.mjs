// A screening worker thread's entry: plain JavaScript so it can register tsx before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./thread.ts', import.meta.url).href);
