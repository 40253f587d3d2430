import type { Command } from '../command.js';
import { calendarCommand } from './calendar.js';
import { campaignCommand } from './campaign.js';
import { credentialsCommand } from './credentials.js';
import { dispatchCommand } from './dispatch.js';
import { exportLdifCommand } from './export-ldif.js';
import { generateCommand } from './generate.js';
import { ingestCommand } from './ingest.js';
import { keysCommand } from './keys.js';
import { koxoCommand } from './koxo.js';
import { loginPreviewCommand } from './login-preview.js';
import { migrateCommand } from './migrate.js';
import { passwordResetCommand } from './password-reset.js';
import { purgeCredentialsCommand } from './purge-credentials.js';
import { purgeEventsCommand } from './purge-events.js';
import { reconcileCommand } from './reconcile.js';
import { scheduleCommand } from './schedule.js';
import { serveCommand } from './serve.js';
import { targetsCommand } from './targets.js';
import { watchCommand } from './watch.js';

/** Every command of `aaf-sync`, in the order `help` lists them. */
export const COMMANDS: readonly Command[] = [
  ingestCommand,
  generateCommand,
  watchCommand,
  serveCommand,
  keysCommand,
  targetsCommand,
  calendarCommand,
  campaignCommand,
  dispatchCommand,
  scheduleCommand,
  reconcileCommand,
  koxoCommand,
  exportLdifCommand,
  credentialsCommand,
  passwordResetCommand,
  purgeCredentialsCommand,
  purgeEventsCommand,
  loginPreviewCommand,
  migrateCommand,
];
