import { stat } from 'node:fs/promises'
import type { Writable } from 'node:stream'

/** Where a command writes, and the environment it reads (NO_COLOR, FORCE_COLOR). */
export interface CommandIo {
  readonly stdout: Writable
  readonly stderr: Writable
  readonly env: NodeJS.ProcessEnv
}

/** The process's own streams and environment. */
export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env }
}

/** True when `dir` is a directory; otherwise says so on stderr (the commands then exit 1). */
export async function isLogDirectory(dir: string, io: CommandIo): Promise<boolean> {
  const isFolder = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  )
  if (!isFolder) io.stderr.write(`loglanes: no such directory '${dir}'\n`)
  return isFolder
}
