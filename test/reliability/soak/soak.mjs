// Soak runs: `npm run soak` (60 s through @loglanes/pino, 30 s through @loglanes/winston) prints the figures for
// RELIABILITY.md; test/reliability/soak.test.ts runs a few seconds of each inside `npm test`.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CHILD = join(import.meta.dirname, 'soakChild.mjs')
const DOMAINS = ['app', 'db', 'api']
const LEVELS = ['debug', 'info', 'warn', 'error']
const SEQ = /"seq":(\d+)/

/**
 * Runs one soak in a child process, then reads every lane file back.
 * @returns the child's figures plus what the files hold: `found` (records in domain files, each seen once),
 *   `missing`, `duplicates`, `laneErrors` (lane files whose count differs from what was sent to them), `folders`.
 */
export async function runSoak(entry, seconds, dir) {
  const child = await new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CHILD, entry, String(seconds), dir],
      { maxBuffer: 16 * 2 ** 20, timeout: (seconds + 120) * 1_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`soak child failed: ${error.message}\n${stderr}`))
        else resolve({ ...JSON.parse(stdout.trim().split('\n').at(-1)), stderr })
      },
    )
  })
  return { entry, ...child, ...checkLanes(dir, child.sent) }
}

/** Every record must be in exactly one domain file and one level file, whole. */
export function checkLanes(dir, sent) {
  const seen = new Uint8Array(sent)
  const counts = new Map()
  let duplicates = 0
  let torn = 0
  const folders = readdirSync(dir).filter((name) => !name.startsWith('.'))
  for (const folder of folders) {
    for (const file of readdirSync(join(dir, folder))) {
      const lane = file.replace(/\.log$/, '')
      const text = readFileSync(join(dir, folder, file), 'latin1')
      let count = 0
      for (let start = 0; start < text.length; ) {
        const end = text.indexOf('\n', start)
        if (end === -1) {
          torn++
          break
        }
        const line = text.slice(start, end)
        start = end + 1
        count++
        const match = SEQ.exec(line)
        if (match === null || !line.startsWith('{') || !line.endsWith('}')) {
          torn++
          continue
        }
        if (DOMAINS.includes(lane)) {
          const seq = Number(match[1])
          if (seen[seq]) duplicates++
          seen[seq] = 1
        }
      }
      counts.set(lane, (counts.get(lane) ?? 0) + count)
    }
  }
  let found = 0
  for (const flag of seen) found += flag
  const laneErrors = []
  for (const [lane, period, offset] of [
    ...DOMAINS.map((lane, i) => [lane, 3, i]),
    ...LEVELS.map((lane, i) => [lane, 4, i]),
  ]) {
    const expected = Math.floor((sent - offset - 1) / period) + 1
    if ((counts.get(lane) ?? 0) !== expected)
      laneErrors.push(`${lane}: ${counts.get(lane) ?? 0} of ${expected}`)
  }
  return { found, missing: sent - found, duplicates, torn, laneErrors, folders: folders.length }
}

/** One row of the soak table in RELIABILITY.md. */
export function soakRow(result) {
  const rate = Math.round(result.sent / result.seconds).toLocaleString('en-US')
  return `| ${result.entry} | ${result.seconds.toFixed(1)} s | ${result.sent.toLocaleString('en-US')} | ${rate}/s | ${result.found.toLocaleString('en-US')} | ${result.missing} | ${result.duplicates} | ${result.torn} | ${result.laneErrors.length === 0 ? 'exact' : result.laneErrors.join('; ')} | ${result.folders} | ${result.peakRssMb.toFixed(0)} MB (${result.rssMb.map((mb) => mb.toFixed(0)).join(' → ')}) |`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const plan = [
    ['pino', Number(process.env.SOAK_PINO_SECONDS ?? 60)],
    ['winston', Number(process.env.SOAK_WINSTON_SECONDS ?? 30)],
  ]
  console.log(
    '| entry | time | sent | rate | found | missing | duplicates | torn | lane counts | folders | peak RSS (1st half → 2nd half) |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|')
  let failed = false
  for (const [entry, seconds] of plan) {
    const dir = mkdtempSync(join(tmpdir(), `loglanes-soak-${entry}-`))
    try {
      const result = await runSoak(entry, seconds, dir)
      console.log(soakRow(result))
      failed ||=
        result.missing > 0 || result.duplicates > 0 || result.torn > 0 || result.laneErrors.length > 0
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  if (failed) {
    console.error('soak: records were lost, duplicated or torn')
    process.exit(1)
  }
}
