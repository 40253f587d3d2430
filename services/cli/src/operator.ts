import { userInfo } from 'node:os';

/** Who runs the command, for the audit log (`cli:<user>`). */
export function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
