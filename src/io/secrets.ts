import { readFileSync, statSync } from "node:fs";
import { InputError } from "./load.js";

/** readSecret reads a token file (one word; surrounding whitespace dropped), refusing an empty one. */
export function readSecret(path: string, flag: string): string {
  const token = read(path, flag).toString("utf8").trim();
  if (token === "") throw new InputError(`${flag} ${path}: the file is empty`);
  if (/\s/.test(token)) throw new InputError(`${flag} ${path}: a token is one word (the file holds whitespace inside it)`);
  return token;
}

/** MIN_TOKEN_CHARS: a bearer token shorter than this is guessable; 32 hex digits are 128 bits. */
export const MIN_TOKEN_CHARS = 16;

/** readToken reads a server's own bearer token: long enough, and a file others cannot read. */
export function readToken(path: string, flag: string): { token: string; warning?: string } {
  const token = readSecret(path, flag);
  if (token.length < MIN_TOKEN_CHARS) throw new InputError(`${flag} ${path}: the token has ${token.length} characters; use at least ${MIN_TOKEN_CHARS} (e.g. openssl rand -hex 32)`);
  const mode = statSync(path).mode & 0o077;
  return { token, ...(mode !== 0 ? { warning: `${path} can be read by other users (mode ${(statSync(path).mode & 0o777).toString(8)}); chmod 600 it` } : {}) };
}

/** readPem reads a PEM file (certificate, key, CA bundle) for TLS. */
export function readPem(path: string, flag: string): Buffer {
  const bytes = read(path, flag);
  if (!bytes.toString("latin1").includes("-----BEGIN ")) throw new InputError(`${flag} ${path}: not a PEM file (no -----BEGIN line)`);
  return bytes;
}

function read(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`${flag} ${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
