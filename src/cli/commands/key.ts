import type { PrivateKey } from '@libp2p/interface'
import { KeystoreError, UsageError } from '../../errors.ts'
import type { Keystore } from '../../name/keys.ts'
import type { Command, CommandContext } from '../command.ts'
import { EXIT_OK } from '../exit.ts'

/** More than any exported key (about 90 characters): input this long is not a key. */
const KEY_INPUT_MAX_BYTES = 64 * 1024

const SUBCOMMANDS = ['gen', 'list', 'export', 'import'] as const
type Subcommand = (typeof SUBCOMMANDS)[number]

/** The key as text: `--from-env VAR`, or whatever is piped in. Never echoed, never quoted in errors. */
async function readKeyText(ctx: CommandContext): Promise<{ text: string; source: string }> {
  const variable = ctx.values['from-env']
  if (typeof variable === 'string') {
    const text = process.env[variable]
    if (text === undefined) throw new UsageError(`--from-env: the environment variable ${variable} is not set`)
    return { text, source: `the environment variable ${variable}` }
  }
  if (process.stdin.isTTY === true) {
    throw new UsageError("pipe the key in (e.g. 'ipfs-publish key import site < site.key.b64') or name a variable with --from-env VAR")
  }
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    bytes += chunk.byteLength
    if (bytes > KEY_INPUT_MAX_BYTES) throw new UsageError(`the input is over ${KEY_INPUT_MAX_BYTES} bytes, which no exported key is; pipe in the output of 'ipfs-publish key export NAME'`)
    chunks.push(chunk)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), source: 'the key read from stdin' }
}

async function run(ctx: CommandContext, sub: Subcommand, key: string | undefined, keystore: Keystore): Promise<number> {
  const { output, signal, values } = ctx
  const { ipnsName, keyFromBase64, keyToBase64 } = await import('../../name/keys.ts')
  if (sub === 'list') {
    const keys = await keystore.list({ signal })
    output.result({ dir: keystore.dir, keys }, keys.length === 0 ? [`no IPNS keys in ${keystore.dir}`] : keys.map((k) => `${k.key}  ${k.name}`))
    return EXIT_OK
  }
  if (key === undefined) throw new UsageError(`give the key's name, e.g. 'ipfs-publish key ${sub} site'`)
  if (sub === 'gen') {
    const { generateKeyPair } = await import('@libp2p/crypto/keys')
    const privateKey = await generateKeyPair('Ed25519')
    await keystore.add(key, privateKey, { signal })
    const name = ipnsName(privateKey)
    output.result({ key, name, file: keystore.path(key) }, [
      `created the IPNS key '${key}': /ipns/${name}`,
      `  ${keystore.path(key)} (mode 0600); back it up: it is the name ('ipfs-publish key export ${key}' for a CI secret)`,
    ])
    return EXIT_OK
  }
  if (sub === 'export') {
    const privateKey = await keystore.get(key, { signal })
    const name = ipnsName(privateKey)
    output.warn(`this is the private key of /ipns/${name}: whoever has it can point the name anywhere. Put it straight into a secret store, never in a file in the repository or a log.`)
    if (output.json) output.print(`${JSON.stringify({ key, name, privateKey: keyToBase64(privateKey) })}\n`)
    else output.print(`${keyToBase64(privateKey)}\n`)
    return EXIT_OK
  }
  const { text, source } = await readKeyText(ctx)
  const privateKey: PrivateKey = keyFromBase64(text, source)
  const name = ipnsName(privateKey)
  let replaced: PrivateKey | undefined
  if (values.force === true) replaced = await keystore.replace(key, privateKey, { signal })
  else await addNew(keystore, key, privateKey, signal)
  if (replaced !== undefined && !replaced.equals(privateKey)) {
    output.warn(`replaced the key '${key}' of /ipns/${ipnsName(replaced)}: that name can no longer be moved from this store`)
  }
  output.result({ key, name, file: keystore.path(key) }, [`imported the IPNS key '${key}': /ipns/${name}`, `  ${keystore.path(key)} (mode 0600)`])
  return EXIT_OK
}

/** `keystore.add`, with the way out named when the key exists. */
async function addNew(keystore: Keystore, key: string, privateKey: PrivateKey, signal: AbortSignal): Promise<void> {
  try {
    await keystore.add(key, privateKey, { signal })
  } catch (err) {
    if (!(err instanceof KeystoreError) || (err.cause as NodeJS.ErrnoException | undefined)?.code !== 'EEXIST') throw err
    throw new KeystoreError(
      `an IPNS key named '${key}' exists already (${keystore.path(key)}); import under another name, or replace it with --force (back the old one up first: it is its IPNS name)`,
      { cause: err },
    )
  }
}

export const keyCommand: Command = {
  name: 'key',
  summary: 'create, list, export and import the IPNS keys (gen|list|export|import)',
  args: 'gen|list|export|import [NAME]',
  options: {
    'from-env': { type: 'string', value: 'VAR', description: 'import: read the key from this environment variable instead of stdin' },
    force: { type: 'boolean', description: 'import: replace a key of the same name (its old IPNS name is lost)' },
  },
  details: `
An IPNS key is the IPNS name: a libp2p Ed25519 private key in <store>/keys/NAME.key
(mode 0600). Lose it and the name can never be moved again, so back it up.

  key gen NAME      create a key (refuses a name that exists)
  key list          every key and its IPNS name (never the keys themselves)
  key export NAME   print the key, base64 of its libp2p protobuf, on stdout: for a CI
                    secret, e.g. 'ipfs-publish key export site | gh secret set IPNS_KEY'.
                    The only command that prints key material.
  key import NAME   store a key from stdin (or --from-env VAR), e.g. on a new machine;
                    refuses to replace an existing key unless --force`,
  async run(ctx) {
    const [sub, key, ...extra] = ctx.positionals
    if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new UsageError(`key needs one of ${SUBCOMMANDS.join(', ')}${sub === undefined ? '' : `, got '${sub}'`}; e.g. 'ipfs-publish key gen site'`)
    }
    if (extra.length > 0 || (sub === 'list' && key !== undefined)) throw new UsageError(`too many arguments for 'key ${sub}'`)
    if ((ctx.values['from-env'] !== undefined || ctx.values.force !== undefined) && sub !== 'import') {
      throw new UsageError(`--from-env and --force are options of 'key import', not of 'key ${sub}'`)
    }
    const { openKeystore } = await import('../../name/keys.ts')
    return run(ctx, sub as Subcommand, key, openKeystore((await ctx.config()).store))
  },
}
