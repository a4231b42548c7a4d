import { randomBytes } from 'node:crypto'
import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** The lock file's name in `dir`: a dot-name, so it is never taken for an interval folder. */
export const MAINTENANCE_LOCK_NAME = '.loglanes.lock'
/** A lock untouched this long is taken over even when its owner looks alive (its holder refreshes it). */
export const DEFAULT_LOCK_STALE_MS = 10 * 60_000

/** A maintenance lock this process holds (see {@link acquireMaintenanceLock}). */
export interface MaintenanceLock {
  /** Absolute path of the lock file. */
  readonly path: string
  /** True while the lock file is still this holder's (a holder silent past the stale time can be overtaken). */
  holds(): Promise<boolean>
  /** Removes the lock file if it is still this holder's. Idempotent. */
  release(): Promise<void>
}

export interface MaintenanceLockOptions {
  /** Take over a lock whose file was not touched for this long. Default 10 minutes. */
  readonly staleMs?: number
}

interface LockOwner {
  readonly pid: number
  readonly host: string
  readonly token: string
}

/**
 * Takes the maintenance lock of `dir`: the file `.loglanes.lock`, created exclusively (`O_EXCL`) and holding the
 * owner's pid, host name and a unique token, so exactly one process (or thread) maintains a folder at a time.
 * A lock left behind is recovered: when its owner was on this host and its pid is gone, or when it was not
 * touched for `staleMs` (a holder touches it every quarter of that). Never waits: a busy lock answers undefined.
 *
 * @returns the lock, or undefined when another live owner holds it.
 * @throws the file system error when the lock cannot be created for another reason (a missing or unwritable dir).
 * @example
 * ```ts
 * const lock = await acquireMaintenanceLock('logs')
 * if (lock) {
 *   try {
 *     // ... maintenance work
 *   } finally {
 *     await lock.release()
 *   }
 * }
 * ```
 */
export async function acquireMaintenanceLock(
  dir: string,
  options: MaintenanceLockOptions = {},
): Promise<MaintenanceLock | undefined> {
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS
  const path = join(dir, MAINTENANCE_LOCK_NAME)
  const token = uniqueToken()
  const owner: LockOwner = { pid: process.pid, host: hostname(), token }
  // Two tries: the second follows the removal of a stale lock (another process may win it first).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(path, `${JSON.stringify({ ...owner, time: Date.now() })}\n`)) {
      return heldLock(path, token, staleMs)
    }
    if (!(await removeIfStale(path, staleMs, token))) return undefined
  }
  return undefined
}

/** A token unique to one acquisition (or one temporary name): the pid and 48 random bits. */
export function uniqueToken(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, 'wx', 0o644)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
  return true
}

/**
 * Removes the lock at `path` when it is stale. The lock is first renamed aside, so of several processes that
 * judge it stale at once only one removes it; one that moved a fresh lock instead (taken in between) puts it back.
 * @returns true when the lock is gone (removed here or elsewhere), false when it is live.
 */
async function removeIfStale(path: string, staleMs: number, token: string): Promise<boolean> {
  let text: string
  let inode: number
  try {
    const info = await stat(path)
    text = await readFile(path, 'utf8')
    inode = info.ino
    if (!isStale(text, info.mtimeMs, staleMs)) return false
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  const aside = `${path}.${token}.stale`
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  const moved = await stat(aside).catch(() => undefined)
  const movedText = await readFile(aside, 'utf8').catch(() => undefined)
  if (moved?.ino === inode && movedText === text) {
    await unlink(aside).catch(() => {})
    return true
  }
  // A link never replaces an existing file: if yet another lock appeared meanwhile, that one stays.
  await link(aside, path).catch(() => {})
  await unlink(aside).catch(() => {})
  return false
}

function isStale(text: string, mtimeMs: number, staleMs: number): boolean {
  if (Date.now() - mtimeMs > staleMs) return true
  const owner = parseOwner(text)
  // An unreadable lock (being written right now) is judged by its age alone.
  if (owner === undefined || owner.host !== hostname() || owner.pid === process.pid) return false
  return !isAlive(owner.pid)
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null
    if (
      value !== null &&
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.token === 'string'
    ) {
      return value as LockOwner
    }
  } catch {
    // Not (yet) a complete lock file.
  }
  return undefined
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function heldLock(path: string, token: string, staleMs: number): MaintenanceLock {
  const refresher = setInterval(
    () => {
      const now = new Date()
      utimes(path, now, now).catch(() => {})
    },
    Math.max(1_000, staleMs / 4),
  )
  refresher.unref()
  let released = false
  const holds = async () => {
    try {
      return parseOwner(await readFile(path, 'utf8'))?.token === token
    } catch {
      return false
    }
  }
  return {
    path,
    holds,
    async release() {
      if (released) return
      released = true
      clearInterval(refresher)
      if (await holds()) await unlink(path).catch(() => {})
    },
  }
}
