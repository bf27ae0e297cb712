/**
 * `npm run token -- create|list|revoke …`: API tokens straight in DATABASE_URL (see
 * ./token-command.ts and README "Tokens").
 */
import 'reflect-metadata';
import { tokenCommand } from './token-command';

void tokenCommand(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
