/**
 * Given/when/then for deciders: `spec(decider).given(events).when(command).then(events)`.
 * Assertions come from node:assert, so a failing spec throws inside whatever test runner calls it.
 */
import assert from 'node:assert/strict'
import { fold, type Decider, type DomainCommand, type DomainEvent } from '../decider.ts'

type ErrorClass = abstract new (...args: never[]) => Error

export interface Outcome<Event> {
  then(expected: Event[]): void
  thenThrows(errorClass: ErrorClass, messagePart?: string): void
  thenNothingHappened(): void
}

const describe = (value: unknown): string =>
  value instanceof Error ? `${value.name}: ${value.message}` : JSON.stringify(value)

export const spec = <Command extends DomainCommand, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
) => ({
  given: (events: readonly Event[]) => ({
    when: (command: Command): Outcome<Event> => {
      const decide = () => {
        const state = fold(decider, events)
        const decided = decider.decide(command, state)
        decided.reduce(decider.evolve, state)
        return decided
      }
      return {
        then: expected => assert.deepStrictEqual(decide(), expected),
        thenNothingHappened: () => assert.deepStrictEqual(decide(), []),
        thenThrows: (errorClass, messagePart) => {
          let decided: Event[]
          try {
            decided = decide()
          } catch (error) {
            assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${describe(error)}`)
            if (messagePart !== undefined)
              assert.ok(error.message.includes(messagePart), `expected "${messagePart}" in "${error.message}"`)
            return
          }
          assert.fail(`expected ${errorClass.name}, but decided ${describe(decided)}`)
        },
      }
    },
  }),
})
