/**
 * The commit and branch a site was built from, when the project is a git checkout (and git
 * is installed). Read by the CLI and `start`; the deploy library takes them as options.
 */
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/

async function git(root: string, args: string[], signal: AbortSignal | undefined): Promise<string | undefined> {
  const { execa } = await import('execa')
  const result = await execa('git', args, { cwd: root, reject: false, stdin: 'ignore', cancelSignal: signal })
  signal?.throwIfAborted()
  return result.exitCode === 0 ? String(result.stdout).trim() : undefined
}

export async function gitHead(root: string, signal?: AbortSignal): Promise<string | undefined> {
  const head = await git(root, ['rev-parse', 'HEAD'], signal)
  return head !== undefined && COMMIT.test(head) ? head : undefined
}

/** Undefined on a detached HEAD (what CI checks out), where `GITHUB_REF_NAME` says more. */
export async function gitBranch(root: string, signal?: AbortSignal): Promise<string | undefined> {
  const branch = await git(root, ['rev-parse', '--abbrev-ref', 'HEAD'], signal)
  return branch === undefined || branch === '' || branch === 'HEAD' ? undefined : branch
}
