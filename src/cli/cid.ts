import { CID } from 'multiformats/cid'
import { UsageError } from '../errors.ts'

/** A CID given on the command line; `what` names the argument in the message (`OLD_CID`, `CID`). */
export function parseCidArg(text: string | undefined, what: string, example: string): CID {
  if (text === undefined) throw new UsageError(`missing ${what}, e.g. '${example}' (the CID 'ipfs-publish pack' printed)`)
  try {
    return CID.parse(text)
  } catch {
    throw new UsageError(`${what} is not a CID: '${text}'`)
  }
}
