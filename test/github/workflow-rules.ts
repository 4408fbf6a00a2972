/**
 * Our own rules for the workflows and action.yml, on top of actionlint (CONVENTIONS 15):
 * actions pinned to full commit SHAs with the release in a comment, least permissions, no
 * secret in a job a pull request can run, no checkout of a PR's code in a `workflow_run`
 * job, read-only caches where untrusted code runs. Each rule returns problems in words, so
 * a test can show it catches a bad file as well as passing ours.
 */
import { load } from 'js-yaml'

type Json = Record<string, unknown>

export interface Step {
  uses?: string
  run?: string
  with?: Json
  env?: Json
  if?: string
  shell?: string
}

export interface Job {
  if?: string
  permissions?: unknown
  concurrency?: unknown
  steps?: Step[]
  uses?: string
  secrets?: unknown
}

export interface Workflow {
  on: unknown
  permissions?: unknown
  jobs: Record<string, Job>
}

/** A pinned third-party action: `owner/repo[/path]@<40 hex>`, then `# v1.2.3` on the same line. */
const PINNED_LINE = /uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+\.\d+\.\d+\s*$/

export function parseYaml<T>(text: string): T {
  return load(text) as T
}

export function triggers(workflow: Workflow): string[] {
  const on = workflow.on
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  return Object.keys((on ?? {}) as Json)
}

/** Every `uses:` line in the raw text (workflow steps, reusable-workflow jobs, composite steps). */
export function checkPinned(file: string, text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.replace(/^\s*-\s*/, '').trim(), n: i + 1 }))
    .filter(({ line }) => line.startsWith('uses:'))
    .filter(({ line }) => !line.startsWith('uses: ./') && !PINNED_LINE.test(line))
    .map(({ line, n }) => `${file}:${n}: not pinned to a full commit SHA with its release in a comment: ${line}`)
}

function mentionsWrite(permissions: unknown): boolean {
  if (permissions === 'write-all') return true
  return typeof permissions === 'object' && permissions !== null && Object.values(permissions).includes('write')
}

/** Could this job run for a `pull_request` event? Only a job whose `if` names another event cannot. */
export function reachableFromPullRequest(workflow: Workflow, job: Job): boolean {
  if (!triggers(workflow).includes('pull_request')) return false
  const event = /github\.event_name\s*==\s*'([a-z_]+)'/.exec(job.if ?? '')?.[1]
  return event === undefined || event === 'pull_request'
}

export function checkWorkflow(file: string, text: string): string[] {
  const workflow = parseYaml<Workflow>(text)
  const problems = checkPinned(file, text)
  const on = triggers(workflow)
  if (on.includes('pull_request_target')) problems.push(`${file}: pull_request_target runs a PR with secrets; build in pull_request, deploy in workflow_run`)
  if (workflow.permissions === undefined && Object.values(workflow.jobs).some((j) => j.permissions === undefined)) {
    problems.push(`${file}: permissions are set neither for the workflow nor for every job`)
  }
  if (workflow.permissions === 'write-all' || mentionsWrite(workflow.permissions)) problems.push(`${file}: write permissions for the whole workflow; grant them per job`)

  for (const [name, job] of Object.entries(workflow.jobs)) {
    const where = `${file}: job ${name}`
    const jobText = JSON.stringify(job)
    const steps = job.steps ?? []
    const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout@'))
    for (const step of checkouts) {
      if (step.with?.['persist-credentials'] !== false) problems.push(`${where}: actions/checkout without persist-credentials: false leaves the token in .git/config`)
    }
    if (reachableFromPullRequest(workflow, job)) {
      if (/secrets\./.test(jobText) || job.secrets !== undefined) problems.push(`${where}: a pull request (maybe a fork's) can run it, yet it uses a secret`)
      if (mentionsWrite(job.permissions ?? workflow.permissions)) problems.push(`${where}: a pull request can run it, yet its token can write`)
      if (steps.some((s) => /^actions\/cache@/.test(s.uses ?? ''))) problems.push(`${where}: a pull request's code could save into the cache; use actions/cache/restore`)
    }
    if (on.includes('workflow_run')) {
      for (const step of checkouts) {
        if (step.with?.ref !== undefined || step.with?.repository !== undefined) problems.push(`${where}: a workflow_run job checks out ${String(step.with?.repository ?? '')}@${String(step.with?.ref ?? '')}; it must run the default branch's code only`)
      }
      if (steps.some((s) => /workflow_run\.head_(sha|branch)/.test(`${s.run ?? ''} ${JSON.stringify(s.with ?? {})}`))) {
        problems.push(`${where}: a workflow_run step uses the PR's head commit or branch`)
      }
      if (steps.some((s) => /^actions\/cache@/.test(s.uses ?? ''))) problems.push(`${where}: a workflow_run job saves into the cache main restores; use actions/cache/restore`)
    }
  }
  return problems
}

export interface ActionMetadata {
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs?: Record<string, { description?: string; value?: string }>
  runs: { using: string; steps?: Step[] }
}

/** action.yml: a composite action whose run steps name their shell and whose outputs map step outputs. */
export function checkAction(file: string, text: string): string[] {
  const action = parseYaml<ActionMetadata>(text)
  const problems = checkPinned(file, text)
  if (action.runs.using !== 'composite') problems.push(`${file}: runs.using is ${action.runs.using}, not composite`)
  for (const [i, step] of (action.runs.steps ?? []).entries()) {
    if (step.run !== undefined && step.shell === undefined) problems.push(`${file}: step ${i + 1} runs a script without a shell (composite steps must name one)`)
  }
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    if (!/^\$\{\{\s*steps\.[\w-]+\.outputs\.[\w-]+\s*\}\}$/.test(output.value ?? '')) problems.push(`${file}: output ${name} is not mapped from a step's output`)
  }
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    if (input.description === undefined) problems.push(`${file}: input ${name} has no description`)
  }
  if (/secrets\./.test(JSON.stringify(action.runs))) problems.push(`${file}: an action cannot read secrets; the caller passes them in env`)
  return problems
}

/**
 * action.yml as a workflow actionlint can check: its inputs become workflow_dispatch
 * inputs (so `inputs.*` resolves), its steps a job's steps, its outputs the job's outputs.
 * actionlint lints workflow files only; this lets it check the composite steps'
 * expressions, contexts and the pinned actions' inputs.
 */
export function actionAsWorkflow(text: string): Json {
  const action = parseYaml<ActionMetadata>(text)
  const inputs = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, input]) => [name, { description: input.description ?? name, required: input.required ?? false, type: 'string' }]),
  )
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([name, output]) => [name, output.value ?? '']))
  return {
    on: { workflow_dispatch: { inputs } },
    permissions: {},
    jobs: { action: { 'runs-on': 'ubuntu-24.04', outputs, steps: action.runs.steps ?? [] } },
  }
}
