import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  type Stats,
} from 'node:fs'
import { type FileHandle, lstat, open, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

// loglanes touches only what it made itself inside `dir`: regular files (one link, this user's) and real folders.
// `dir` may be writable by other local accounts, so every entry found there is checked before it is used: opens
// never follow a link (O_NOFOLLOW) nor wait on a FIFO (O_NONBLOCK), and what they open is checked with fstat.

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_NONBLOCK = constants.O_NONBLOCK ?? 0
const O_DIRECTORY = constants.O_DIRECTORY ?? 0

/** A lane file: appended, created when missing, never through a link or onto a FIFO; readable for the newline check. */
export const LANE_FILE_FLAGS =
  constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW | O_NONBLOCK
/** A file loglanes reads (to compress it, or the lock): never through a link, never waiting on a FIFO. */
export const READ_OWN_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK
/** A file loglanes creates and nothing else may have made first (O_EXCL never follows a link either). */
export const CREATE_OWN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW
const FOLDER_FLAGS = constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW

/** The effective user: files of another user in `dir` are not loglanes' own. */
const EUID = process.geteuid?.()

/**
 * Entries of a folder opened by descriptor are reached through `/proc/self/fd/<fd>/<name>` where the system has
 * it (Linux): the kernel then resolves the name in that very folder, as `openat(2)` would, so the folder cannot be
 * swapped for a link to somewhere else between the check and the use. Elsewhere the plain path is used.
 */
const PROC_FDS = process.platform === 'linux' && existsSync('/proc/self/fd') ? '/proc/self/fd/' : undefined

/** Codes with which an open refuses an entry that is not a regular file (a link, a FIFO, a socket, a folder). */
const REFUSED = new Set(['ELOOP', 'ENXIO', 'EISDIR', 'ENOTDIR', 'EMLINK', 'EOPNOTSUPP', 'ENODEV', 'EAGAIN'])

/**
 * What an entry is when it is not a file loglanes made (a regular file with one link, owned by this user), in
 * words for a report; undefined when it is one.
 *
 * @example
 * ```ts
 * foreignKind(lstatSync('logs/current')) // 'a symbolic link'
 * ```
 */
export function foreignKind(stats: Stats): string | undefined {
  if (stats.isSymbolicLink()) return 'a symbolic link'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  if (stats.isDirectory()) return 'a folder'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (!stats.isFile()) return 'not a regular file'
  if (stats.nlink > 1) return `a file with ${stats.nlink} hard links`
  if (EUID !== undefined && stats.uid !== EUID) return `a file of another user (uid ${stats.uid})`
  return undefined
}

/** The error for an entry that is not loglanes' own: code `EFTYPE`, the path, and what was found there. */
export function foreignEntry(path: string, kind: string, place = 'a file'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${kind} is there, not ${place} loglanes made (left as it is)`), {
    code: 'EFTYPE',
    path,
  })
}

/**
 * Turns an open that refused an entry (ELOOP for a link, ENXIO for a FIFO or socket, EISDIR for a folder) into a
 * {@link foreignEntry} error saying what is there; other errors are returned as they are.
 */
export function explainRefusal(error: unknown, path: string, place = 'a file'): NodeJS.ErrnoException {
  const failure = error as NodeJS.ErrnoException
  if (failure.code === undefined || !REFUSED.has(failure.code)) return failure
  let stats: Stats
  try {
    stats = lstatSync(path)
  } catch {
    return failure
  }
  const kind = foreignKind(stats)
  return kind === undefined ? failure : foreignEntry(path, kind, place)
}

/** The path of `name` in the folder open as `folderFd` (whose own path is `folderPath`); see {@link PROC_FDS}. */
export function entryOf(folderFd: number, folderPath: string, name: string): string {
  return PROC_FDS === undefined ? join(folderPath, name) : `${PROC_FDS}${folderFd}/${name}`
}

/**
 * Opens the interval folder `name` of `dir`, making it (and `dir`) when missing, without following a link: a
 * link, file or FIFO in its place is refused with a {@link foreignEntry} error. `name` '' opens `dir` itself
 * (the user's own path, links allowed). Returns the folder's descriptor; the caller closes it.
 */
export function enterFolderSync(dir: string, name: string, dirMode: number): number {
  if (name === '') {
    mkdirSync(dir, { recursive: true, mode: dirMode })
    return openSync(dir, constants.O_RDONLY | O_DIRECTORY)
  }
  const path = join(dir, name)
  try {
    mkdirSync(path, { mode: dirMode })
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    if (code === 'ENOENT') {
      // `dir` itself was removed (a cleanup job): make it again, then the folder.
      mkdirSync(path, { recursive: true, mode: dirMode })
    } else if (code !== 'EEXIST') {
      throw error
    }
  }
  let fd: number
  try {
    fd = openSync(path, FOLDER_FLAGS)
  } catch (error) {
    throw explainFolderRefusal(error, path)
  }
  // Only a folder of this user: in another user's folder, its owner chooses the group (a setgid bit) or an ACL
  // of the files loglanes creates there, and so who can read them.
  const owner = fstatSync(fd).uid
  if (EUID !== undefined && owner !== EUID) {
    closeQuietly(fd)
    throw foreignEntry(path, `a folder of another user (uid ${owner})`, 'a folder')
  }
  return fd
}

/**
 * Opens an existing folder by descriptor: an interval folder never through a link (a link, file or FIFO in its
 * place is refused with a {@link foreignEntry} error); `dir` itself (`isDir`), the user's own path, may be a
 * link. With `ownOnly` (a folder loglanes writes into), a folder of another user is refused too.
 */
export async function openFolder(
  path: string,
  isDir = false,
  ownOnly = false,
): Promise<Awaited<ReturnType<typeof open>>> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, isDir ? constants.O_RDONLY | O_DIRECTORY : FOLDER_FLAGS)
  } catch (error) {
    throw explainFolderRefusal(error, path)
  }
  if (!ownOnly || EUID === undefined) return handle
  const { uid } = await handle.stat()
  if (uid === EUID) return handle
  await handle.close()
  throw foreignEntry(path, `a folder of another user (uid ${uid})`, 'a folder')
}

function explainFolderRefusal(error: unknown, path: string): NodeJS.ErrnoException {
  const failure = error as NodeJS.ErrnoException
  if (failure.code === undefined || !REFUSED.has(failure.code)) return failure
  let stats: Stats
  try {
    stats = lstatSync(path)
  } catch {
    return failure
  }
  if (stats.isDirectory()) return failure
  return foreignEntry(path, foreignKind(stats) ?? 'a file', 'a folder')
}

/** Closes a descriptor that may already be gone; nothing to keep either way. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Closed or never valid: nothing more to release.
  }
}

/** A small file loglanes made, read whole (see {@link readOwnFile}). */
export interface OwnFileText {
  readonly text: string
  readonly stats: Stats
}

/**
 * Reads a small file loglanes made (the lock): never through a link, never waiting on a FIFO, never more than
 * `maxBytes`. Resolves undefined when the file is missing; throws a {@link foreignEntry} error when the entry is
 * not loglanes' own or is larger than `maxBytes`.
 */
export async function readOwnFile(path: string, maxBytes: number): Promise<OwnFileText | undefined> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, READ_OWN_FLAGS)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw explainRefusal(error, path)
  }
  try {
    const stats = await handle.stat()
    const kind = foreignKind(stats)
    if (kind !== undefined) throw foreignEntry(path, kind)
    if (stats.size > maxBytes) throw foreignEntry(path, `a file of ${stats.size} bytes`)
    const buffer = Buffer.alloc(maxBytes)
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0)
    return { text: buffer.toString('utf8', 0, bytesRead), stats }
  } finally {
    await handle.close()
  }
}

/**
 * Opens a log file for reading (`loglanes tail`, `ls`): never through a link, never waiting on a FIFO, and only a
 * regular file (of any user: an operator reads a service's logs). Anything else is refused with a
 * {@link foreignEntry} error, so a file planted in `dir` can neither hang the reader nor show it another file.
 *
 * @example
 * ```ts
 * const handle = await openLogForReading('logs/2026-11-20/db.log')
 * ```
 */
export async function openLogForReading(path: string): Promise<Awaited<ReturnType<typeof open>>> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, READ_OWN_FLAGS)
  } catch (error) {
    throw explainRefusal(error, path)
  }
  const stats = await handle.stat()
  if (stats.isFile()) return handle
  await handle.close()
  throw foreignEntry(path, foreignKind(stats) ?? 'not a regular file')
}

/** What `lstat` says is at `path`, or undefined when nothing is. */
export async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * A folder of log files open for reading (`loglanes tail`, `ls`): entered once by descriptor without following a
 * link ({@link openFolder}), then listed, and its files looked at and opened, through that descriptor
 * ({@link entryOf}). A folder renamed away and replaced by a link meanwhile shows nothing of where the link points:
 * the reader goes on in the folder it entered, or sees {@link isStillAt} turn false. `dir` itself (`isDir`), the
 * user's own path, may be a link.
 *
 * @example
 * ```ts
 * const folder = await LogFolder.open('logs/2026-11-20')
 * try {
 *   const names = (await folder.list()).filter((entry) => entry.isFile()).map((entry) => entry.name)
 *   const handle = await folder.openLog('db.log') // never through a link, never a FIFO
 * } finally {
 *   await folder.close()
 * }
 * ```
 */
export class LogFolder {
  private constructor(
    /** The folder's own path, for messages and {@link isStillAt}. */
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly isDir: boolean,
    private readonly identity: Stats,
  ) {}

  /** Opens the folder at `path`; refuses a link in its place (unless `isDir`) with a {@link foreignEntry} error. */
  static async open(path: string, isDir = false): Promise<LogFolder> {
    const handle = await openFolder(path, isDir)
    try {
      return new LogFolder(path, handle, isDir, await handle.stat())
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /** The path of an entry, for messages. */
  pathOf(name: string): string {
    return join(this.path, name)
  }

  /** The entries of the folder opened. */
  list(): Promise<import('node:fs').Dirent[]> {
    return this.named('', (entry) => readdir(entry, { withFileTypes: true }))
  }

  /** What `lstat` says is at `name` in the folder opened, or undefined when nothing is. */
  lstat(name: string): Promise<Stats | undefined> {
    return this.named(name, lstatOrUndefined)
  }

  /** Opens `name` of the folder opened as {@link openLogForReading} does. */
  openLog(name: string): Promise<FileHandle> {
    return this.named(name, openLogForReading)
  }

  /** Whether the folder's path still leads to the folder opened (not renamed away, removed or replaced). */
  async isStillAt(): Promise<boolean> {
    const now = await (this.isDir ? stat : lstat)(this.path).catch(() => undefined)
    return now?.isDirectory() === true && now.ino === this.identity.ino && now.dev === this.identity.dev
  }

  close(): Promise<void> {
    return this.handle.close()
  }

  /** Runs `use` on the entry's descriptor path; an error names the entry by its own path instead. */
  private async named<T>(name: string, use: (entry: string) => Promise<T>): Promise<T> {
    const entry = entryOf(this.handle.fd, this.path, name)
    try {
      return await use(entry)
    } catch (error) {
      const failure = error as NodeJS.ErrnoException
      const path = this.pathOf(name)
      if (failure.path === entry) failure.path = path
      if (typeof failure.message === 'string') failure.message = failure.message.split(entry).join(path)
      throw failure
    }
  }
}
