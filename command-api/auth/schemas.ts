/** Request and response shapes of the auth and user routes. */
import { Type } from '@sinclair/typebox'
import { OneOf, Strict, Text } from '../../shared/schemas.ts'

export const RoleSchema = OneOf('consumer', 'brand', 'moderator', 'admin', 'repairer', 'reseller', 'recycler', 'authority')

export const Email = Type.String({ format: 'email', maxLength: 254 })

export const Registration = Strict({
  email: Email,
  password: Type.String({ minLength: 8, maxLength: 256 }),
  displayName: Text(100),
  accountType: Type.Optional(Type.Union([Type.Literal('consumer'), Type.Literal('brand')])),
  brandName: Type.Optional(Text(200)),
})

export const Credentials = Strict({ email: Email, password: Type.String({ minLength: 1, maxLength: 256 }) })

export const AccountView = Strict({ userId: Type.String(), email: Type.String(), displayName: Type.String(), roles: Type.Array(RoleSchema) })

export const BrandApplication = Strict({ brandName: Type.String(), status: Type.Literal('pending') })
