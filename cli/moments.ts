/**
 * Points in the log's history as a command names them: an ISO-8601 time (compared with each event's
 * occurredAt, as /history does) or a log position, parsed as the API parses them (shared/positions.ts).
 */
import type { RecordedEvent } from '../eventlog/port.ts'
import { parseInstant, parsePosition } from '../shared/positions.ts'
import { UsageError } from './command.ts'

export type Moment = { time: number } | { position: number }

const asUsage = <T>(parse: () => T): T => {
  try {
    return parse()
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

export const parseTime = (value: string, option: string): number => asUsage(() => parseInstant(value, option))

export const parsePositionArgument = (value: string, option: string): number => asUsage(() => parsePosition(value, option))

/** Digits alone are a position; anything else must be a time. */
export const parseMoment = (value: string, option: string): Moment =>
  /^\d+$/.test(value.trim()) ? { position: parsePositionArgument(value, option) } : { time: parseTime(value, option) }

export const happenedBy = (event: RecordedEvent, moment: Moment): boolean =>
  'position' in moment ? event.position <= moment.position : Date.parse(event.metadata.occurredAt) <= moment.time

export const describeMoment = (moment: Moment): string =>
  'position' in moment ? `position ${moment.position}` : new Date(moment.time).toISOString()
