import { z } from "zod";

/**
 * ID_CHARS, the id grammar: 1 to 200 characters, each a letter of any script (with its combining
 * marks), a decimal digit, or one of `_ . : - / @` (`/` and `@` fit Kubernetes `namespace/name`
 * and `user@site` names). No spaces, quotes or control characters: ids appear unquoted in logs,
 * commands and file names. Ids compare by exact code points (no Unicode normalisation).
 */
export const ID_CHARS = String.raw`\p{L}\p{M}\p{Nd}_.:\-/@`;

/** IdSchema: the id of a host, VM or service (and what they are referred to by). */
export const IdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(200)
  .regex(new RegExp(`^[${ID_CHARS}]+$`, "u"), "may hold only letters, digits and _ . : - / @");
