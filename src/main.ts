import 'reflect-metadata';
import { loadConfig } from './config/config';
import { ConfigError } from './config/env';
import { startSeeded } from './cli/seed-if-empty';
import { devToken } from '../seeds/dev-tokens';
import { Role } from './entities/enums';

/**
 * `node dist/src/main.js`: migrate, seed an empty database, then serve (so `/healthz` answering
 * means the seed is in), shut down gracefully. `npm start` adds COUNTERSIGN_DEV=on: demo data, the
 * dev tokens (printed) and the IDE with a seller's token; without it only the reference data.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const { countersign, seeded } = await startSeeded(config, {
    ideToken: config.devMode ? devToken(Role.SELLER, 1) : null,
  });
  if (config.devMode) printDevTokens(countersign.url, seeded.tokens);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    countersign.logger.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    countersign
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function printDevTokens(
  url: string,
  tokens: { role: string; label: string; token: string }[],
): void {
  const lines = [
    '',
    `Countersign is serving ${url} (open it in a browser for the GraphQL IDE)`,
    'Dev tokens (send as "Authorization: Bearer <token>"):',
    ...tokens.map((t) => `  ${t.role.padEnd(6)} ${t.label.padEnd(28)} ${t.token}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  // A bad setting is the operator's to fix: one line naming it, no stack to dig through.
  const message =
    error instanceof ConfigError
      ? `countersign: ${error.message}`
      : `failed to start: ${error instanceof Error ? error.stack : String(error)}`;
  process.stderr.write(message + '\n');
  process.exit(1);
});
