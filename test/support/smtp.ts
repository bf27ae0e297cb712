import net from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the test server does with the next transactions; change it between attempts. */
export interface SmtpBehaviour {
  /** Refuse RCPT TO with this reply (e.g. 550), or DATA after the message was sent. */
  rejectRcpt?: { code: number; message: string };
  rejectData?: { code: number; message: string };
  /** Answer RCPT TO only after this long (a stalled server). */
  rcptDelayMs?: number;
}

export interface TestSmtpServer {
  port: number;
  /** Every message the server accepted (answered 250 to its DATA), parsed. */
  messages: ParsedMail[];
  /** Transactions that reached RCPT TO, accepted or not. */
  rcptCount: number;
  behaviour: SmtpBehaviour;
  close(): Promise<void>;
}

function smtpError(reply: { code: number; message: string }): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

/** A real SMTP server on 127.0.0.1 (plain text, no auth needed), recording what it accepts. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: TestSmtpServer = {
    port: 0,
    messages: [],
    rcptCount: 0,
    behaviour: {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      state.rcptCount += 1;
      const { rejectRcpt, rcptDelayMs } = state.behaviour;
      const answer = () => (rejectRcpt ? callback(smtpError(rejectRcpt)) : callback());
      if (rcptDelayMs) setTimeout(answer, rcptDelayMs);
      else answer();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { rejectData } = state.behaviour;
        if (rejectData) return callback(smtpError(rejectData));
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            state.messages.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as net.AddressInfo).port;
  return state;
}

/** A port on 127.0.0.1 nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
