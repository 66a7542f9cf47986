// Warm time to normalize typical shell lines (budget: ≤ 30 µs a line), median and p99.
// `npm run bench -- shell`, or directly: node --import ./scripts/register-ts.mjs bench/shell.bench.ts [--short]
import { pathToFileURL } from 'node:url';
import { initShell, normalizeShell } from '../src/actions/shell/index.ts';

const LINES: Record<string, string> = {
  simple: 'ls -la /var/log',
  pipeline: 'cat /var/log/app.log | grep -v DEBUG | sort | uniq -c | head -n 20 > /scratch/top.txt',
  kubectl: 'kubectl -n prod get pods -o wide',
  git: 'git push --force origin main',
  variables: 'cp "$SRC"/*.conf ~/backup/ && echo done # copy',
  sudo_bash_c: "sudo -u deploy bash -c 'cd /srv/app && git pull && systemctl restart app'",
  curl_pipe: 'curl -fsSL https://get.example.com/install.sh | sudo bash',
  psql: "psql -h db -U app -c 'SELECT count(*) FROM users'",
  // these used to need the tree-sitter grammar (400–900 µs); our parser reads them now
  substitution: 'echo "$(date +%s)" >> /scratch/stamp && rm -rf "${TMPDIR:-/tmp}/build"',
  heredoc_loop: 'for f in $(ls *.log); do gzip "$f"; done; cat <<EOF > /scratch/x\nok $(id)\nEOF',
};

const BUDGET_US = 30;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
}

export default async function run(opts: { short: boolean }): Promise<void> {
  await initShell();
  const warm = opts.short ? 300 : 3000;
  const rounds = opts.short ? 9 : 41;
  const per = opts.short ? 50 : 200;
  for (const [name, line] of Object.entries(LINES)) {
    if (normalizeShell(line).parse_error) throw new Error(`bench line does not normalize: ${name}`);
    for (let i = 0; i < warm; i++) normalizeShell(line);
    const samples: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < per; i++) normalizeShell(line);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000 / per);
    }
    const median = quantile(samples, 0.5);
    console.log(`shell ${name.padEnd(13)} median ${median.toFixed(2).padStart(8)} µs  p99 ${quantile(samples, 0.99).toFixed(2).padStart(8)} µs  (budget ${BUDGET_US} µs${median > BUDGET_US ? ', OVER' : ''})`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run({ short: process.argv.includes('--short') });
}
