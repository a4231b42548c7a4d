// node benchmarks/fileCreation.mjs [files]: what the file system charges for a lane's first record, against a later
// one. Creates `files` (default 2,000, W6's lanes) files in a fresh folder under the benchmarks' tmpdir with the flags
// a lane file is opened with, writes a line to each and closes it; then reopens, writes and closes each again.
// Prints microseconds per file for both, the median of 3 rounds. The creation is the floor of W6: no writer can
// spread 2,000 domains over 2,000 files without creating them.
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FILES = Number(process.argv[2] ?? 2000)
const FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK
const LINE = Buffer.from(`${JSON.stringify({ level: 30, time: Date.now(), msg: 'request handled' })}\n`)

/** Microseconds per file of opening each of `paths`, writing a line and closing it. */
function round(paths) {
  const started = performance.now()
  for (const path of paths) {
    const fd = openSync(path, FLAGS, 0o640)
    writeSync(fd, LINE)
    closeSync(fd)
  }
  return ((performance.now() - started) * 1000) / paths.length
}

const created = []
const reopened = []
for (let r = 0; r < 3; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'loglanes-creation-'))
  const paths = Array.from({ length: FILES }, (_, i) => join(dir, `d${i}.log`))
  created.push(round(paths))
  reopened.push(round(paths))
  rmSync(dir, { recursive: true, force: true })
}
const median = (values) => [...values].sort((a, b) => a - b)[1]
console.log(
  `${FILES} files in ${tmpdir()}: create + write + close ${median(created).toFixed(1)} µs each ` +
    `(${((median(created) * FILES) / 1000).toFixed(0)} ms in all), reopen + write + close ${median(reopened).toFixed(1)} µs each`,
)
