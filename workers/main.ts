/** The worker process on the system clock (what `npm start` and production run). */
import { systemClock } from '../server/clock';
import { runWorkerProcess } from './process';

await runWorkerProcess({ clock: systemClock });
