/** The API process on the system clock (what `npm start` and production run). */
import { systemClock } from './clock';
import { runApiProcess } from './process';

await runApiProcess({ clock: systemClock });
