import { closeQuietly, enterFolderSync } from './ownFiles.js'

/**
 * Folder descriptors kept at most. A service writes in one or two folders at a time; records whose times spread over
 * many intervals (a winston `timestamp` the app sets, a backlog replayed) must not hold one descriptor per folder,
 * or the application meets `EMFILE` (400 past hours held 400 before this bound).
 */
export const MOST_FOLDERS = 16

/**
 * The descriptors of the interval folders a router writes in, one per folder in use (one or two at a time, beside
 * the lane files `maxOpenFiles` counts; at most {@link MOST_FOLDERS}, the least recently used closed first): each
 * folder is made and entered once, without following a link, and a lane that `maxOpenFiles` closed reopens its
 * file in it with one `open(2)`. A folder renamed away meanwhile keeps receiving its lanes' records, as an open file
 * renamed away does, while its descriptor is kept; a link put in its place is never followed.
 *
 * @example
 * ```ts
 * const folders = new FolderDescriptors('logs', 0o750)
 * const fd = folders.get('2026-11-20__14-00') // made if missing
 * folders.forget('2026-11-20__14-00') // closed: the next get enters it by its path again
 * ```
 */
export class FolderDescriptors {
  private readonly fds = new Map<string, number>()

  constructor(
    private readonly dir: string,
    private readonly dirMode: number,
  ) {}

  /**
   * The descriptor of folder `name` in `dir` (`''`: `dir` itself), made and entered the first time.
   * @throws what `enterFolderSync` throws: a folder that cannot be made, or a link, file or another user's folder
   *   in its place
   */
  get(name: string): number {
    let fd = this.fds.get(name)
    if (fd !== undefined) {
      // The most recently used goes last: the map's order is the order to close them in.
      this.fds.delete(name)
      this.fds.set(name, fd)
      return fd
    }
    fd = enterFolderSync(this.dir, name, this.dirMode)
    if (this.fds.size >= MOST_FOLDERS) {
      const [oldest] = this.fds.keys()
      if (oldest !== undefined) this.forget(oldest)
    }
    this.fds.set(name, fd)
    return fd
  }

  /** Closes the descriptor of folder `name`, if open. */
  forget(name: string): void {
    const fd = this.fds.get(name)
    if (fd === undefined) return
    this.fds.delete(name)
    closeQuietly(fd)
  }
}
