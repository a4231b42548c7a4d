import { closeQuietly, enterFolderSync } from './ownFiles.js'

/**
 * The descriptors of the interval folders a router writes in, one per folder in use (one or two at a time, beside
 * the lane files `maxOpenFiles` counts): each folder is made and entered once, without following a link, and a
 * lane that `maxOpenFiles` closed reopens its file in it with one `open(2)`. A folder renamed away meanwhile keeps
 * receiving its lanes' records, as an open file renamed away does; a link put in its place is never followed.
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
    if (fd === undefined) {
      fd = enterFolderSync(this.dir, name, this.dirMode)
      this.fds.set(name, fd)
    }
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
