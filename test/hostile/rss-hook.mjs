// Preloaded into the CLI by the hostile corpus runner: writes the process's peak RSS (KiB) to the file
// named by NNMOTIFS_PROBE_RSS when it exits, without touching stdout or stderr.
import { writeFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
process.on('exit', () => {
  if (process.env.NNMOTIFS_PROBE_RSS)
    writeFileSync(process.env.NNMOTIFS_PROBE_RSS, String(resourceUsage().maxRSS));
});
