// @loglanes/winston: one LanesTransport, closed with endLogger.
import { endLogger, LanesTransport } from '@loglanes/winston'
import { winstonChildren, winstonLogger } from '../lib/winstonSetup.mjs'
import { lanesOptions } from '../lib/workload.mjs'

export const label = '@loglanes/winston'
/** Takes `maxFileSize` (W5): the file check holds each part to the cap. */
export const partsBySize = true

export async function setup(work, dir) {
  const options = lanesOptions(work, dir)
  const logger = winstonLogger(work, [new LanesTransport(options)])
  return { children: winstonChildren(logger, work.domains), close: () => endLogger(logger) }
}
