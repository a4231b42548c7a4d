import { randomBytes } from 'node:crypto'
import { link, lutimes, open, rename, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { CREATE_OWN_FLAGS, type OwnFileText, readOwnFile } from './ownFiles.js'
import { removeOwnEntry } from './removeOwnEntry.js'

/** The lock file's name in `dir`: a dot-name, so it is never taken for an interval folder. */
export const MAINTENANCE_LOCK_NAME = '.loglanes.lock'
/** A lock untouched this long is taken over even when its owner looks alive (its holder refreshes it). */
export const DEFAULT_LOCK_STALE_MS = 10 * 60_000
/** A lock file holds one short JSON line; anything longer is not one. */
const MAX_LOCK_BYTES = 512
/** A lock created but not yet filled (its holder writes it right after) is honoured this long. */
const FILLING_MS = 5_000

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
 * Takes the maintenance lock of `dir`: the file `.loglanes.lock`, created exclusively (`O_EXCL`, never through a
 * link) and holding the owner's pid, host name and a unique token, so exactly one process (or thread) maintains a
 * folder at a time. A lock is honoured only while it is provably held by a live loglanes process of this user: a
 * regular file of this user, one short JSON line, whose owner on this host is alive (or on another host, refreshed)
 * and which was touched within `staleMs` (a holder touches it every quarter of that). Anything else in its place
 * (a link, a FIFO, a folder, another user's file, garbage, a dead owner) is taken over at once: the lock cannot be
 * used to switch maintenance off. Reads are bounded and never block. Never waits: a busy lock answers undefined.
 *
 * Processes sharing a `dir` must run as the same user, or they take each other's lock.
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
    if (!(await removeIfNotHeld(dir, staleMs, token))) return undefined
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
    handle = await open(path, CREATE_OWN_FLAGS, 0o644)
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
 * Removes the lock of `dir` unless it is held (see {@link isHeld}). The lock is first renamed aside, so of several
 * processes that judge it at once only one removes it; one that moved a fresh lock instead (taken in between)
 * puts it back. Whatever is not a lock file (a link, a FIFO, a folder) is removed without being followed or read.
 * @returns true when the lock is gone (removed here or elsewhere), false when it is held.
 */
async function removeIfNotHeld(dir: string, staleMs: number, token: string): Promise<boolean> {
  const path = join(dir, MAINTENANCE_LOCK_NAME)
  const lock = await readLock(path)
  if (lock === 'gone') return true
  if (lock !== 'foreign' && isHeld(lock, staleMs)) return false
  const asideName = `${MAINTENANCE_LOCK_NAME}.${token}.stale`
  const aside = join(dir, asideName)
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
  const moved = await readLock(aside)
  if (
    lock === 'foreign' ||
    moved === 'foreign' ||
    moved === 'gone' ||
    (moved.stats.ino === lock.stats.ino && moved.text === lock.text)
  ) {
    // The lock's name is free now: what was moved aside cannot keep anyone from taking it, even when it cannot be
    // removed (a planted tree too deep, a folder of another user in a sticky dir). Its dot-name is ignored.
    await removeOwnEntry(dir, asideName).catch(() => {})
    return true
  }
  // A link never replaces an existing file: if yet another lock appeared meanwhile, that one stays.
  await link(aside, path).catch(() => {})
  await unlink(aside).catch(() => {})
  return false
}

/** The lock file's text and stats; 'foreign' when what is there is not a lock file loglanes wrote. */
async function readLock(path: string): Promise<OwnFileText | 'gone' | 'foreign'> {
  try {
    return (await readOwnFile(path, MAX_LOCK_BYTES)) ?? 'gone'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EFTYPE') return 'foreign'
    throw error
  }
}

/**
 * True while a lock file (already known to be this user's regular file) is held: touched within `staleMs`, and
 * either being written (empty or partial, for a moment) or naming a live owner (on another host: trusted while
 * refreshed; this process: held by another of its routers).
 */
function isHeld(lock: OwnFileText, staleMs: number): boolean {
  const age = Date.now() - lock.stats.mtimeMs
  if (age > staleMs) return false
  const owner = parseOwner(lock.text)
  if (owner === undefined) return age < FILLING_MS
  if (owner.host !== hostname() || owner.pid === process.pid) return true
  return isAlive(owner.pid)
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
  // 0 and negative pids name process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
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
      // lutimes: a link put in the lock's place is not followed.
      lutimes(path, now, now).catch(() => {})
    },
    Math.max(1_000, staleMs / 4),
  )
  refresher.unref()
  let released = false
  const holds = async () => {
    try {
      const lock = await readOwnFile(path, MAX_LOCK_BYTES)
      return lock !== undefined && parseOwner(lock.text)?.token === token
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
