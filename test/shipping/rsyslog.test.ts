import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { listFiles, REPO_ROOT, readLines, waitFor } from '../support/files.js'
import { endLogger, flushLogger, timedLogger } from '../support/pinoLogger.js'

// A real edge rsyslog tails the lanes @loglanes/pino writes and forwards them to a real central rsyslog, both
// started from examples/shipping/rsyslog with only the ADAPT values replaced. No system daemon is involved:
// both run in the foreground as the test user, on free loopback ports, with their own folders.

const EXAMPLE = join(REPO_ROOT, 'examples/shipping/rsyslog')
const HOST = 'loglanes-edge'
const DOMAINS = ['app', 'db', 'http'] as const
const LEVELS = ['debug', 'info', 'warn', 'error'] as const
const COUNT = 12_000
/** Records before the edge is stopped; the rest are written while it is down and read after its restart. */
const FIRST = 7_000
/** Record times span 150 s from the start of a minute: three `1m` folders. */
const SPAN_MS = 150_000
/** Lanes go on in `<lane>.1.log`, `<lane>.2.log`, ... past this: every lane of every folder has parts. */
const MAX_FILE_SIZE = 64 * 1024
/** Longer than rsyslog's 8k default message size: these arrive whole only thanks to maxMessageSize. */
const BIG = 'x'.repeat(20_000)

// The test never installs anything: it needs rsyslogd and rsyslog-relp's modules on the machine (.ci/run installs
// them in CI). Locally, without them, it is skipped and says how to get them; under CI=true it fails instead.
const INSTALL_HINT =
  'install them (Debian/Ubuntu: sudo apt-get install rsyslog rsyslog-relp; other systems: the rsyslog and ' +
  'rsyslog RELP packages), or run .ci/run, which installs them'
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
const setup = findRsyslog()
if (setup.missing !== undefined) {
  console.warn(`test/shipping/rsyslog: ${IN_CI ? 'FAILING (CI=true)' : 'SKIPPED'}: ${setup.missing}`)
}

interface Setup {
  readonly rsyslogd: string
  readonly transports: readonly Transport[]
  /** What is missing, with how to install it; undefined when rsyslogd and its RELP modules are there. */
  readonly missing: string | undefined
}

type Transport = 'RELP' | 'TCP'

function findRsyslog(): Setup {
  const rsyslogd = findRsyslogd()
  if (rsyslogd === undefined) {
    return {
      rsyslogd: '',
      transports: [],
      missing: `this test needs rsyslog and rsyslog-relp, and rsyslogd is not installed: ${INSTALL_HINT}`,
    }
  }
  if (!relpModulesLoad(rsyslogd)) {
    return {
      rsyslogd,
      transports: ['TCP'],
      missing: `this test needs rsyslog-relp (omrelp, imrelp), which ${rsyslogd} cannot load: ${INSTALL_HINT}`,
    }
  }
  return { rsyslogd, transports: ['RELP', 'TCP'], missing: undefined }
}

function findRsyslogd(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v rsyslogd'], { encoding: 'utf8' })
  if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim()
  return ['/usr/sbin/rsyslogd', '/sbin/rsyslogd', '/usr/local/sbin/rsyslogd'].find((path) => existsSync(path))
}

/** True when rsyslog-relp's modules are present: a config check that loads them passes. */
function relpModulesLoad(rsyslogd: string): boolean {
  const folder = mkdtempSync(join(tmpdir(), 'loglanes-relp-'))
  try {
    // rsyslog rejects a configuration without an action, even in a check.
    const conf =
      'module(load="omrelp")\nmodule(load="imrelp")\naction(type="omrelp" target="127.0.0.1" port="9")\n'
    writeFileSync(join(folder, 'check.conf'), conf)
    return spawnSync(rsyslogd, ['-N1', '-f', join(folder, 'check.conf')], { encoding: 'utf8' }).status === 0
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Replaces each ADAPT value of an example config, failing when the example no longer has it. */
function adapt(text: string, replacements: readonly (readonly [string, string])[]): string {
  let out = text
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`the example config no longer contains ${from}`)
    out = out.replaceAll(from, to)
  }
  return out
}

/** A free loopback port above 1024, as the kernel hands one out. */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  await once(server, 'close')
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

const running = new Set<ChildProcess>()
const output = new Map<ChildProcess, string>()

afterAll(async () => {
  for (const daemon of running) await stop(daemon)
})

function start(rsyslogd: string, conf: string, pidFile: string, name: string): ChildProcess {
  const daemon = spawn(rsyslogd, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(daemon)
  output.set(daemon, '')
  const keep = (data: Buffer) => output.set(daemon, `${output.get(daemon)}${data}`)
  daemon.stdout!.on('data', keep)
  daemon.stderr!.on('data', keep)
  daemon.once('exit', (code, signal) => {
    running.delete(daemon)
    keep(Buffer.from(`[${name} exited: ${signal ?? code}]\n`))
  })
  return daemon
}

/** SIGTERM, so rsyslog saves its state and queues as in a real stop; SIGKILL if it hangs. */
async function stop(daemon: ChildProcess): Promise<void> {
  if (daemon.exitCode !== null || daemon.signalCode !== null) return
  const exited = once(daemon, 'exit')
  daemon.kill('SIGTERM')
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Lines in a file, counted without splitting it. */
function countLines(path: string): number {
  const data = readFileSync(path)
  let lines = 0
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lines++
  return lines
}

/** Sum of the sizes of the files under `dir` whose relative path passes `keep`. */
function bytesUnder(dir: string, keep: (file: string) => boolean = () => true): number {
  if (!existsSync(dir)) return 0
  return listFiles(dir)
    .filter(keep)
    .reduce((sum, file) => sum + statSync(join(dir, file)).size, 0)
}

// Locally, a missing rsyslog skips the suite with the reason in its name (never passed); without rsyslog-relp only
// the TCP variant runs, and the name says so. Under CI=true, anything missing is also a failing test.
const SKIPPED =
  setup.missing === undefined
    ? ''
    : `, ${setup.transports.length === 0 ? 'SKIPPED' : 'RELP variant SKIPPED'}: ${setup.missing}`
const SUITE = `lanes shipped to a central rsyslog (examples/shipping/rsyslog)${SKIPPED}`

if (IN_CI && setup.missing !== undefined) {
  describe('test/shipping under CI=true', () => {
    it('has rsyslog and rsyslog-relp to ship through', () => {
      throw new Error(`test/shipping: ${setup.missing}`)
    })
  })
}

describe.skipIf(setup.transports.length === 0)(SUITE, () => {
  it.each(setup.transports)(
    `over %s: ${COUNT.toLocaleString('en')} records through @loglanes/pino arrive once each, in their lanes, across folders, maxFileSize parts and an edge restart`,
    async (transport) => {
      // Removed when this test finishes: tempDir's afterEach, registered inside a test, would not run for it.
      const root = mkdtempSync(join(tmpdir(), 'loglanes-shipping-'))
      onTestFinished(() => rmSync(root, { recursive: true, force: true }))
      const dir = join(root, 'logs')
      const out = join(root, 'central-out')
      for (const folder of ['edge-work', 'central-work', 'conf']) mkdirSync(join(root, folder))
      const port = await freePort()

      let edgeConf = adapt(readFileSync(join(EXAMPLE, 'edge.conf'), 'utf8'), [
        ['/var/spool/rsyslog-loglanes', join(root, 'edge-work')],
        ['/var/log/my-service/', `${dir}/`],
        ['central.example.com', '127.0.0.1'],
        ['port="2514"', `port="${port}"`],
        // One fixed host name, so the central side's folder is known.
        ['global(', `global(localHostname="${HOST}" `],
      ])
      let centralConf = adapt(readFileSync(join(EXAMPLE, 'central.conf'), 'utf8'), [
        ['/var/spool/rsyslog-central', join(root, 'central-work')],
        ['/var/log/loglanes/', `${out}/`],
        ['port="2514"', `port="${port}"`],
      ])
      if (transport === 'TCP') {
        // The variant the configs describe for machines without rsyslog-relp.
        edgeConf = adapt(edgeConf, [
          ['module(load="omrelp")\n', ''],
          ['type="omrelp"', 'type="omfwd" protocol="tcp" tcp_framing="octet-counted"'],
          ['windowSize="1024"\n', ''],
        ])
        centralConf = adapt(centralConf, [
          ['module(load="imrelp")', 'module(load="imtcp")'],
          ['type="imrelp"', 'type="imtcp"'],
        ])
      }
      writeFileSync(join(root, 'conf/edge.conf'), edgeConf)
      writeFileSync(join(root, 'conf/central.conf'), centralConf)
      let edgeRuns = 0
      // A pid file per run: rsyslogd refuses to start over one left behind.
      const startEdge = () =>
        start(setup.rsyslogd, join(root, 'conf/edge.conf'), join(root, `conf/edge-${++edgeRuns}.pid`), 'edge')
      const daemons: ChildProcess[] = []
      const hostOut = join(out, HOST)
      const isLane = (file: string) => file !== 'probe.log'

      try {
        daemons.push(
          start(setup.rsyslogd, join(root, 'conf/central.conf'), join(root, 'conf/central.pid'), 'central'),
        )
        await waitForAsync(() => canConnect(port), 10_000, 'the central rsyslog listening')
        let edge = startEdge()
        daemons.push(edge)

        // The pipeline is up once a line written after the edge started reaches the central side. The probe's
        // folder is no interval folder: loglanes never touches it.
        mkdirSync(join(dir, '0-probe'), { recursive: true })
        writeFileSync(join(dir, '0-probe/probe.log'), '{"probe":true}\n')
        await waitFor(
          () => existsSync(join(hostOut, 'probe.log')),
          10_000,
          'the probe line at the central side',
        )

        const minute = Math.floor(Date.now() / 60_000) * 60_000
        const base = minute - 3 * 60_000
        let time = base
        const logger = timedLogger(
          {
            level: 'debug',
            transport: {
              target: '@loglanes/pino',
              options: {
                dir,
                domains: [...DOMAINS],
                interval: '1m',
                timezone: 'UTC',
                maxFileSize: MAX_FILE_SIZE,
              },
            },
          },
          () => time,
        )
        const children = DOMAINS.map((domain) => logger.child({ domain }))
        const logRecords = (from: number, to: number) => {
          for (let n = from; n < to; n++) {
            time = base + Math.floor((n * SPAN_MS) / COUNT)
            const fields =
              n % 1000 === 7 ? { n, blob: BIG } : { n, user: 'Zoë €1 😀', path: '/api/items?q=a b' }
            children[n % 3]![LEVELS[n % 4]!](
              fields,
              n % 10 === 3 ? 'tab\tdel\u007f "quoted" \\ #012' : 'handled',
            )
          }
        }
        const laneLines = () =>
          listFiles(dir)
            .filter((file) => /^\d{4}-.*\.log$/.test(file))
            .reduce((sum, file) => sum + countLines(join(dir, file)), 0)
        const laneBytes = () => bytesUnder(dir, (file) => /^\d{4}-.*\.log$/.test(file))
        const centralBytes = () => bytesUnder(hostOut, isLane)

        // Phase 1: the edge runs while the first folder fills and the second one is created.
        logRecords(0, FIRST)
        await flushLogger(logger)
        await waitFor(() => laneLines() === 2 * FIRST, 10_000, 'the first records in their lane files')
        await waitFor(() => centralBytes() >= laneBytes(), 20_000, 'the first records at the central side')

        // Phase 2: the edge is stopped, the service logs on into a third folder, and the edge restarts.
        await stop(edge)
        logRecords(FIRST, COUNT)
        await endLogger(logger)
        expect(laneLines()).toBe(2 * COUNT)
        edge = startEdge()
        daemons.push(edge)
        await waitFor(() => centralBytes() >= laneBytes(), 20_000, 'every record at the central side')

        // Stopped in order, the central side having written everything, before the files are compared.
        await stop(edge)
        await stop(daemons[0]!)

        const folders = readdirSync(dir).filter((name) => /^\d{4}-\d{2}-\d{2}__\d{2}-\d{2}$/.test(name))
        const name = (at: number) =>
          new Date(at).toISOString().slice(0, 16).replace('T', '__').replace(':', '-')
        expect(folders.sort()).toEqual([name(base), name(base + 60_000), name(base + 120_000)])

        // Every lane line, by lane and record number, as written on the edge (`db.1.log` is a part of lane db)...
        const sent = new Map<string, string>()
        const parted = new Set<string>()
        for (const folder of folders) {
          for (const file of readdirSync(join(dir, folder))) {
            const [lane, part] = file.split('.') as [string, string]
            if (part !== 'log') parted.add(lane)
            for (const line of readLines(join(dir, folder, file))) {
              sent.set(`${lane} ${(JSON.parse(line) as { n: number }).n}`, line)
            }
          }
        }
        expect(sent.size).toBe(2 * COUNT)
        expect([...parted].sort()).toEqual([...DOMAINS, ...LEVELS].sort())

        // ...arrives exactly once, byte for byte, in the central file of its host and lane: every part's lines in
        // their lane's file, none in a file of its own.
        const lanes = readdirSync(hostOut).filter(isLane).sort()
        expect(lanes).toEqual([...DOMAINS, ...LEVELS].map((lane) => `${lane}.log`).sort())
        const received = new Map<string, number>()
        let mismatched = 0
        for (const file of lanes) {
          const lane = file.replace(/\.log$/, '')
          for (const line of readLines(join(hostOut, file))) {
            const key = `${lane} ${(JSON.parse(line) as { n: number }).n}`
            received.set(key, (received.get(key) ?? 0) + 1)
            if (sent.get(key) !== line) mismatched++
          }
        }
        const counts = [...received.values()]
        expect({
          distinct: received.size,
          total: counts.reduce((a, b) => a + b, 0),
          repeated: counts.filter((c) => c > 1).length,
          mismatched,
        }).toEqual({ distinct: 2 * COUNT, total: 2 * COUNT, repeated: 0, mismatched: 0 })
        // Each record in its own domain lane and level lane, none in another.
        const misplaced: string[] = []
        for (let n = 0; n < COUNT; n++) {
          for (const lane of [DOMAINS[n % 3], LEVELS[n % 4]]) {
            if (received.get(`${lane} ${n}`) !== 1) misplaced.push(`record ${n} not in ${lane}`)
          }
        }
        expect(misplaced).toEqual([])
      } catch (error) {
        for (const daemon of daemons) console.error(output.get(daemon))
        throw error
      } finally {
        for (const daemon of daemons) await stop(daemon)
      }
    },
    60_000,
  )
})

/** Polls an asynchronous condition every 50 ms until it holds; throws naming `what` after `timeoutMs`. */
async function waitForAsync(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
