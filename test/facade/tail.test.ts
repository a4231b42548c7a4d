import { execFile } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { LaneRouter, resolveOptions } from '@loglanes/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir, waitFor } from '../support/files.js'
import {
  CLI,
  cli,
  cliEnv,
  folders,
  follow,
  laneLines,
  outputLines,
  type PinoRecord,
  sharedTempDir,
  writePinoLanes,
} from './fixtures/laneLogs.js'

const run = promisify(execFile)
const T0 = Date.UTC(2026, 10, 20, 14, 0, 30) // 14:00:30 UTC: records span the folders __14-00 and __14-01
const DOMAINS = ['app', 'db', 'http'] as const
const LANES = ['alerts', 'app', 'db', 'debug', 'error', 'fatal', 'http', 'info', 'warn']
const A = '2026-11-20__14-00'
const B = '2026-11-20__14-01'

/** 60 records a second apart over three domains and every level, errors with a stack, plus two identical records. */
function fixtureRecords(): PinoRecord[] {
  const records: PinoRecord[] = []
  for (let i = 0; i < 60; i++) {
    const level =
      i === 59 ? 'fatal' : i % 10 === 3 ? 'error' : i % 10 === 7 ? 'warn' : i % 6 === 0 ? 'debug' : 'info'
    const err = Object.assign(new Error(`boom ${i}`), {
      stack: `Error: boom ${i}\n    at query (db.js:${i}:1)`,
    })
    records.push({
      time: T0 + i * 1000,
      domain: DOMAINS[i % 3]!,
      level,
      fields: level === 'error' ? { n: i, err } : { n: i },
      msg: `record ${i}`,
    })
    // Two distinct records whose lines are identical (same time and content): both are printed.
    if (i === 9) {
      const tick = {
        time: T0 + 9500,
        domain: 'app',
        level: 'info',
        fields: { n: 'tick' },
        msg: 'tick',
      } as const
      records.push(tick, tick)
    }
  }
  return records
}

const timeOf = (line: string) => (JSON.parse(line) as { time: number }).time
const nOf = (line: string) => (JSON.parse(line) as { n: number | string }).n
const byTime = (lines: string[]) => [...lines].sort((a, b) => timeOf(a) - timeOf(b))

let fixture: { dir: string; remove: () => void }
let logs: string
/** Every record once: the domain lanes of each folder, merged by time, folder after folder. */
let everyRecord: string[]

beforeAll(async () => {
  fixture = sharedTempDir('loglanes-tail-')
  logs = join(fixture.dir, 'logs')
  await writePinoLanes(
    logs,
    { domains: [...DOMAINS], interval: '1m', mirrors: { error: ['alerts'] }, lanes: ['alerts'] },
    fixtureRecords(),
  )
  everyRecord = folders(logs).flatMap((folder) =>
    byTime(DOMAINS.flatMap((domain) => laneLines(join(logs, folder, `${domain}.log`)))),
  )
})
afterAll(() => fixture.remove())

describe('loglanes tail', () => {
  it('merges every lane of each folder in time order, printing each record once', async () => {
    expect(folders(logs)).toEqual([A, B])
    const result = await cli(['tail', logs, '--json'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const lines = outputLines(result.stdout)
    expect(lines).toEqual(everyRecord)
    expect(lines.map(nOf)).toEqual([
      ...Array.from({ length: 10 }, (_, n) => n),
      'tick',
      'tick',
      ...Array.from({ length: 50 }, (_, n) => n + 10),
    ])
    // `logs` is the default dir.
    const fromCwd = await cli(['tail', '--json'], { cwd: fixture.dir })
    expect(fromCwd.stdout).toBe(result.stdout)
  })

  it('reads the lanes chosen with --domain and --lane, narrowed by --level (or added up with --any), each record once', async () => {
    const lanesOf = async (...args: string[]) => {
      const result = await cli(['tail', logs, '--json', ...args])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      return outputLines(result.stdout)
    }
    const where = (keep: (record: { domain: string; level: number }) => boolean) =>
      everyRecord.filter((line) => keep(JSON.parse(line)))
    expect(await lanesOf('--domain', 'db')).toEqual(where((r) => r.domain === 'db'))
    const errors = await lanesOf('--level', 'error')
    expect(errors).toEqual(where((r) => r.level === 50))
    expect(errors).toHaveLength(6)
    // --domain with --level: db's errors (records 13 and 43 of the 60), read from db.log.
    const dbErrors = await lanesOf('--domain', 'db', '--level', 'error')
    expect(dbErrors).toEqual(where((r) => r.domain === 'db' && r.level === 50))
    expect(dbErrors.map(nOf)).toEqual([13, 43])
    // The same filter on lines printed rendered, not as written.
    const rendered = outputLines((await cli(['tail', logs, '--domain', 'db', '--level', 'error'])).stdout)
    expect(rendered.filter((line) => !line.startsWith(' '))).toEqual([
      expect.stringMatching(/ ERROR \[db\] record 13 /),
      expect.stringMatching(/ ERROR \[db\] record 43 /),
    ])
    // --any adds them up: a db error record is in db.log and in error.log, printed once.
    const dbOrError = await lanesOf('--domain', 'db', '--level', 'error', '--any')
    expect(dbOrError).toEqual(where((r) => r.domain === 'db' || r.level === 50))
    expect(dbOrError.map(nOf).filter((n) => Number(n) % 10 === 3)).toEqual([3, 13, 23, 33, 43, 53])
    // A mirror lane by name, and narrowed to a level it does not hold.
    expect(await lanesOf('--lane', 'alerts')).toEqual(where((r) => r.level === 50))
    expect(await lanesOf('--lane', 'alerts', '--level', 'warn')).toEqual([])
    // Levels alone read their lanes, adding up.
    expect(await lanesOf('--level', 'warn', '--level', 'fatal')).toEqual(
      where((r) => r.level === 40 || r.level === 60),
    )
    expect(
      await lanesOf('--domain', 'app', '--domain', 'http', '--level', 'warn', '--level', 'fatal'),
    ).toEqual(where((r) => r.domain !== 'db' && (r.level === 40 || r.level === 60)))
    // One interval folder given as dir.
    expect(outputLines((await cli(['tail', join(logs, B), '--json'])).stdout)).toEqual(
      everyRecord.filter((line) => timeOf(line) >= Date.UTC(2026, 10, 20, 14, 1)),
    )
  })

  it('--since keeps the records newer than now minus the duration', async () => {
    const dir = tempDir()
    const now = Date.now()
    const ages = [90, 30, 8, 1] // minutes ago
    await writePinoLanes(
      dir,
      { domains: ['app', 'db'], interval: '1h' },
      ages.map((age, i) => ({
        time: now - age * 60_000,
        domain: i % 2 ? 'db' : 'app',
        level: 'info',
        msg: `${age}m ago`,
      })),
    )
    const messages = async (since: string) => {
      const result = await cli(['tail', dir, '--json', '--since', since])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      return outputLines(result.stdout).map((line) => JSON.parse(line).msg)
    }
    expect(await messages('10m')).toEqual(['8m ago', '1m ago'])
    expect(await messages('120s')).toEqual(['1m ago'])
    expect(await messages('1d')).toEqual(['90m ago', '30m ago', '8m ago', '1m ago'])
  })

  it('reads .gz lanes (multi-member, or with a plain file of later records) as before compression', async () => {
    const dir = join(tempDir(), 'logs')
    cpSync(logs, dir, { recursive: true })
    const before = await cli(['tail', dir])
    const folder = join(dir, A)
    for (const lane of LANES) {
      if (!existsSync(join(folder, `${lane}.log`))) continue
      const lines = laneLines(join(folder, `${lane}.log`)).map((line) => `${line}\n`)
      rmSync(join(folder, `${lane}.log`))
      const half = Math.ceil(lines.length / 2)
      if (lane === 'db' || lane === 'info') {
        // Two gzip members, as when a folder is compressed again after late records.
        const members = [gzipSync(lines.slice(0, half).join('')), gzipSync(lines.slice(half).join(''))]
        writeFileSync(join(folder, `${lane}.log.gz`), Buffer.concat(members))
      } else if (lane === 'http') {
        // The archive, then later records in a plain file beside it.
        writeFileSync(join(folder, `${lane}.log.gz`), gzipSync(lines.slice(0, half).join('')))
        writeFileSync(join(folder, `${lane}.log`), lines.slice(half).join(''))
      } else {
        writeFileSync(join(folder, `${lane}.log.gz`), gzipSync(lines.join('')))
      }
    }
    const json = await cli(['tail', dir, '--json'])
    expect(json).toMatchObject({ code: 0, stderr: '' })
    expect(outputLines(json.stdout)).toEqual(everyRecord)
    expect(await cli(['tail', dir])).toEqual(before)
    const db = await cli(['tail', dir, '--json', '--domain', 'db'])
    expect(outputLines(db.stdout)).toEqual(everyRecord.filter((line) => JSON.parse(line).domain === 'db'))
    // A damaged archive is reported, and the rest is still printed.
    writeFileSync(join(folder, 'app.log.gz'), gzipSync('{"level":30}\n').subarray(0, 12))
    const damaged = await cli(['tail', dir, '--json'])
    expect(damaged.code).toBe(1)
    expect(damaged.stderr).toMatch(/^loglanes: cannot read .*app\.log\.gz: /)
    expect(outputLines(damaged.stdout).length).toBeGreaterThan(40)
  })

  it('renders readable lines in local time with the stack below, and --json prints the lines as written', async () => {
    const result = await cli(['tail', logs, '--domain', 'app'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const lines = outputLines(result.stdout)
    expect(lines.slice(0, 6)).toEqual([
      '2026-11-20 14:00:30.000 DEBUG [app] record 0 {"n":0}',
      '2026-11-20 14:00:33.000 ERROR [app] record 3 {"n":3,"err":{"type":"Error","message":"boom 3"}}',
      '    Error: boom 3',
      '        at query (db.js:3:1)',
      '2026-11-20 14:00:36.000 DEBUG [app] record 6 {"n":6}',
      '2026-11-20 14:00:39.000 INFO  [app] record 9 {"n":9}',
    ])
    const all = outputLines((await cli(['tail', logs])).stdout)
    expect(all.at(-1)).toBe('2026-11-20 14:01:29.000 FATAL [http] record 59 {"n":59}')
    expect(
      all.filter((line) =>
        /^2026-11-20 14:0\d:\d\d\.000 (DEBUG|INFO |WARN |ERROR|FATAL) \[(app|db|http)\] record \d+ \{"n":\d+/.test(
          line,
        ),
      ),
    ).toHaveLength(60)
    // The viewer's time zone.
    const tokyo = await cli(['tail', logs, '--domain', 'app'], { env: cliEnv({ TZ: 'Asia/Tokyo' }) })
    expect(outputLines(tokyo.stdout)[0]).toBe('2026-11-20 23:00:30.000 DEBUG [app] record 0 {"n":0}')
    const json = await cli(['tail', logs, '--domain', 'app', '--json'])
    expect(outputLines(json.stdout)).toEqual(
      byTime([...laneLines(join(logs, A, 'app.log')), ...laneLines(join(logs, B, 'app.log'))]),
    )
  })

  it('colors the level on a pseudo-TTY; plain when piped or with NO_COLOR, colored with FORCE_COLOR', async () => {
    const command = `${CLI} tail ${logs} --domain app --domain http`
    // `script` runs the command on a pseudo-terminal.
    const tty = await run('script', ['-qec', command, '/dev/null'], { env: cliEnv() })
    for (const [label, code] of [
      ['DEBUG', 34],
      ['INFO ', 32],
      ['WARN ', 33],
      ['ERROR', 31],
      ['FATAL', 35],
    ] as const) {
      expect(tty.stdout).toContain(`\u001b[${code}m${label}\u001b[39m`)
    }
    const noColor = await run('script', ['-qec', command, '/dev/null'], { env: cliEnv({ NO_COLOR: '1' }) })
    expect(noColor.stdout).toContain('ERROR [app] record 3')
    expect(noColor.stdout).not.toContain('\u001b[')
    const json = await run('script', ['-qec', `${command} --json`, '/dev/null'], { env: cliEnv() })
    expect(json.stdout).toContain('"msg":"record 3"')
    expect(json.stdout).not.toContain('\u001b[')
    const piped = await cli(['tail', logs, '--domain', 'app'])
    expect(piped.stdout).toContain('ERROR [app] record 3')
    expect(piped.stdout).not.toContain('\u001b[')
    const forced = await cli(['tail', logs, '--domain', 'app'], { env: cliEnv({ FORCE_COLOR: '1' }) })
    expect(forced.stdout).toContain('\u001b[31mERROR\u001b[39m [app] record 3')
  })

  it('passes text-format records through with their stack lines, merged by their timestamps, each once', async () => {
    const dir = tempDir()
    const err = Object.assign(new Error('refused'), { stack: 'Error: refused\n    at connect (db.js:1:1)' })
    await writePinoLanes(dir, { domains: ['app', 'db'], interval: 'none', format: 'text' }, [
      { time: T0, domain: 'app', level: 'info', msg: 'starting' },
      { time: T0 + 1, domain: 'db', level: 'error', fields: { err }, msg: 'connection failed' },
      { time: T0 + 2, domain: 'app', level: 'warn', msg: 'degraded' },
      { time: T0 + 3, domain: 'db', level: 'info', msg: 'retrying' },
    ])
    const result = await cli(['tail', dir])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const lines = outputLines(result.stdout)
    expect(lines).toHaveLength(6)
    expect(lines[0]).toMatch(/^2026-11-20T14:00:30\.000\+00:00 INFO \[app\] starting/)
    expect(lines[1]).toMatch(/^2026-11-20T14:00:30\.001\+00:00 ERROR \[db\] connection failed/)
    expect(lines.slice(2, 4)).toEqual(['    Error: refused', '        at connect (db.js:1:1)'])
    expect(lines[4]).toMatch(/WARN \[app\] degraded$/)
    expect(lines[5]).toMatch(/INFO \[db\] retrying$/)
    // As written: the lines of the lanes, nothing added.
    const written = new Set([...laneLines(join(dir, 'app.log')), ...laneLines(join(dir, 'db.log'))])
    expect(lines.every((line) => written.has(line))).toBe(true)
    expect((await cli(['tail', dir, '--json'])).stdout).toBe(result.stdout)
    // A level filter reads the level word of a text line: db's error, with its stack lines.
    const dbErrors = await cli(['tail', dir, '--domain', 'db', '--level', 'error'])
    expect(outputLines(dbErrors.stdout)).toEqual(lines.slice(1, 4))
    const colored = await cli(['tail', dir], { env: cliEnv({ FORCE_COLOR: '1' }) })
    expect(colored.stdout).toContain('+00:00 \u001b[31mERROR\u001b[39m [db] connection failed')
    expect(colored.stdout).toContain('+00:00 \u001b[33mWARN\u001b[39m [app] degraded')
  })

  it('reports a missing dir and unknown lanes with exit code 1, and wrong usage with exit code 2', async () => {
    const missing = await cli(['tail'], { cwd: tempDir() })
    expect(missing).toEqual({ code: 1, stdout: '', stderr: "loglanes: no such directory 'logs'\n" })
    const file = join(tempDir(), 'file')
    writeFileSync(file, '')
    expect((await cli(['tail', file])).stderr).toBe(`loglanes: no such directory '${file}'\n`)
    expect(await cli(['tail', logs, '--domain', 'dbb'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `loglanes: no lane named 'dbb' in ${logs} (did you mean 'db'?); lanes: ${LANES.join(', ')}\n`,
    })
    const two = await cli(['tail', logs, '--domain', 'dbb', '--lane', 'db', '--lane', 'x'])
    expect(two.stderr).toBe(`loglanes: no lanes named 'dbb', 'x' in ${logs}; lanes: ${LANES.join(', ')}\n`)
    expect((await cli(['tail', tempDir(), '--lane', 'app'])).stderr).toMatch(
      /no lane named 'app' in .*; lanes: none\n$/,
    )
    const usage: Record<string, string> = {}
    for (const args of [
      ['--since', '10'],
      ['--since', '5y'],
      ['--bogus'],
      ['--levl', 'error'],
      ['-x'],
      ['--domain', 'db', '--level', 'eror'],
      ['other'],
    ]) {
      const result = await cli(['tail', logs, ...args])
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(/^loglanes tail: .+\n\nUsage: loglanes tail /)
      usage[args.join(' ')] = result.stderr.split('\n')[0]!
    }
    expect(usage).toEqual({
      '--since 10': "loglanes tail: --since takes a duration such as 30s, 10m, 2h, 1d or 1w; got '10'",
      '--since 5y': "loglanes tail: --since takes a duration such as 30s, 10m, 2h, 1d or 1w; got '5y'",
      '--bogus': "loglanes tail: unknown option '--bogus'",
      '--levl error': "loglanes tail: unknown option '--levl' (did you mean '--level'?)",
      '-x': "loglanes tail: unknown option '-x'",
      '--domain db --level eror': "loglanes tail: unknown level 'eror' (did you mean 'error'?)",
      other: `loglanes tail: one dir at most; got ${logs} other`,
    })
  })

  it('explains every flag in loglanes tail --help, and lists tail and ls in loglanes --help', async () => {
    const help = await cli(['tail', '--help'])
    expect(help.code).toBe(0)
    for (const flag of [
      '--domain',
      '--level',
      '--lane',
      '--any',
      '--since',
      '--follow',
      '--json',
      '--help',
      'NO_COLOR',
      '.gz',
    ]) {
      expect(help.stdout).toContain(flag)
    }
    expect((await cli(['tail', '-h'])).stdout).toBe(help.stdout)
    const top = await cli(['--help'])
    expect(top.stdout).toMatch(/^ {2}tail {3}/m)
    expect(top.stdout).toMatch(/^ {2}ls {5}/m)
  })
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('loglanes tail --follow', () => {
  it('prints appended lines and moves to the new interval folder on rollover, no line lost or repeated', async () => {
    const dir = tempDir()
    const router = new LaneRouter(
      resolveOptions(
        { dir, domains: ['app', 'db'], interval: '1m', timezone: 'UTC' },
        { levels: { info: 30, error: 50 } },
      ),
      { stderr: false },
    )
    const written: string[] = []
    const route = (n: number, minute: number) => {
      const time = Date.UTC(2026, 10, 20, 14, minute) + n * 10
      const level = n % 7 === 3 ? 'error' : 'info'
      const domain = n % 2 ? 'db' : 'app'
      const line = JSON.stringify({ level: level === 'error' ? 50 : 30, time, domain, n, msg: `record ${n}` })
      router.route(time, level, domain, `${line}\n`)
      written.push(line)
    }
    try {
      for (let n = 0; n < 6; n++) route(n, 0)
      await router.flush()
      const tail = follow([dir, '--json'])
      await waitFor(() => tail.lines().length === 6, 10_000, 'what was there at the start')

      for (let n = 6; n < 12; n++) route(n, 0)
      await router.flush()
      // A line written in two parts waits for its newline.
      const manual = JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 10, 20, 14, 0, 30),
        n: 'manual',
        msg: 'in parts',
      })
      appendFileSync(join(dir, A, 'manual.log'), manual.slice(0, 20))
      await waitFor(() => tail.lines().length === 12, 10_000, 'appended lines')
      await sleep(600)
      expect(tail.lines()).toHaveLength(12)

      appendFileSync(join(dir, A, 'manual.log'), `${manual.slice(20)}\n`)
      written.push(manual)
      // The rollover: records of the next minute open folder B; late records still reach A.
      for (let n = 12; n < 18; n++) route(n, 1)
      for (let n = 18; n < 20; n++) route(n, 0)
      await router.flush()
      await waitFor(() => tail.lines().length === 21, 10_000, 'the first lines of the new folder')
      for (let n = 20; n < 2040; n++) route(n, 1)
      route(2040, 0)
      await router.flush()
      await waitFor(() => tail.lines().length === written.length, 10_000, 'every line')
      // Two more polls: nothing is printed twice.
      await sleep(600)
      tail.child.kill('SIGTERM')
      expect(await tail.exited).toEqual([0, null, ''])

      const lines = tail.lines()
      expect(folders(dir)).toEqual([A, B])
      expect(lines).toHaveLength(written.length)
      expect([...lines].sort()).toEqual([...written].sort())
      // Each folder's records in the order they were written.
      for (const minute of [0, 1]) {
        const ns = lines.filter((line) => new Date(timeOf(line)).getUTCMinutes() === minute).map(nOf)
        const expected = written.filter((line) => new Date(timeOf(line)).getUTCMinutes() === minute).map(nOf)
        expect(ns.filter((n) => n !== 'manual')).toEqual(expected.filter((n) => n !== 'manual'))
      }
    } finally {
      await router.close()
    }
  })

  it('prints records a writer puts in two lanes moments apart in time order, even when a poll falls between the writes', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, A))
    const tail = follow([dir, '--json'])
    await sleep(300)
    // As a router's flush does, lane after lane, here with a writer slowed down: the newer record lands in db.log
    // 20 ms before the older one in app.log. Over 40 pairs, polls (every 250 ms) fall between the two writes of
    // some pairs: printing what a poll finds at once printed those out of order nearly every run.
    const record = (time: number, domain: string) => `{"level":30,"time":${time},"domain":"${domain}"}`
    const written: string[] = []
    // The pairs whose two writes really were less than tail's hold (100 ms) apart: a loaded machine can stretch a
    // 20 ms sleep past it, and tail promises order only within the hold.
    const close: number[] = []
    for (let pair = 0; pair < 40; pair++) {
      const time = T0 + 2 * pair
      appendFileSync(join(dir, A, 'db.log'), `${record(time + 1, 'db')}\n`)
      const newerAt = performance.now()
      await sleep(20)
      appendFileSync(join(dir, A, 'app.log'), `${record(time, 'app')}\n`)
      if (performance.now() - newerAt < 80) close.push(pair)
      written.push(record(time, 'app'), record(time + 1, 'db'))
      await sleep(45)
    }
    await waitFor(() => tail.lines().length === written.length, 10_000, 'every record')
    tail.child.kill('SIGTERM')
    expect(await tail.exited).toEqual([0, null, ''])
    // Every record once; and each pair written within the hold in time order.
    expect([...tail.lines()].sort()).toEqual([...written].sort())
    expect(close.length).toBeGreaterThan(0)
    for (const pair of close) {
      const [older, newer] = [written[2 * pair]!, written[2 * pair + 1]!]
      expect(tail.lines().indexOf(older)).toBeLessThan(tail.lines().indexOf(newer))
    }
  })

  it('reads a lane file that compression moved away and a late record created again from its start', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, A))
    const early = ['{"level":30,"time":1,"msg":"one"}', '{"level":30,"time":2,"msg":"two"}']
    writeFileSync(join(dir, A, 'app.log'), `${early.join('\n')}\n`)
    const tail = follow([dir, '--json'])
    await waitFor(() => tail.lines().length === 2, 10_000, 'the first lines')
    // As core's gzip does: the plain file is renamed to a private dot-file, then archived beside it.
    renameSync(join(dir, A, 'app.log'), join(dir, A, '.app.log.1-a.pending'))
    writeFileSync(join(dir, A, 'app.log.gz'), gzipSync(`${early.join('\n')}\n`))
    await sleep(600)
    const late = '{"level":30,"time":3,"msg":"late"}'
    writeFileSync(join(dir, A, 'app.log'), `${late}\n`)
    await waitFor(() => tail.lines().length === 3, 10_000, 'the late record')
    await sleep(600)
    tail.child.kill('SIGTERM')
    expect(await tail.exited).toEqual([0, null, ''])
    expect(tail.lines()).toEqual([...early, late])
  })

  it('waits for a lane that does not exist yet, and exits cleanly on SIGINT', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, A))
    writeFileSync(join(dir, A, 'app.log'), '{"level":30,"time":1,"msg":"old"}\n')
    const tail = follow([dir, '--level', 'fatal', '--json'])
    const line = '{"level":60,"time":2,"msg":"the end"}'
    await waitFor(() => tail.stderr().includes('waiting'), 10_000, 'the notice')
    mkdirSync(join(dir, B))
    writeFileSync(join(dir, B, 'fatal.log'), `${line}\n`)
    writeFileSync(join(dir, B, 'app.log'), '{"level":30,"time":3,"msg":"not chosen"}\n')
    await waitFor(() => tail.lines().length === 1, 10_000, 'the new lane')
    tail.child.kill('SIGINT')
    const [code, signal, stderr] = await tail.exited
    expect([code, signal]).toEqual([0, null])
    expect(stderr).toBe(`loglanes: no lane named 'fatal' in ${dir} yet (lanes: app); waiting for it\n`)
    expect(tail.lines()).toEqual([line])
  })
})
