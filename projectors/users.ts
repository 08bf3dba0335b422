/** users: accounts with their personal data in clear (the log decrypts it), blanked when the user is erased. */
import { collections, type UserDoc } from '../readmodels/documents.ts'
import { defineProjection } from './projection.ts'
import { create, patch } from './write.ts'

export const usersProjection = defineProjection({
  name: 'users',
  collections: [{ name: collections.users, indexes: [] }],
  on: {
    UserRegistered: (event, store) => {
      const { userId, email, displayName, roles, accountType, brandName, registeredAt } = event.data
      return create<UserDoc>(store, collections.users, event, {
        id: userId,
        userId,
        // Read back after an erasure, the personal fields are null.
        email: email ?? null,
        displayName: displayName ?? null,
        roles,
        accountType,
        brandName,
        registeredAt,
        erased: false,
      })
    },
    UserRolesChanged: (event, store) => patch<UserDoc>(store, collections.users, event.data.userId, event, () => ({ roles: event.data.roles })),
    UserErased: (event, store) =>
      patch<UserDoc>(store, collections.users, event.data.userId, event, () => ({ email: null, displayName: null, erased: true })),
  },
})
