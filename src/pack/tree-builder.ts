/**
 * The importer's tree builder, run one folder at a time, deepest first. The importer's
 * own builder decides flat or HAMT while it adds paths, when a subfolder has no CID yet:
 * its size estimate (`calculateLinkSize` in `dir-flat.js`) counts such a link as 0 bytes,
 * so a folder of subfolders (a blog's `posts/<slug>/index.html`) stays one flat block
 * whatever its size, and gets a different CID from Kubo's. Here a folder is handed to
 * the importer only once every subfolder in it is finished, as an entry with its CID and
 * size like a file's, so the estimate counts every link as dag-pb serializes it and the
 * folder is a HAMT iff its flat block would be over the threshold. Folders and shards
 * are still the importer's, built by its own code with the profile's options.
 */
import { type ImporterOptions, type ImportResult, type InProgressImportResult, importer, type WritableStorage } from 'ipfs-unixfs-importer'

type TreeBuilder = NonNullable<ImporterOptions['treeBuilder']>
type DagBuilder = NonNullable<ImporterOptions['dagBuilder']>

/** A folder being gathered: what the importer's builders produced under its path. */
class Folder {
  readonly children = new Map<string, Folder | InProgressImportResult>()
  /** The folder's own entry, when it came as one (an empty folder of the site). */
  entry: InProgressImportResult | undefined
}

/**
 * A tree builder for `importer` that builds folders bottom-up; the root is always the
 * site's folder (as `wrapWithDirectory: true`). `options` are those of the import: the
 * profile's, which each folder is built with.
 */
export function bottomUpTreeBuilder(options: ImporterOptions): TreeBuilder {
  const folderOptions: ImporterOptions = { ...options, wrapWithDirectory: true, treeBuilder: undefined }
  return async function* treeBuilder(source, blockstore) {
    const root = new Folder()
    for await (const entry of source) {
      if (entry == null) continue
      add(root, entry)
      // As the importer's builder does: files and links are reported as they come, folders once built.
      if (entry.unixfs?.isDirectory() !== true) yield entry
    }
    yield* build(root, '', blockstore, folderOptions)
  }
}

/**
 * The path's segments, split as the importer splits them (on `/` unless escaped with
 * `\`), so that a name means the same folder here and in its builders.
 */
function segments(path: string | undefined): string[] {
  return (path ?? '').split(/(?<!\\)\//).filter(Boolean)
}

function add(root: Folder, entry: InProgressImportResult): void {
  const names = segments(entry.path)
  const last = names.pop()
  // The importer's builder ignores an entry without a name too.
  if (last === undefined) return
  let folder = root
  for (const name of names) {
    const child = folder.children.get(name)
    if (child instanceof Folder) {
      folder = child
    } else {
      // A file in the way is replaced, as the importer's builder does (the sources refuse that case).
      const created = new Folder()
      folder.children.set(name, created)
      folder = created
    }
  }
  if (entry.unixfs?.isDirectory() === true) {
    const existing = folder.children.get(last)
    const target = existing instanceof Folder ? existing : new Folder()
    target.entry = entry
    folder.children.set(last, target)
  } else {
    folder.children.set(last, entry)
  }
}

/**
 * Builds `folder` after its subfolders and yields each folder built (as the importer
 * does, with its path), the folder itself last; returns the folder's entry.
 */
async function* build(folder: Folder, path: string, blockstore: WritableStorage, options: ImporterOptions): AsyncGenerator<ImportResult, InProgressImportResult> {
  // An empty folder of the site is its own entry already, as in the importer's tree.
  if (folder.children.size === 0 && folder.entry !== undefined) return folder.entry
  const links = new Map<string, InProgressImportResult>()
  for (const [name, child] of folder.children) {
    links.set(name, child instanceof Folder ? yield* build(child, path === '' ? name : `${path}/${name}`, blockstore, options) : child)
  }
  // Subfolders are finished: release them, a large site holds every entry until the root.
  folder.children.clear()
  let built: ImportResult | undefined
  for await (const result of importer(
    Array.from(links.keys(), (name) => ({ path: name })),
    blockstore,
    { ...options, dagBuilder: builtEntries(links) },
  )) {
    built = result
  }
  if (built === undefined) throw new Error(`the importer built no folder for ${path === '' ? 'the root' : path}`)
  const entry: InProgressImportResult = { cid: built.cid, size: built.size, path, unixfs: built.unixfs }
  yield entry
  return entry
}

/**
 * A DAG builder that gives back the entries already built under their names: one
 * segment each, so the importer's tree puts them straight into the folder it builds.
 */
function builtEntries(links: ReadonlyMap<string, InProgressImportResult>): DagBuilder {
  return async function* dagBuilder(source) {
    for await (const candidate of source) {
      const name = candidate.path as string
      const entry = links.get(name) as InProgressImportResult
      yield () => Promise.resolve({ ...entry, path: name, originalPath: name })
    }
  } as DagBuilder
}
