/** An event as the domain sees it: a past-tense type and its data. Metadata is added at the edge. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type
  data: Data
}

/** A command carries everything a rule may need, including who asks and when (no clock in the domain). */
export interface DomainCommand<Type extends string = string, Data extends object = object> {
  type: Type
  data: Data
  metadata: { actorId: string; roles: readonly string[]; now: string }
}

export interface Decider<Command extends DomainCommand, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[]
  evolve(state: State, event: Event): State
  initialState(): State
}

/** Folds events into state with a decider's evolve. */
export const fold = <Event extends DomainEvent, State>(
  decider: Pick<Decider<never, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState())
