import { parseArgs } from 'node:util';
import { databaseUrlFrom } from '../config/config';
import type { Env } from '../config/env';
import { systemClock } from '../core/clock';
import { parseGlobalId } from '../core/global-id';
import type { NodeTypeName } from '../core/global-id';
import { UserInputError } from '../core/user-error';
import { createDataSource, databaseKind } from '../db/data-source';
import { Database } from '../db/database';
import { runPendingMigrations } from '../db/migrate';
import type { ApiToken } from '../entities';
import { Role } from '../entities/enums';
import { ApiTokenService } from '../services/api-token.service';

/** Where the command writes: stdout for results, stderr for the one-line error. */
export interface TokenCliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  'usage: npm run token -- create --role ADMIN|PLATFORM --name "…"',
  '       npm run token -- create --role SELLER --seller <id> --name "…"',
  '       npm run token -- create --role BUYER --buyer <id> --name "…"',
  '       npm run token -- list',
  '       npm run token -- revoke <id>',
].join('\n');

/** An expected failure of the command: printed as `token: CODE: message`, exit status 1 or 2. */
class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

const usage = (message: string) =>
  new CliError('USAGE', `${message} (npm run token -- --help shows the usage)`, 2);

/** A seller, buyer or token id as the API shows it (global) or as the database does (numeric). */
function idArg(value: string, type: NodeTypeName, flag: string): number {
  if (/^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2147483647) return Number(value);
  const parsed = parseGlobalId(value);
  if (parsed?.type === type) return parsed.id;
  throw new CliError('INVALID_ID', `${flag} ${JSON.stringify(value)} is not a ${type} id`);
}

function roleArg(value: string | undefined): Role {
  if (value === undefined) throw usage('--role is required');
  const role = value.toUpperCase();
  if (!(Object.values(Role) as string[]).includes(role)) {
    throw new CliError(
      'INVALID_ROLE',
      `unknown role ${JSON.stringify(value)}; one of ${Object.values(Role).join(', ')}`,
    );
  }
  return role as Role;
}

function describe(token: ApiToken): string {
  const owner =
    token.sellerId !== null
      ? `seller ${token.sellerId}`
      : token.buyerId !== null
        ? `buyer ${token.buyerId}`
        : '-';
  return [
    String(token.id),
    token.role,
    JSON.stringify(token.label),
    owner,
    token.createdAt.toISOString(),
    token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : 'active',
  ].join('\t');
}

/** The flags; an unknown one or one without its value is a USAGE error. */
function parsed(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        role: { type: 'string' },
        name: { type: 'string' },
        seller: { type: 'string' },
        buyer: { type: 'string' },
      },
    });
  } catch (error) {
    throw usage(error instanceof Error ? (error.message.split('. ')[0] ?? '') : 'bad arguments');
  }
}

/** Checks the arguments, then opens the database (`open`) and does the command. */
async function run(
  argv: string[],
  io: TokenCliIo,
  open: () => Promise<ApiTokenService>,
): Promise<void> {
  const { values, positionals } = parsed(argv);
  const [command, ...rest] = positionals;
  if (command === 'create') {
    if (rest.length > 0) throw usage(`unexpected argument ${JSON.stringify(rest[0])}`);
    const role = roleArg(values.role);
    if (values.name === undefined) throw usage('--name is required');
    const spec = {
      role,
      name: values.name,
      sellerId: values.seller === undefined ? null : idArg(values.seller, 'Seller', '--seller'),
      buyerId: values.buyer === undefined ? null : idArg(values.buyer, 'Buyer', '--buyer'),
    };
    const { token, secret } = await (await open()).issue(spec);
    io.out(`created token ${token.id} (${token.role}, ${JSON.stringify(token.label)})`);
    io.out('the secret is shown this once; only its SHA-256 hash is stored:');
    io.out(secret);
  } else if (command === 'list') {
    if (rest.length > 0 || Object.keys(values).length > 0) throw usage('list takes no arguments');
    const service = await open();
    io.out(['id', 'role', 'name', 'owner', 'created', 'status'].join('\t'));
    let after: string | null = null;
    do {
      const page = await service.page({ first: 100, after });
      for (const edge of page.edges) io.out(describe(edge.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  } else if (command === 'revoke') {
    if (rest.length !== 1 || Object.keys(values).length > 0) throw usage('revoke takes one id');
    const id = idArg(rest[0], 'ApiToken', 'id');
    const { token } = await (await open()).revokeById(id);
    io.out(`revoked ${describe(token)}`);
  } else {
    throw usage(
      command === undefined ? 'no command' : `unknown command ${JSON.stringify(command)}`,
    );
  }
}

/**
 * `npm run token`: issues, lists and revokes API tokens straight in DATABASE_URL, migrating it
 * first; how a production deployment gets its first (admin) credential. It reads DATABASE_URL
 * only: the server's secrets are not its business. Returns the exit status; expected failures
 * are one line `token: CODE: message` on stderr, never a stack trace.
 */
export async function tokenCommand(
  argv: string[],
  env: Env = process.env,
  io: TokenCliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  let db = null as Database | null;
  try {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      io.out(USAGE);
      return argv.length === 0 ? 2 : 0;
    }
    await run(argv, io, async () => {
      const url = databaseUrlFrom(env);
      const dataSource = createDataSource({ url, poolSize: 2 });
      try {
        await dataSource.initialize();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(
          'DATABASE_UNAVAILABLE',
          `cannot open the ${databaseKind(url)} database: ${reason}`,
        );
      }
      db = new Database(dataSource);
      // An empty or older database gets the schema this code writes (as `npm run migrate`).
      await runPendingMigrations(dataSource);
      return new ApiTokenService(db, systemClock);
    });
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`token: ${error.code}: ${error.message}`);
      return error.status;
    }
    if (error instanceof UserInputError) {
      const first = error.errors[0];
      const flag = first.field?.[first.field.length - 1];
      const named = flag ? ` (${FLAGS[flag] ?? flag})` : '';
      io.err(`token: ${first.code}: ${first.message}${named}`);
      return 1;
    }
    io.err(`token: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db?.close();
  }
}

/** The service's input fields as the command's flags. */
const FLAGS: Record<string, string> = {
  role: '--role',
  name: '--name',
  sellerId: '--seller',
  buyerId: '--buyer',
  id: 'id',
};
