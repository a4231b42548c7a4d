// The hand-written router's worker side: parse each line, write it to its domain file and its level file.
import { once } from 'node:events'
import { join } from 'node:path'
import build from 'pino-abstract-transport'
import SonicBoom from 'sonic-boom'
import { dayFolder } from './workload.mjs'

const LABELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

export default async function ({ dir, levelFiles, text }) {
  const folder = join(dir, dayFolder())
  const files = new Map()
  const file = (name) => {
    let stream = files.get(name)
    if (!stream) {
      stream = new SonicBoom({ dest: join(folder, `${name}.log`), mkdir: true, sync: false })
      files.set(name, stream)
    }
    return stream
  }
  return build(
    async (source) => {
      for await (const line of source) {
        const record = JSON.parse(line)
        const out = text
          ? `${new Date(record.time).toISOString()} ${LABELS[record.level].toUpperCase()} [${record.domain}] ${record.msg}\n`
          : `${line}\n`
        file(record.domain).write(out)
        if (levelFiles) file(LABELS[record.level]).write(out)
      }
    },
    {
      parse: 'lines',
      async close() {
        await Promise.all(
          [...files.values()].map((stream) => {
            const closed = once(stream, 'close')
            stream.end()
            return closed
          }),
        )
      },
    },
  )
}
