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

describe('NestJS 11 with nest-winston recipe (examples/clients/nestjs.mjs)', () => {
  it("routes on Nest's context: request lines in http.log, Nest's own in app.log, 5xx in error.log", async () => {
    const plan = planRequests(300)
    const server = await startExample('nestjs.mjs')
    await sendRequests(server.url, plan)
    expect(await stopExample(server)).toEqual({ code: 0, signal: null })
    expect(server.stderr()).toBe('')

    const lanes = laneRecords(server.logDir)
    expect([...lanes.keys()].sort()).toEqual(['app', 'error', 'http', 'info'])
    const reqId = (record: Record<string, unknown>) => record.reqId
    // The app's middleware logs one line per request in context 'http': domainKey 'context' makes it the lane.
    expect(lanes.get('http')).toHaveLength(300)
    expect(linesPerRequest(lanes.get('http'), reqId)).toEqual(expectedPerRequest(plan, 1, 1))
    expect(lanes.get('http')!.every((record) => record.context === 'http')).toBe(true)
    // Nest's own contexts are not declared domains: its 6 start-up lines and the ExceptionsHandler's line for
    // each of the 60 failures are in app.log, the line unchanged (context kept).
    const contexts = linesPerRequest(lanes.get('app'), (record) => record.context)
    expect(contexts).toEqual(
      new Map([
        ['NestFactory', 1],
        ['InstanceLoader', 1],
        ['RoutesResolver', 1],
        ['RouterExplorer', 2],
        ['NestApplication', 1],
        ['ExceptionsHandler', 60],
      ]),
    )
    // error.log: each failure twice, once from the app's request line and once from Nest's ExceptionsHandler.
    expect(lanes.get('error')).toHaveLength(120)
    expect(linesPerRequest(lanes.get('error'), reqId)).toEqual(expectedPerRequest(plan, 0, 1).set('', 60))
    const handled = lanes.get('error')!.filter((record) => record.context === 'ExceptionsHandler')
    expect(handled.map((record) => record.message)).toEqual(Array(60).fill('backend unavailable'))
    // info.log: the 240 ok requests and Nest's 6 start-up lines.
    expect(lanes.get('info')).toHaveLength(246)
    expect(linesPerRequest(lanes.get('info'), reqId)).toEqual(expectedPerRequest(plan, 1, 0).set('', 6))
  })
})
