import { describe, expect, it } from 'vitest'
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

describe('OpenTelemetry winston instrumentation recipe (examples/clients/otel-winston.mjs)', () => {
  it("puts the request's trace id on every line it logs, in every lane, all on disk after SIGTERM", async () => {
    const plan = planRequests(300)
    const server = await startExample('otel-winston.mjs')
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
})
