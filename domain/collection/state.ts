import type { CollectionEvent } from './events.ts'

export interface CollectionState {
  exists: boolean
  collectionId: string
  brandId: string
  designIds: string[]
}

export const initialState = (): CollectionState => ({ exists: false, collectionId: '', brandId: '', designIds: [] })

export const evolve = (state: CollectionState, event: CollectionEvent): CollectionState => {
  switch (event.type) {
    case 'CollectionCreated':
      return { exists: true, collectionId: event.data.collectionId, brandId: event.data.brandId, designIds: [] }
    case 'DesignAdded':
      return { ...state, designIds: [...state.designIds, event.data.designId] }
    default: {
      const _exhaustive: never = event
      return state
    }
  }
}
