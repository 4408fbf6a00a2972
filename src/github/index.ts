/**
 * Reporting a deploy to GitHub Actions: `detectGitHubActions(env)` reads the run, and
 * `reportDeploy(summary, context)` writes the step summary and outputs, sets the commit
 * status and keeps one preview comment per pull request.
 */
export { detectGitHubActions } from './context.ts'
export { commentMarkdown, summaryMarkdown } from './markdown.ts'
export { deployOutputs } from './files.ts'
export { reportDeploy, statusDescription } from './report.ts'
export type {
  DeployNameSummary,
  DeploySummary,
  DeployTargetSummary,
  DetectOptions,
  GitHubContext,
  ReportOptions,
  ReportResult,
  ReportStep,
  ReportWarning,
} from './types.ts'
