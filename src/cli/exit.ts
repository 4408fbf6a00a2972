/** Process exit codes of the CLI. */
export const EXIT_OK = 0
/** The operation failed (bad input, a failed target, ...). */
export const EXIT_FAILURE = 1
/** The command line was wrong. */
export const EXIT_USAGE = 2
/** Stopped by Ctrl+C or `--timeout`. */
export const EXIT_INTERRUPTED = 130
