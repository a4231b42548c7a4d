// The loglanes facade on its default backend (pino, transport in the worker thread), closed with shutdown().
import { createLanes } from 'loglanes'
import { lanesOptions } from '../lib/workload.mjs'

export const label = 'loglanes facade (createLanes, pino backend)'
/** Takes `maxFileSize` (W5): the file check holds each part to the cap. */
export const partsBySize = true

export async function setup(work, dir) {
  const options = lanesOptions(work, dir)
  const log = createLanes(options)
  return { children: work.domains.map((domain) => log[domain]), close: () => log.shutdown() }
}
