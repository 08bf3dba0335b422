import type { ProductCommand } from './commands.ts'
import type { ProductEvent } from './events.ts'
import { decideLifecycle, recordLifecycle } from './rules/lifecycle.ts'
import { listProduct, updateListing, withdrawListing } from './rules/listing.ts'
import { changeConsent, claimProduct, issueClaimCode, transferOwnership } from './rules/ownership.ts'
import { createProduct, flagScanAnomaly, regenerateQrCode } from './rules/passport.ts'
import { passportDataUpdated, setPassportData } from './rules/passportData.ts'
import { noteScan, setAlert } from './rules/alert.ts'
import { issueOwnershipProof, revokeOwnershipProof } from './rules/proofs.ts'
import { cancelReservation, confirmPurchase, expireReservation, reserveListing } from './rules/purchase.ts'
import { deleteStory, editStory, moderateStory, submitStory } from './rules/stories.ts'
import type { ProductState } from './state.ts'

export const decide = (command: ProductCommand, state: ProductState): ProductEvent[] => {
  switch (command.type) {
    case 'CreateProduct': {
      const { passportData, ...data } = command.data
      const created = createProduct({ ...command, data }, state)
      return passportData ? [...created, passportDataUpdated(data.productId, passportData, data.brandId, command.metadata.now)] : created
    }
    case 'FlagScanAnomaly':
      return flagScanAnomaly(command, state)
    case 'RegenerateQrCode':
      return regenerateQrCode(command, state)
    case 'TransferOwnership':
      return transferOwnership(command, state)
    case 'IssueClaimCode':
      return issueClaimCode(command, state)
    case 'ClaimProduct':
      return claimProduct(command, state)
    case 'ChangeConsent':
      return changeConsent(command, state)
    case 'SubmitStory':
      return submitStory(command, state)
    case 'EditStory':
      return editStory(command, state)
    case 'DeleteStory':
      return deleteStory(command, state)
    case 'ModerateStory':
      return moderateStory(command, state)
    case 'ListProduct':
      return listProduct(command, state)
    case 'UpdateListing':
      return updateListing(command, state)
    case 'WithdrawListing':
      return withdrawListing(command, state)
    case 'ReserveListing':
      return reserveListing(command, state)
    case 'ConfirmPurchase':
      return confirmPurchase(command, state)
    case 'CancelReservation':
      return cancelReservation(command, state)
    case 'ExpireReservation':
      return expireReservation(command, state)
    case 'RecordLifecycle':
      return recordLifecycle(command, state)
    case 'DecideLifecycle':
      return decideLifecycle(command, state)
    case 'SetPassportData':
      return setPassportData(command, state)
    case 'SetAlert':
      return setAlert(command, state)
    case 'NoteScan':
      return noteScan(command, state)
    case 'IssueOwnershipProof':
      return issueOwnershipProof(command, state)
    case 'RevokeOwnershipProof':
      return revokeOwnershipProof(command, state)
    default: {
      const unknown: never = command
      throw new Error(`unknown product command ${(unknown as ProductCommand).type}`)
    }
  }
}
