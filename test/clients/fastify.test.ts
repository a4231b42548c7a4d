import { describe, expect, it } from 'vitest'
import {
  expectedPerRequest,
  laneRecords,
  linesPerRequest,
  planRequests,
  sendRequests,
  startExample,
  stopExample,
} from './harness.js'

describe('Fastify 5 recipe (examples/clients/fastify.mjs)', () => {
  it('puts every request line in http.log and each 5xx in error.log, all written after SIGTERM', async () => {
    const plan = planRequests(300)
    const server = await startExample('fastify.mjs')
    await sendRequests(server.url, plan)
    expect(await stopExample(server)).toEqual({ code: 0, signal: null })
    expect(server.stderr()).toBe('')

    const lanes = laneRecords(server.logDir)
    expect([...lanes.keys()].sort()).toEqual(['app', 'error', 'http', 'info'])
    const reqId = (record: Record<string, unknown>) => record.reqId
    // Fastify logs 'incoming request' and 'request completed' per request, and the error of a 5xx between
    // them: 240 ok x 2 + 60 failed x 3 = 660 lines, all through the child logger that adds the domain.
    expect(lanes.get('http')).toHaveLength(660)
    expect(linesPerRequest(lanes.get('http'), reqId)).toEqual(expectedPerRequest(plan, 2, 3))
    expect(lanes.get('http')!.every((record) => record.domain === 'http')).toBe(true)
    expect(lanes.get('error')).toHaveLength(60)
    expect(linesPerRequest(lanes.get('error'), reqId)).toEqual(expectedPerRequest(plan, 0, 1))
    expect(lanes.get('error')!.every((record) => record.msg === 'backend unavailable')).toBe(true)
    // info.log: every request's two info lines, and the server's 'listening' line (no request id).
    expect(lanes.get('info')).toHaveLength(601)
    expect(linesPerRequest(lanes.get('info'), reqId)).toEqual(expectedPerRequest(plan, 2, 2).set('', 1))
    // The server's own logger has no domain: its one line ('Server listening at ...') is in the default lane.
    expect(lanes.get('app')!.map((record) => record.msg)).toEqual([`Server listening at ${server.url}`])
  })
})
