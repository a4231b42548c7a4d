import { accessSync, constants, mkdirSync, statSync } from 'node:fs'
import { LanesConfigError } from './lanesConfigError.js'

/** What the usual failures mean for a log folder, in words a user acts on. */
const REASONS: Readonly<Record<string, string>> = {
  EEXIST: 'a file, not a folder, is in the way',
  ENOTDIR: 'a file, not a folder, is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
}

/**
 * Makes sure `dir` is a folder this process can create files in, creating it (with `dirMode`) when missing.
 * Runs once at start, so a `dir` that is a file or not writable is one clear error there rather than every lane
 * failing and retrying later.
 *
 * @throws LanesConfigError naming `dir`, the path and the reason
 * @example
 * ```ts
 * prepareLanesDir('/var/log/my-service', 0o750) // throws if /var/log/my-service is a file or read-only
 * ```
 */
export function prepareLanesDir(dir: string, dirMode: number): void {
  try {
    mkdirSync(dir, { recursive: true, mode: dirMode })
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
    accessSync(dir, constants.W_OK | constants.X_OK)
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    const reason = code === undefined ? message : `${code}: ${REASONS[code] ?? message}`
    throw new LanesConfigError('dir', 'must be a folder this process can create and write', dir, reason)
  }
}
