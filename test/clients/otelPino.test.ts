import { execFile } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { repoProject } from '../support/files.js'
import {
  expectedPerRequest,
  expectTraceIds,
  laneRecords,
  linesPerRequest,
  planRequests,
  sendRequests,
  startExample,
  stopExample,
  traceparentOf,
} from './harness.js'

const run = promisify(execFile)

describe('OpenTelemetry pino instrumentation recipe (examples/clients/otel-pino.mjs)', () => {
  it("puts the request's trace id on every line it logs, in every lane, all written after SIGTERM", async () => {
    const plan = planRequests(300)
    const server = await startExample('otel-pino.mjs')
    await sendRequests(server.url, plan, { headers: traceparentOf })
    expect(await stopExample(server)).toEqual({ code: 0, signal: null })
    expect(server.stderr()).toBe('')

    const lanes = laneRecords(server.logDir)
    expect([...lanes.keys()].sort()).toEqual(['app', 'db', 'error', 'http', 'info'])
    const reqId = (record: Record<string, unknown>) => record.reqId
    expect(lanes.get('db')).toHaveLength(300)
    expect(linesPerRequest(lanes.get('db'), reqId)).toEqual(expectedPerRequest(plan, 1, 1))
    expect(lanes.get('http')).toHaveLength(300)
    expect(linesPerRequest(lanes.get('http'), reqId)).toEqual(expectedPerRequest(plan, 1, 1))
    expect(lanes.get('error')).toHaveLength(60)
    expect(linesPerRequest(lanes.get('error'), reqId)).toEqual(expectedPerRequest(plan, 0, 1))
    expect(lanes.get('info')).toHaveLength(541) // 300 db + 240 ok request lines + 'listening'
    // Every request line carries the trace id the client sent and the id of the server span the HTTP
    // instrumentation opened under it: one span per request, the same on its db and http lines.
    expectTraceIds([...lanes.get('db')!, ...lanes.get('http')!], plan)
    // Outside any span there is nothing to add: the start-up line has no trace id.
    expect(lanes.get('app')).toEqual([expect.not.objectContaining({ trace_id: expect.anything() })])
  })

  it("logger.flush(cb) calls back at once under the instrumentation; the transport's flush waits for the files", async () => {
    const dir = repoProject('otel-flush-')
    const script = `
      const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino')
      const { registerInstrumentations } = require('@opentelemetry/instrumentation')
      registerInstrumentations({ instrumentations: [new PinoInstrumentation()] })
      const pino = require('pino')
      const { readFileSync, readdirSync } = require('node:fs')
      const transport = pino.transport({ target: '@loglanes/pino', options: { dir: 'logs', interval: 'none' } })
      const logger = pino(transport)
      for (let i = 0; i < 2000; i++) logger.info({ i }, 'line')
      let calledBack = false
      logger.flush(() => { calledBack = true })
      const atOnce = calledBack
      transport.flush(() => {
        const lines = readFileSync('logs/app.log', 'utf8').split('\\n').length - 1
        console.log(JSON.stringify({ atOnce, lines }))
        process.exit(0)
      })
    `
    // A file, not node -e: pino resolves the transport target from the caller's file.
    writeFileSync(join(dir, 'flush.cjs'), script)
    const { stdout, stderr } = await run(process.execPath, ['flush.cjs'], { cwd: dir, timeout: 20_000 })
    expect(stderr).toBe('')
    // The wrapper stream (pino.multistream) has no flush(cb), so pino calls back before returning; the
    // transport's own flush calls back once all 2,000 lines are in app.log.
    expect(JSON.parse(stdout)).toEqual({ atOnce: true, lines: 2000 })
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['app.log', 'info.log'])
  })
})
