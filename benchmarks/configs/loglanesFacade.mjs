// The loglanes facade on its default backend (pino, transport in the worker thread), closed with shutdown().
import { createLanes } from 'loglanes'

export const label = 'loglanes facade (createLanes, pino backend)'

export async function setup(work, dir) {
  const options = {
    dir,
    domains: work.domains,
    levelFiles: work.levelFiles ? 'exact' : false,
    format: work.format,
  }
  if (work.format === 'text') options.timestampFormat = '%Y-%m-%d %H:%M:%S.%L'
  const log = createLanes(options)
  return { children: work.domains.map((domain) => log[domain]), close: () => log.shutdown() }
}
