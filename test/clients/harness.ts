import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { basename, join } from 'node:path'
import { expect } from 'vitest'
import { listFiles, REPO_ROOT, readLines, tempDir } from '../support/files.js'

/** One planned request: its id (sent as `x-request-id` and `?id=`) and whether it is the failing route. */
export interface PlannedRequest {
  readonly id: string
  readonly fails: boolean
}

/**
 * `count` requests, every fifth one to the failing route (a 5xx), so a run of 300 has 240 ok and 60 failed.
 */
export function planRequests(count: number): PlannedRequest[] {
  return Array.from({ length: count }, (_, i) => ({ id: `r${i + 1}`, fails: i % 5 === 4 }))
}

/** An example server started in a child process, listening on 127.0.0.1. */
export interface RunningExample {
  readonly url: string
  readonly logDir: string
  readonly child: ChildProcess
  /** Everything the example printed on stderr so far. */
  stderr(): string
}

/**
 * Starts `examples/clients/<file>` with its logs in a fresh temporary folder, and resolves once it has printed
 * `listening http://127.0.0.1:<port>` (the examples listen on an ephemeral port of 127.0.0.1 only).
 */
export async function startExample(file: string, env: Record<string, string> = {}): Promise<RunningExample> {
  const logDir = join(tempDir('loglanes-client-'), 'logs')
  const child = spawn(process.execPath, [join(REPO_ROOT, 'examples/clients', file)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, LOG_DIR: logDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not print its address within 15 s`), 15_000)
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${file} ${why}\nstdout: ${stdout}\nstderr: ${stderr}`))
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk
      const found = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
      if (found) {
        clearTimeout(timer)
        resolve(found[1]!)
      }
    })
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`))
  })
  return { url, logDir, child, stderr: () => stderr }
}

/**
 * Sends every planned request to 127.0.0.1 with Node's fetch, `concurrency` at a time, and checks each status:
 * 200 for the ok route, 500 for the failing one. `headers` adds headers per request (a traceparent).
 */
export async function sendRequests(
  url: string,
  plan: readonly PlannedRequest[],
  options: { concurrency?: number; headers?: (request: PlannedRequest) => Record<string, string> } = {},
): Promise<void> {
  const statuses = new Map<string, number>()
  let next = 0
  const worker = async () => {
    while (next < plan.length) {
      const request = plan[next++]!
      const response = await fetch(`${url}/${request.fails ? 'fail' : 'ok'}?id=${request.id}`, {
        headers: { 'x-request-id': request.id, ...options.headers?.(request) },
      })
      await response.arrayBuffer()
      statuses.set(request.id, response.status)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker))
  expect(statuses.size).toBe(plan.length)
  for (const request of plan) expect(statuses.get(request.id)).toBe(request.fails ? 500 : 200)
}

/** Sends `signal` (the documented way to stop the example) and resolves with how the process ended. */
export async function stopExample(
  running: RunningExample,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const { child } = running
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  const [code, how] = await exited
  clearTimeout(timer)
  return { code, signal: how }
}

/**
 * Every record of every lane file under `logDir`, parsed, keyed by lane name (`http`, `error`, ...); a lane's
 * records from several interval folders (a run across midnight) are added up.
 */
export function laneRecords(logDir: string): Map<string, Record<string, unknown>[]> {
  const lanes = new Map<string, Record<string, unknown>[]>()
  for (const file of listFiles(logDir)) {
    expect(file, 'only lane files in interval folders').toMatch(/^\d{4}-\d{2}-\d{2}\/[A-Za-z][\w-]*\.log$/)
    const lane = basename(file, '.log')
    const records = lanes.get(lane) ?? []
    for (const line of readLines(join(logDir, file)))
      records.push(JSON.parse(line) as Record<string, unknown>)
    lanes.set(lane, records)
  }
  return lanes
}

/**
 * How many records of `records` belong to each request, by `idOf` (records without an id are counted under
 * the empty string), so a test can compare every request's lines in a lane exactly.
 */
export function linesPerRequest(
  records: readonly Record<string, unknown>[] | undefined,
  idOf: (record: Record<string, unknown>) => unknown,
): Map<string, number> {
  const counts = new Map<string, number>()
  for (const record of records ?? []) {
    const id = idOf(record)
    const key = typeof id === 'string' ? id : ''
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** The counts `linesPerRequest` must find: `perOk` lines for each ok request and `perFailed` for each failed one. */
export function expectedPerRequest(
  plan: readonly PlannedRequest[],
  perOk: number,
  perFailed: number,
): Map<string, number> {
  const counts = new Map<string, number>()
  for (const request of plan) {
    const n = request.fails ? perFailed : perOk
    if (n > 0) counts.set(request.id, n)
  }
  return counts
}

/** A distinct W3C trace id per planned request (32 hex digits), derived from its number. */
export const traceIdOf = (request: PlannedRequest): string => request.id.slice(1).padStart(32, 'a')

/** The parent span id every request's `traceparent` names. */
export const PARENT_SPAN = 'b7ad6b7169203331'

/** The `traceparent` header that makes `request` part of the trace `traceIdOf(request)`. */
export const traceparentOf = (request: PlannedRequest): Record<string, string> => ({
  traceparent: `00-${traceIdOf(request)}-${PARENT_SPAN}-01`,
})

/**
 * Checks that every record (each with a `reqId`) carries the trace id its request sent and the id of the one
 * server span OpenTelemetry's HTTP instrumentation opened under it: the same span on all of a request's
 * lines, a different one per request (`plan.length` spans in all).
 */
export function expectTraceIds(
  records: readonly Record<string, unknown>[],
  plan: readonly PlannedRequest[],
): void {
  const byId = new Map(plan.map((request) => [request.id, request]))
  const spans = new Map<string, unknown>()
  for (const record of records) {
    const request = byId.get(record.reqId as string)
    expect(request, `a record of a planned request: ${JSON.stringify(record)}`).toBeDefined()
    expect(record).toMatchObject({ trace_id: traceIdOf(request!), trace_flags: '01' })
    expect(record.span_id).toMatch(/^[0-9a-f]{16}$/)
    expect(record.span_id).not.toBe(PARENT_SPAN)
    if (!spans.has(request!.id)) spans.set(request!.id, record.span_id)
    expect(record.span_id).toBe(spans.get(request!.id))
  }
  expect(spans.size).toBe(plan.length)
  expect(new Set(spans.values()).size).toBe(plan.length)
}
