import * as wsModule from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
/** `ws` exports its Sender (`frame` is documented public in ws/lib/sender.js); @types/ws omits it. */
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] };
};

/** RFC 6455 §5.2 opcodes. */
export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * One final, uncompressed WebSocket frame carrying `payload`, framed by `ws`: unmasked as a
 * server sends it, or masked (in place: pass a buffer of your own) as a client must.
 */
export function wsFrame(opcode: number, payload: Buffer, mask = false): Buffer {
  const options = { fin: true, opcode, mask, readOnly: !mask, rsv1: false };
  return Buffer.concat(Sender.frame(payload, options));
}
