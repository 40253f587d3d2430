import { runSchedulerProcess } from '@aaf-sync/calendar-effects';
import type { Command } from '../command.js';

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'run the scheduler process: the school-year calendar on BullMQ',
  usage: `aaf-sync schedule

Runs the scheduler in the foreground until Ctrl-C: every transition of the stored calendar
(feed suspensions and resumptions per target, delivery deadlines, retention, and the effects of
the other calendar packages) runs once and in order when due, through BullMQ at REDIS_URL (a
delayed job at the next transition, a tick every SCHEDULER_TICK_SECONDS). Transitions missed
while it was down run at start; the jobs are rebuilt from PostgreSQL after a Redis flush.`,
  async run({ config }) {
    return (await runSchedulerProcess(config)) ? 0 : 1;
  },
};
