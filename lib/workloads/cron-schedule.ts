/**
 * Checks of CronJob schedules, as the CronJob controller parses them (robfig/cron's standard
 * parser): five fields — minute, hour, day of month, month, day of week — or a descriptor.
 */

const FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Returns why `schedule` is not a valid CronJob schedule, or undefined when it is. */
export function scheduleProblem(schedule: string): string | undefined {
  const s = typeof schedule === 'string' ? schedule.trim() : '';
  if (/^(CRON_)?TZ=/.test(s)) return 'must not set TZ= or CRON_TZ= (Kubernetes rejects it); use timeZone';
  if (s.startsWith('@')) {
    return DESCRIPTORS.includes(s) ? undefined : `"${s}" is not a known descriptor (${DESCRIPTORS.join(', ')})`;
  }
  const parts = s.split(/\s+/);
  if (parts.length !== 5)
    return `"${s}" has ${s ? parts.length : 0} fields; a schedule has five: minute hour day-of-month month day-of-week`;
  for (let i = 0; i < 5; i++) {
    const why = fieldProblem(parts[i], FIELDS[i]);
    if (why) return `"${s}": ${FIELDS[i].name} ${why}`;
  }
  return undefined;
}

function fieldProblem(text: string, f: (typeof FIELDS)[number]): string | undefined {
  const value = (v: string): number | undefined => {
    const named = f.names?.indexOf(v.toUpperCase()) ?? -1;
    if (named >= 0) return named + f.min;
    return /^\d+$/.test(v) ? Number(v) : undefined;
  };
  for (const item of text.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === '') return `"${item}" is malformed`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `"${item}" has an invalid step (a positive integer)`;
    if (range === '*' || range === '?') continue;
    const [lo, hi, more] = range.split('-');
    const a = value(lo);
    const b = hi === undefined ? a : value(hi);
    if (more !== undefined || a === undefined || b === undefined) return `"${item}" is not a value, range or list`;
    if (a < f.min || b > f.max) return `"${item}" is outside ${f.min}-${f.max}`;
    if (a > b) return `"${item}" is an empty range`;
  }
  return undefined;
}
